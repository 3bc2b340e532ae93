package dev.verifarm.coordinator.nightly;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Every coordinator's clock for the suites: on each tick it starts the runs that have come due and finishes the
 * runs that are done. Several coordinators tick at once; the database lets only one start each run. A run due while
 * no coordinator was up still starts if one comes up within the misfire grace; a suite never fires for a time
 * before it was created or last changed.
 */
@ApplicationScoped
public class NightlyClock {
    private static final Logger LOG = Logger.getLogger(NightlyClock.class);

    private final SuiteService suites;
    private final NightlyRuns runs;
    private final Duration misfireGrace;

    @Inject
    NightlyClock(SuiteService suites, NightlyRuns runs, CoordinatorConfig config) {
        this.suites = suites;
        this.runs = runs;
        this.misfireGrace = config.nightly().misfireGrace();
    }

    @Scheduled(every = "${verifarm.nightly.check-interval}", delayed = "${verifarm.nightly.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = Instant.now();
        for (SuiteService.Versioned versioned : suites.listVersioned()) {
            Suite suite = versioned.suite();
            due(suite.schedule(), versioned.updatedAt(), now, misfireGrace)
                    .filter(at -> !runs.started(suite.name(), at))
                    .ifPresent(at -> runs.start(suite, at, NightlyRuns.Trigger.SCHEDULE).ifPresent(
                            run -> LOG.infof("scheduled run %s of %s for %s", run.id(), suite.name(), at)));
        }
        runs.settle();
    }

    /** The fire time to start now, if any: the latest one, if it is after the suite's last change and recent. */
    static Optional<Instant> due(CronSchedule schedule, Instant updatedAt, Instant now, Duration misfireGrace) {
        return schedule.lastFireAtOrBefore(now)
                .filter(at -> !at.isBefore(updatedAt))
                .filter(at -> !at.isBefore(now.minus(misfireGrace)));
    }
}
