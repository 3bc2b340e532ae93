package dev.verifarm.cli.render;

import dev.verifarm.proto.v1.AttemptState;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.JobEvent;

import java.io.PrintStream;

/**
 * Shows a watched job's events as they come: a progress bar redrawn in place on a terminal, one plain line per
 * event otherwise (a CI log keeps every step).
 */
public interface WatchDisplay {
    void show(JobEvent event);

    /** Leaves the display clean for what is printed after it. */
    void close();

    static WatchDisplay forTerminal(boolean terminal, PrintStream err) {
        return terminal ? new Bar(err) : new Lines(err);
    }

    /** How far a job has come, from 0 (queued) to 1 (finished): its ended attempts of all it has or will have. */
    static double fraction(Job job) {
        if (isFinal(job)) {
            return 1;
        }
        long total = job.getAttemptsCount();
        if (total == 0) {
            return 0;
        }
        double done = job.getAttemptsList().stream().mapToDouble(a -> a.getState() == AttemptState.ATTEMPT_LEASED
                ? 0.2 : a.getState() == AttemptState.ATTEMPT_RUNNING ? 0.5 : 1.0).sum();
        if (!job.getFleetWide()) {
            // earlier attempts that ended in an infrastructure failure only count as a start
            double last = done - (total - 1);
            return Math.min(0.95, Math.max(0.1, last));
        }
        return Math.min(0.95, done / total);
    }

    static boolean isFinal(Job job) {
        return switch (job.getState()) {
            case PASSED, FAILED, ERROR, CANCELLED, TIMED_OUT -> true;
            default -> false;
        };
    }

    final class Lines implements WatchDisplay {
        private final PrintStream err;

        Lines(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(JobEvent event) {
            err.println(JobText.time(event.getAt()) + "  " + event.getState() + "  " + event.getMessage());
        }

        @Override
        public void close() {
            err.flush();
        }
    }

    final class Bar implements WatchDisplay {
        private static final int WIDTH = 30;
        private static final int LINE = 100;
        private final PrintStream err;

        Bar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(JobEvent event) {
            int filled = (int) Math.round(fraction(event.getJob()) * WIDTH);
            String line = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                    + String.format("%-9s ", event.getState()) + event.getMessage().replace('\n', ' ');
            line = line.length() > LINE ? line.substring(0, LINE - 3) + "..." : line;
            err.print("\r" + line + " ".repeat(LINE - line.length()));
            err.flush();
        }

        @Override
        public void close() {
            err.println();
        }
    }
}
