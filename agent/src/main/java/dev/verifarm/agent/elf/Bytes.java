package dev.verifarm.agent.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bounds-checked little-endian view of part of a file. Every read that would leave the view fails
 * with an {@link ElfFormatException} naming the file offset, so a hostile length or offset can never
 * turn into an exception that kills the caller or a read of the wrong bytes.
 */
public final class Bytes {

    private final ByteBuffer buffer;
    private final long fileOffset;

    private Bytes(ByteBuffer buffer, long fileOffset) {
        this.buffer = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.fileOffset = fileOffset;
    }

    static Bytes of(ByteBuffer buffer) {
        return new Bytes(buffer, 0);
    }

    /** Wraps an in-memory array; offsets in errors are relative to its start. */
    public static Bytes wrap(byte[] data) {
        return new Bytes(ByteBuffer.wrap(data), 0);
    }

    public long size() {
        return buffer.capacity();
    }

    /** The offset of this view's first byte in the file, for error messages. */
    public long fileOffset() {
        return fileOffset;
    }

    public Bytes slice(long offset, long length, String what) throws ElfFormatException {
        check(offset, length, what);
        return new Bytes(buffer.slice((int) offset, (int) length), fileOffset + offset);
    }

    public int u8(long offset) throws ElfFormatException {
        check(offset, 1, "byte");
        return buffer.get((int) offset) & 0xff;
    }

    public int u16(long offset) throws ElfFormatException {
        check(offset, 2, "16-bit field");
        return buffer.getShort((int) offset) & 0xffff;
    }

    public long u32(long offset) throws ElfFormatException {
        check(offset, 4, "32-bit field");
        return buffer.getInt((int) offset) & 0xffffffffL;
    }

    public int i32(long offset) throws ElfFormatException {
        check(offset, 4, "32-bit field");
        return buffer.getInt((int) offset);
    }

    public long u64(long offset) throws ElfFormatException {
        check(offset, 8, "64-bit field");
        return buffer.getLong((int) offset);
    }

    public byte[] copy(long offset, long length, String what) throws ElfFormatException {
        check(offset, length, what);
        byte[] out = new byte[(int) length];
        buffer.get((int) offset, out);
        return out;
    }

    /**
     * The bytes of a NUL-terminated string starting at offset, without the NUL. The terminator must lie inside
     * the view and within maxLength bytes, so a caller can bound what decoding a table of names costs.
     */
    public byte[] cstring(long offset, long maxLength, String what) throws ElfFormatException {
        check(offset, 1, what + " string");
        int start = (int) offset;
        long limit = Math.min(buffer.capacity(), start + Math.max(0, maxLength));
        int end = indexOfNul(start, (int) limit);
        if (end < 0 && limit == buffer.capacity()) {
            throw new ElfFormatException(fileOffset + offset, what + " string at 0x" + Long.toHexString(offset)
                    + " is not NUL-terminated before the end of its " + buffer.capacity() + "-byte table");
        }
        if (end < 0) {
            throw new ElfFormatException(fileOffset + offset, what + " string at 0x" + Long.toHexString(offset)
                    + " runs on past the " + maxLength + " bytes the table may still decode: its names overlap"
                    + " far beyond shared suffixes");
        }
        byte[] raw = new byte[end - start];
        buffer.get(start, raw);
        return raw;
    }

    /**
     * The index of the first NUL in [from, limit), or -1. Symbol and function tables hold tens of thousands of
     * names, so this looks at eight bytes a time, as strlen does: a word has a zero byte exactly when
     * {@code (w - 0x01..01) & ~w & 0x80..80} is non-zero, and its lowest set bit marks the first one.
     */
    private int indexOfNul(int from, int limit) {
        int i = from;
        for (; i <= limit - Long.BYTES; i += Long.BYTES) {
            long w = buffer.getLong(i);
            long zeros = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (zeros != 0) {
                return i + Long.numberOfTrailingZeros(zeros) / Byte.SIZE;
            }
        }
        for (; i < limit; i++) {
            if (buffer.get(i) == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The view as a read-only little-endian buffer, for a linear pass that reads every word of a large section: it
     * must check its own bounds, as {@code ByteBuffer} does, but pays no copy and no per-read error path.
     */
    public ByteBuffer asReadOnlyBuffer() {
        return buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The index of the first occurrence of needle at or after from, or -1. */
    public long indexOf(byte[] needle, long from) {
        int limit = buffer.capacity() - needle.length;
        outer:
        for (int i = (int) Math.max(0, from); i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void check(long offset, long length, String what) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            throw new ElfFormatException(fileOffset + Math.max(offset, 0),
                    what + " of " + Long.toUnsignedString(length) + " bytes at 0x" + Long.toHexString(offset)
                            + " lies outside its " + buffer.capacity() + "-byte region");
        }
    }
}
