package dev.verifarm.coordinator.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What PostgreSQL holds of a given set of jobs (a test's own, whatever else shares the database), checked job by
 * job: each exists and ended in the expected state, with exactly one finished attempt that carries its results
 * once, its other attempts ended only in allowed ways, and its history numbered 1..n without a gap or a repeat, n
 * being the job's {@code last_event}.
 */
public final class JobAudit {
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private static final int SHOWN = 20;

    private final PostgresServer database;
    private final int size;
    private final String ids;

    /** The jobs {@code ids} (a few thousand at most: they go into each statement). */
    public JobAudit(PostgresServer database, Collection<String> ids) {
        ids.forEach(id -> {
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("not a job id: " + id);
            }
        });
        this.database = database;
        this.size = ids.size();
        this.ids = "'{" + String.join(",", ids) + "}'::varchar[]";
    }

    /** How many of the jobs are in each state (missing jobs are not counted). */
    public Map<String, Integer> states() {
        return counts("select state, count(*) from job where id = any(" + ids + ") group by state");
    }

    /** How many of the jobs' attempts ended in each way: the state, and the failure kind or "-". */
    public Map<String, Integer> attemptEnds() {
        return counts("select state || ' ' || coalesce(failure_kind, '-'), count(*) from attempt"
                + " where job_id = any(" + ids + ") group by 1");
    }

    /** How many events of the jobs have a message {@code like} this pattern (SQL LIKE). */
    public int eventsLike(String pattern) {
        return Integer.parseInt(database.query("select count(*) from job_event where job_id = any(" + ids + ")"
                + " and message like '" + pattern.replace("'", "''") + "'"));
    }

    /** How many of the jobs are still queued, leased or running. */
    public int unfinished() {
        return Integer.parseInt(database.query("select count(*) from job where id = any(" + ids + ")"
                + " and state in ('QUEUED', 'LEASED', 'RUNNING')"));
    }

    /** How many of the jobs' attempts are leased or running on one of {@code agents} (agent names). */
    public int activeAttemptsOn(Collection<String> agents) {
        return Integer.parseInt(database.query("select count(*) from attempt where job_id = any(" + ids + ")"
                + " and state in ('LEASED', 'RUNNING') and agent_name = any(" + textArray(agents) + ")"));
    }

    /** How many of the jobs' attempts with an id above {@code attemptId} (leased after it) finished, by agent. */
    public Map<String, Integer> finishedAttemptsAfter(long attemptId) {
        return counts("select agent_name, count(*) from attempt where job_id = any(" + ids + ") and id > "
                + attemptId + " and state = 'FINISHED' group by agent_name");
    }

    /** Waits until none of the jobs is queued, leased or running; false if some still are after {@code limit}. */
    public boolean awaitFinished(Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (unfinished() > 0) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Farm.sleep(Duration.ofMillis(250));
        }
        return true;
    }

    /**
     * Every way in which the jobs break the invariants, each line naming the jobs (the first few): a job missing,
     * not in {@code finalState}, without exactly one FINISHED attempt, without exactly {@code resultsPerJob}
     * check results all on that attempt, with an attempt ended otherwise than in {@code otherAttemptEnds} (as
     * {@link #attemptEnds()} spells them), or with a history that is not 1..last_event. Empty when all hold.
     */
    public List<String> violations(String finalState, int resultsPerJob, Set<String> otherAttemptEnds) {
        List<String> violations = new ArrayList<>();
        add(violations, "missing from the database", "select x from unnest(" + ids + ") x"
                + " where not exists (select 1 from job j where j.id = x)");
        add(violations, "not " + finalState, "select id || ' ' || state from job where id = any(" + ids + ")"
                + " and state <> '" + finalState + "'");
        add(violations, "not exactly one FINISHED attempt", "select j.id || ' has ' || count(a.id) from job j"
                + " left join attempt a on a.job_id = j.id and a.state = 'FINISHED' where j.id = any(" + ids + ")"
                + " group by j.id having count(a.id) <> 1");
        add(violations, "not exactly " + resultsPerJob + " check results, all on the FINISHED attempt",
                "select j.id || ': ' || count(r.id) || ' results, ' || count(r.id) filter (where a.state <> 'FINISHED')"
                        + " || ' on attempts not FINISHED, ' || count(distinct r.attempt_id || ':' || r.position)"
                        + " || ' distinct positions' from job j join attempt a on a.job_id = j.id"
                        + " left join check_result r on r.attempt_id = a.id where j.id = any(" + ids + ")"
                        + " group by j.id having count(r.id) <> " + resultsPerJob
                        + " or count(r.id) filter (where a.state <> 'FINISHED') <> 0"
                        + " or count(distinct r.attempt_id || ':' || r.position) <> count(r.id)");
        List<String> allowed = new ArrayList<>(otherAttemptEnds);
        allowed.add("FINISHED -");
        add(violations, "attempts ended otherwise than " + allowed, "select a.job_id || ' attempt ' || a.number"
                + " || ' ' || a.state || ' ' || coalesce(a.failure_kind, '-') from attempt a"
                + " where a.job_id = any(" + ids + ") and a.state || ' ' || coalesce(a.failure_kind, '-')"
                + " <> all(" + textArray(allowed) + ")");
        add(violations, "a history that is not 1..last_event", "select j.id || ': last_event ' || j.last_event"
                + " || ', ' || count(e.id) || ' events, sequences ' || coalesce(min(e.sequence), 0) || '..'"
                + " || coalesce(max(e.sequence), 0) || ', ' || count(distinct e.sequence) || ' distinct'"
                + " from job j left join job_event e on e.job_id = j.id where j.id = any(" + ids + ")"
                + " group by j.id, j.last_event having not (count(e.id) = j.last_event"
                + " and count(distinct e.sequence) = count(e.id) and coalesce(min(e.sequence), 0) = 1"
                + " and coalesce(max(e.sequence), 0) = j.last_event)");
        return violations;
    }

    /** One line on the jobs: how many, by state, and their attempts by how they ended. */
    public String summary() {
        return size + " jobs " + states() + ", attempts " + attemptEnds();
    }

    private void add(List<String> violations, String what, String sql) {
        String found = database.query(sql);
        if (!found.isEmpty()) {
            List<String> lines = found.lines().toList();
            violations.add(lines.size() + " " + what + ": " + String.join("; ", lines.subList(0,
                    Math.min(SHOWN, lines.size()))) + (lines.size() > SHOWN ? "; ..." : ""));
        }
    }

    private Map<String, Integer> counts(String sql) {
        Map<String, Integer> counts = new TreeMap<>();
        database.query(sql).lines().filter(line -> !line.isEmpty()).forEach(line -> {
            int bar = line.lastIndexOf('|');
            counts.put(line.substring(0, bar), Integer.parseInt(line.substring(bar + 1)));
        });
        return counts;
    }

    private static String textArray(Collection<String> values) {
        return "array[" + String.join(", ", values.stream().map(v -> "'" + v.replace("'", "''") + "'").toList())
                + "]::text[]";
    }
}
