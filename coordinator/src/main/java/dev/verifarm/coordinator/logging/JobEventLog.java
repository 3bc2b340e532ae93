package dev.verifarm.coordinator.logging;

import dev.verifarm.coordinator.job.JobEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Logs every committed step of every job (submitted, leased, running, each attempt's end, finished) under its id. */
@ApplicationScoped
public class JobEventLog {
    private static final Logger LOG = Logger.getLogger(JobEventLog.class);

    void log(@Observes JobEvent event) {
        try (LogContext context = LogContext.job(event.jobId())) {
            LOG.infof("job %s %s: %s", event.jobId(), event.state(), event.message());
        }
    }
}
