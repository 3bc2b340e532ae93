package dev.verifarm.agent.testing.stubgen;

/** Decisions read from fuzzer bytes, one at a time; once the bytes run out every decision is the first choice. */
public final class Choices {

    private final byte[] data;
    private int at;

    public Choices(byte[] data) {
        this.data = data.clone();
    }

    /** A number in [0, bound). */
    public int below(int bound) {
        if (bound <= 1 || at >= data.length) {
            return 0;
        }
        int v = data[at++] & 0xff;
        if (bound > 256 && at < data.length) {
            v = v << 8 | data[at++] & 0xff;
        }
        return v % bound;
    }

    /** A number in [low, high]. */
    public int between(int low, int high) {
        return low + below(high - low + 1);
    }

    public boolean chance() {
        return below(2) == 1;
    }
}
