package dev.verifarm.coordinator.harness;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies of one job submitted over REST through several coordinators from a few threads while a test breaks
 * things (kills a coordinator, cuts the database): the n-th copy goes through coordinator n mod k, not before
 * n / rate seconds after the start. It keeps the id of every submission that was acknowledged (201 with the job)
 * and counts the others by why they were not: a 5xx or no answer is what a dying coordinator or a cut database may
 * give, any other status is a refusal the test did not expect ({@link #refusals()}).
 */
public final class Submissions implements AutoCloseable {
    /** Each thread keeps up its share of the rate while an acknowledgement takes up to 40 ms. */
    private static final int PER_THREAD_PER_SECOND = 25;

    private final List<FarmApi> through;
    private final Map<String, ?> body;
    private final int count;
    private final long nanosApart;
    private final long start = System.nanoTime();
    private final AtomicInteger next = new AtomicInteger();
    private final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> unacknowledged = new TreeMap<>();
    private final List<String> refusals = new ArrayList<>();
    private final int threadCount;
    private final ExecutorService threads;
    private volatile boolean stopped;

    private Submissions(List<FarmApi> through, Map<String, ?> body, int count, int perSecond) {
        this.through = List.copyOf(through);
        this.body = body;
        this.count = count;
        this.nanosApart = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.threadCount = Math.max(4, perSecond / PER_THREAD_PER_SECOND);
        this.threads = Executors.newFixedThreadPool(threadCount);
    }

    /** Starts submitting {@code count} copies of {@code body}, {@code perSecond} a second, over {@code through}. */
    public static Submissions start(List<FarmApi> through, Map<String, ?> body, int count, int perSecond) {
        Submissions submissions = new Submissions(through, body, count, perSecond);
        for (int i = 0; i < submissions.threadCount; i++) {
            submissions.threads.execute(submissions::submitInTurn);
        }
        submissions.threads.shutdown();
        return submissions;
    }

    private void submitInTurn() {
        try {
            for (int n; !stopped && (n = next.getAndIncrement()) < count; ) {
                long wait = start + n * nanosApart - System.nanoTime();
                if (wait > 0) {
                    Farm.sleep(Duration.ofNanos(wait));
                }
                if (!stopped) {
                    submit(through.get(n % through.size()));
                }
            }
        } catch (IllegalStateException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
            // closed while waiting or submitting: the test has moved on
        }
    }

    private void submit(FarmApi api) {
        try {
            HttpResponse<String> r = api.post("/api/v1/jobs", body);
            if (r.statusCode() == 201) {
                acknowledged.add(FarmApi.parse(r.body()).get("id").asText());
            } else if (r.statusCode() >= 500) {
                notAcknowledged("HTTP " + r.statusCode());
            } else {
                synchronized (this) {
                    refusals.add(r.statusCode() + " " + r.body());
                }
            }
        } catch (UncheckedIOException e) {
            notAcknowledged("no answer (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    private synchronized void notAcknowledged(String why) {
        unacknowledged.merge(why, 1, Integer::sum);
    }

    /** The ids of the jobs acknowledged so far, in the order the acknowledgements came. */
    public List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** How many submissions got a 5xx or no answer, by why. */
    public synchronized Map<String, Integer> unacknowledged() {
        return new TreeMap<>(unacknowledged);
    }

    public synchronized int unacknowledgedCount() {
        return unacknowledged.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Status and body of each answer that was neither a 201 nor a 5xx. */
    public synchronized List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Waits until at least {@code count} submissions were acknowledged; fails after {@code limit}. */
    public Submissions awaitAcknowledged(int count, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (acknowledged.size() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(count + " submissions not acknowledged after " + limit + ": " + this);
            }
            Farm.sleep(Duration.ofMillis(50));
        }
        return this;
    }

    /** True once every copy was submitted, or the rest dropped by {@link #stop()}. */
    public boolean done() {
        return threads.isTerminated();
    }

    /** Waits until every copy was submitted (acknowledged or not); fails after {@code limit}. */
    public Submissions awaitAll(Duration limit) {
        try {
            if (!threads.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("submissions unfinished after " + limit + ": " + this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Sends no more and waits for the submissions under way to be answered. */
    public Submissions stop() {
        stopped = true;
        return awaitAll(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        stopped = true;
        threads.shutdownNow();
    }

    @Override
    public synchronized String toString() {
        return acknowledged.size() + " acknowledged, " + unacknowledgedCount() + " not " + unacknowledged
                + (refusals.isEmpty() ? "" : ", " + refusals.size() + " refused");
    }
}
