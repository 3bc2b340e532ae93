package dev.verifarm.agent.testing.stubgen;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One concrete run of a generated stub: registers and memory whose starting contents a seed decides, except the
 * image (the same in every world) and the return address at entry. Two worlds that disagree on what a stub
 * returns show that the stub's result depends on something the walk cannot know.
 */
public final class World {

    /** What a run ended with. */
    public record Outcome(boolean returnedToCaller, long resultSlot, long resultRegister) {
    }

    private final long seed;
    private final Map<Long, Byte> written = new HashMap<>();
    public final long[] registers;
    public long sp;
    public final long entrySp;

    public World(long seed, int registerCount) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        registers = new long[registerCount];
        for (int i = 0; i < registerCount; i++) {
            registers[i] = random.nextLong();
        }
        entrySp = Layout.STACK + 16L * random.nextInt(64);
        sp = entrySp;
    }

    public long load(long address) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (byte8(address + i) & 0xff);
        }
        return v;
    }

    public void store(long address, long value) {
        store(address, value, Long.BYTES);
    }

    /** Stores the low width bytes of value, little-endian. */
    public void store(long address, long value, int width) {
        for (int i = 0; i < width; i++) {
            written.put(address + i, (byte) (value >>> (8 * i)));
        }
    }

    private byte byte8(long address) {
        Byte b = written.get(address);
        if (b != null) {
            return b;
        }
        if (Layout.inImage(address)) {
            return Layout.imageByte(address);
        }
        long x = (address ^ seed) * 0xbf58476d1ce4e5b9L;
        return (byte) (x ^ (x >>> 31));
    }
}
