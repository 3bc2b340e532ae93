package dev.verifarm.agent.health;

import dev.verifarm.agent.elf.Architecture;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The health of every architecture an agent can run, kept proven by self-checks: on demand, every
 * {@code interval}, and whenever a native run fails (to tell a broken host from a broken program). Self-checks
 * run one at a time on a thread of their own; asking for an architecture whose check is queued and not started
 * joins that check, so a burst of failing leases costs at most one check running and one queued.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());

    private final SelfCheck selfCheck;
    private final Set<Architecture> claimed;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verifarm-self-check");
        t.setDaemon(true);
        return t;
    });
    private final Map<Architecture, Health> health = new EnumMap<>(Architecture.class);
    private final Map<Architecture, CompletableFuture<Health>> queued = new EnumMap<>(Architecture.class);
    private Runnable onChange = () -> { };

    /** {@code claimed}: the architectures the agent can run and would serve when healthy; all UNKNOWN at first. */
    public HealthMonitor(SelfCheck selfCheck, Set<Architecture> claimed, Duration interval, Clock clock) {
        if (claimed.isEmpty()) {
            throw new IllegalArgumentException("an agent claims at least one architecture");
        }
        this.selfCheck = selfCheck;
        this.claimed = Set.copyOf(EnumSet.copyOf(claimed));
        this.interval = interval;
        this.clock = clock;
        this.claimed.forEach(a -> health.put(a, Health.UNKNOWN));
    }

    /**
     * Called, on the self-check thread, whenever an architecture's state changes (what the agent serves depends on
     * nothing else; heartbeats carry the rest), before the check's waiters are told.
     */
    public synchronized void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Checks every claimed architecture every interval from now on (the first one an interval from now). */
    public void start() {
        long millis = interval.toMillis();
        checks.scheduleWithFixedDelay(() -> checkNow(claimed, "every " + interval.toSeconds() + " s"), millis, millis,
                TimeUnit.MILLISECONDS);
    }

    public Set<Architecture> claimed() {
        return claimed;
    }

    /** Every claimed architecture's health as of now. */
    public synchronized Map<Architecture, Health> health() {
        return new EnumMap<>(health);
    }

    /** The claimed architectures whose last self-check passed. */
    public synchronized Set<Architecture> healthy() {
        Set<Architecture> healthy = EnumSet.noneOf(Architecture.class);
        health.forEach((a, h) -> {
            if (h.healthy()) {
                healthy.add(a);
            }
        });
        return healthy;
    }

    /** Self-checks {@code architectures} (those claimed among them) soon; completes with their new health. */
    public CompletableFuture<Map<Architecture, Health>> checkNow(Collection<Architecture> architectures, String why) {
        List<Architecture> asked = architectures.stream().filter(claimed::contains).distinct().toList();
        LOG.log(Level.DEBUG, "self-check of {0}: {1}", asked, why);
        List<CompletableFuture<Health>> futures = asked.stream().map(this::enqueue).toList();
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<Architecture, Health> results = new EnumMap<>(Architecture.class);
            for (int i = 0; i < asked.size(); i++) {
                results.put(asked.get(i), futures.get(i).join());
            }
            return results;
        });
    }

    /**
     * {@code architecture}'s health proven after {@code since}: the last self-check's if it ended after then, else
     * a new one's, waited for. A lease whose native run failed asks this before it reports: an unhealthy host's
     * failure is the host's, not the program's.
     */
    public Health confirm(Architecture architecture, Instant since) {
        synchronized (this) {
            Health last = health.get(architecture);
            if (last == null) {
                return Health.unhealthy("self-check", "this agent does not run " + architecture.goName(),
                        clock.instant());
            }
            if (last.checkedAt().isPresent() && last.checkedAt().get().isAfter(since)) {
                return last;
            }
        }
        return enqueue(architecture).join();
    }

    private synchronized CompletableFuture<Health> enqueue(Architecture architecture) {
        CompletableFuture<Health> pending = queued.get(architecture);
        if (pending == null) {
            CompletableFuture<Health> check = new CompletableFuture<>();
            queued.put(architecture, check);
            pending = check;
            checks.execute(() -> run(architecture, check));
        }
        return pending;
    }

    private void run(Architecture architecture, CompletableFuture<Health> check) {
        synchronized (this) {
            queued.remove(architecture, check);
        }
        Health result;
        try {
            result = selfCheck.run(architecture);
        } catch (RuntimeException e) {
            result = Health.unhealthy("self-check", "the self-check itself failed: " + e, clock.instant());
        }
        Runnable listener;
        boolean changed;
        synchronized (this) {
            changed = health.put(architecture, result).state() != result.state();
            listener = onChange;
        }
        if (changed) {
            if (result.healthy()) {
                LOG.log(Level.INFO, "self-check of {0} passed: taking {0} work", architecture.goName());
            } else {
                LOG.log(Level.WARNING, "self-check of {0} FAILED, taking no {0} work until one passes: {1}",
                        architecture.goName(), result.explanation());
            }
        }
        if (changed) {
            // before anyone waiting hears: a lease refused for it must reach a coordinator that knows already
            listener.run();
        }
        check.complete(result);
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
