package dev.verifarm.agent.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A request, from whoever started a check, that it stop early: the coordinator cancelled its job or it ran out of
 * time. The native mode kills its probe process when it comes.
 */
public final class Cancellation {
    private final List<Runnable> hooks = new ArrayList<>();
    private boolean cancelled;

    /** Stops the work: runs the hooks registered so far, and later ones as soon as they are registered. */
    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** Runs {@code hook} on cancellation (at once if it already came) until the returned handle is closed. */
    public AutoCloseable onCancel(Runnable hook) {
        synchronized (this) {
            if (!cancelled) {
                hooks.add(hook);
                return () -> {
                    synchronized (this) {
                        hooks.remove(hook);
                    }
                };
            }
        }
        hook.run();
        return () -> {
        };
    }
}
