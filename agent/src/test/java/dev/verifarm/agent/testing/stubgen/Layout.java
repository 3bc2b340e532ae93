package dev.verifarm.agent.testing.stubgen;

/**
 * Where a generated stub lives: its code, the function its correct result is, another function, and
 * runtime.morestack, all inside an image whose words the walk may load; the caller's stack lies far away.
 */
public final class Layout {

    public static final long BODY = 0x40_0000L;
    public static final long OTHER = 0x40_0100L;
    public static final long MORESTACK = 0x40_0200L;
    public static final long CODE = 0x40_1000L;
    public static final long IMAGE_END = 0x80_0000L;
    /** The stack pointer at entry, before a world moves it by a few words. */
    public static final long STACK = 0x7ffe_0000_0000L;
    /** Where the caller's return address points. */
    public static final long RETURN_ADDRESS = 0x41_2345L;

    private Layout() {
    }

    /** The image's byte at address, the same in every world: what a GOT slot or data word holds there. */
    public static byte imageByte(long address) {
        long x = (address & ~7L) * 0x9e3779b97f4a7c15L;
        return (byte) ((x ^ (x >>> 29)) >>> (8 * (address & 7)));
    }

    /** The little-endian word of the image at address, which need not be aligned. */
    public static long imageWord(long address) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (imageByte(address + i) & 0xff);
        }
        return v;
    }

    public static boolean inImage(long address) {
        return address >= BODY && address < IMAGE_END;
    }
}
