package dev.verifarm.cli.command;

import dev.verifarm.cli.exit.CliException;
import dev.verifarm.cli.exit.ExitStatus;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.cli.render.WatchDisplay;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.WatchJobRequest;

import java.util.Iterator;

/** Watches a job to its end, prints its verdicts and turns its final state into the exit status. */
final class JobOutcome {
    private JobOutcome() {
    }

    static int watch(Session session, String jobId) {
        Job last = null;
        WatchDisplay display = WatchDisplay.forTerminal(session.terminal(), session.err());
        try {
            Iterator<JobEvent> events = session.connection().call(() -> session.connection().watching()
                    .watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build()));
            while (session.connection().call(events::hasNext)) {
                JobEvent event = events.next();
                display.show(event);
                last = event.getJob();
            }
        } finally {
            display.close();
        }
        if (last == null || !WatchDisplay.isFinal(last)) {
            throw CliException.error("the coordinator ended the watch of job " + jobId
                    + " before the job finished");
        }
        JobText.verdicts(last, session.out());
        session.out().println("job " + last.getId() + " " + last.getState() + ": " + last.getStatus());
        return exitStatus(last);
    }

    /** PASSED: 0; FAILED (a verdict other than MATCH): 1; anything that left the artifact unverified: 2. */
    static int exitStatus(Job job) {
        return switch (job.getState()) {
            case PASSED -> ExitStatus.OK;
            case FAILED -> ExitStatus.VERIFICATION_FAILED;
            default -> ExitStatus.ERROR;
        };
    }
}
