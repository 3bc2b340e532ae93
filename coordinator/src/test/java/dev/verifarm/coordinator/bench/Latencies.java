package dev.verifarm.coordinator.bench;

import java.util.Arrays;

/** Samples of a duration, in nanoseconds, and their percentiles. */
final class Latencies {
    private final long[] sorted;

    private Latencies(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    static Latencies of(long[] nanos) {
        return new Latencies(nanos);
    }

    /** A call that may throw, timed by {@link #time}. */
    interface Call {
        void run() throws Exception;
    }

    /** Makes {@code warmUp} untimed calls, then times {@code calls} calls one after the other. */
    static Latencies time(int warmUp, int calls, Call call) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            call.run();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t0;
        }
        return of(nanos);
    }

    /** The sample below which {@code percent} % of the samples lie (nearest rank). */
    long percentileNanos(double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    int count() {
        return sorted.length;
    }

    /** {@code p50 1.23 ms, p99 4.56 ms (n=100)}, in microseconds when the median is below a millisecond. */
    @Override
    public String toString() {
        boolean micros = percentileNanos(50) < 1_000_000;
        double unit = micros ? 1e3 : 1e6;
        String name = micros ? "us" : "ms";
        return String.format("p50 %.1f %s, p99 %.1f %s (n=%d)", percentileNanos(50) / unit, name,
                percentileNanos(99) / unit, name, count());
    }
}
