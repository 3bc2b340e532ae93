package dev.verifarm.coordinator.threads;

import java.util.concurrent.ThreadFactory;

/**
 * The coordinator's background threads: named, so that thread dumps and logs say what they do, and daemons,
 * so that none of them keeps a stopping coordinator alive.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
