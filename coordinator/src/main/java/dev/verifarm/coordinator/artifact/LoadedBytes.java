package dev.verifarm.coordinator.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The bytes a loader would place at a virtual address range of a stored 64-bit little-endian ELF file, read
 * through its PT_LOAD program headers. A range not wholly backed by one segment's file bytes has none.
 */
public final class LoadedBytes {
    private static final int PT_LOAD = 1;
    private static final int E_PHOFF = 0x20;
    private static final int E_PHENTSIZE = 0x36;
    private static final int PHDR_BYTES = 56;

    private LoadedBytes() {
    }

    public static Optional<byte[]> read(Path file, long address, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = read(channel, 0, 64);
            long phoff = header.getLong(E_PHOFF);
            int phentsize = header.getShort(E_PHENTSIZE) & 0xffff;
            int phnum = header.getShort(E_PHENTSIZE + 2) & 0xffff;
            if (phentsize < PHDR_BYTES || phoff < 0 || phoff + (long) phnum * phentsize > channel.size()) {
                return Optional.empty();
            }
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(channel, phoff + (long) i * phentsize, PHDR_BYTES);
                long offset = ph.getLong(8);
                long vaddr = ph.getLong(16);
                long filesz = ph.getLong(32);
                long into = address - vaddr;
                if (ph.getInt(0) == PT_LOAD && into >= 0 && into + length <= filesz && filesz >= 0
                        && offset + into + length <= channel.size()) {
                    return Optional.of(read(channel, offset + into, length).array());
                }
            }
            return Optional.empty();
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the file ends at " + (position + buffer.position()) + ", before "
                        + (position + length));
            }
        }
        return buffer;
    }
}
