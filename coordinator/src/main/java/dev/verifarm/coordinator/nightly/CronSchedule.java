package dev.verifarm.coordinator.nightly;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.verifarm.coordinator.problem.InvalidInputException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** A Quartz cron expression (seconds first, as Quarkus' scheduler reads it), evaluated in UTC. */
public final class CronSchedule {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final String expression;
    private final ExecutionTime times;

    private CronSchedule(String expression, ExecutionTime times) {
        this.expression = expression;
        this.times = times;
    }

    /** Parses {@code expression}; {@code field} names it in the error when it is not a Quartz cron expression. */
    public static CronSchedule parse(String field, String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidInputException(field, "a schedule is required: a Quartz cron expression with seconds,"
                    + " e.g. \"0 0 2 * * ?\" for 02:00 UTC every day");
        }
        try {
            return new CronSchedule(expression.strip(), ExecutionTime.forCron(QUARTZ.parse(expression.strip())));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "not a Quartz cron expression (seconds minutes hours"
                    + " day-of-month month day-of-week [year]): '" + expression + "': " + e.getMessage());
        }
    }

    public String expression() {
        return expression;
    }

    /** The latest fire time at or before {@code now}, to the second. */
    public Optional<Instant> lastFireAtOrBefore(Instant now) {
        ZonedDateTime at = now.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
        if (times.isMatch(at)) {
            return Optional.of(at.toInstant());
        }
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    /** The first fire time after {@code now}. */
    public Optional<Instant> nextFireAfter(Instant now) {
        return times.nextExecution(now.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule cron && cron.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
