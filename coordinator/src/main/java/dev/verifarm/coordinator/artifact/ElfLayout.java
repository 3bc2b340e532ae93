package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.problem.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Refuses at upload an ELF file whose header, program header table or section header table, or whose loadable
 * segments or sections, lie outside the file: the bounds the agents' ELF reader checks before any check runs, so an
 * upload the farm accepts is one the agents can read. Errors name the file offset of the field that lies, in the
 * agents' words ({@code malformed ELF at offset 0x..}). The identity (magic, class, byte order, machine) is
 * {@link ElfIdentity}'s; this reads only the 64-bit little-endian layout that follows it.
 */
final class ElfLayout {
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int SHDR_SIZE = 64;
    private static final int PT_LOAD = 1;
    private static final int SHT_NOBITS = 8;

    // ELF64 header fields (System V ABI, "ELF Header")
    private static final int E_PHOFF = 32;
    private static final int E_SHOFF = 40;
    private static final int E_PHENTSIZE = 54;
    private static final int E_PHNUM = 56;
    private static final int E_SHENTSIZE = 58;
    private static final int E_SHNUM = 60;
    private static final int E_SHSTRNDX = 62;
    // ELF64 program header and section header fields
    private static final int P_TYPE = 0;
    private static final int P_OFFSET = 8;
    private static final int P_FILESZ = 32;
    private static final int SH_TYPE = 4;
    private static final int SH_OFFSET = 24;
    private static final int SH_SIZE = 32;

    private final FileChannel file;
    private final long size;
    private final String field;

    private ElfLayout(FileChannel file, long size, String field) {
        this.file = file;
        this.size = size;
        this.field = field;
    }

    /** Checks the layout of the {@code size}-byte ELF file at {@code path}; {@code field} names it in refusals. */
    static void require(Path path, long size, String field) {
        try (FileChannel channel = FileChannel.open(path)) {
            new ElfLayout(channel, size, field).check();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the upload " + path, e);
        }
    }

    private void check() throws IOException {
        if (size < EHDR_SIZE) {
            throw malformed(0, "file is " + size + " bytes, shorter than the 64-byte ELF header");
        }
        ByteBuffer header = read(0, EHDR_SIZE);
        int phnum = header.getShort(E_PHNUM) & 0xffff;
        if (phnum > 0) {
            long phoff = table(header, E_PHOFF, E_PHENTSIZE, PHDR_SIZE, phnum, "program header table");
            ByteBuffer table = read(phoff, phnum * PHDR_SIZE);
            for (int i = 0; i < phnum; i++) {
                int o = i * PHDR_SIZE;
                if (table.getInt(o + P_TYPE) == PT_LOAD) {
                    inside(phoff + o, table.getLong(o + P_OFFSET), table.getLong(o + P_FILESZ), "PT_LOAD segment " + i);
                }
            }
        }
        int shnum = header.getShort(E_SHNUM) & 0xffff;
        if (shnum > 0) {
            long shoff = table(header, E_SHOFF, E_SHENTSIZE, SHDR_SIZE, shnum, "section header table");
            int shstrndx = header.getShort(E_SHSTRNDX) & 0xffff;
            if (shstrndx >= shnum) {
                throw malformed(E_SHSTRNDX, "e_shstrndx=" + shstrndx + " but there are only " + shnum + " sections");
            }
            ByteBuffer table = read(shoff, shnum * SHDR_SIZE);
            for (int i = 1; i < shnum; i++) {
                int o = i * SHDR_SIZE;
                if (table.getInt(o + SH_TYPE) != SHT_NOBITS) {
                    inside(shoff + o, table.getLong(o + SH_OFFSET), table.getLong(o + SH_SIZE), "section " + i);
                }
            }
        }
    }

    /** The offset of a header table after checking its entry size and that all of it lies inside the file. */
    private long table(ByteBuffer header, int offsetField, int entrySizeField, int entrySize, int count, String what) {
        int declared = header.getShort(entrySizeField) & 0xffff;
        if (declared != entrySize) {
            throw malformed(entrySizeField, "e_" + (entrySize == PHDR_SIZE ? "ph" : "sh") + "entsize=" + declared
                    + ", expected " + entrySize);
        }
        long offset = header.getLong(offsetField);
        inside(offsetField, offset, (long) count * entrySize, "the " + what);
        return offset;
    }

    private void inside(long fieldOffset, long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw malformed(fieldOffset, what + " claims file bytes [0x" + Long.toHexString(offset) + ", +0x"
                    + Long.toHexString(length) + ") past the end of the " + size + "-byte file");
        }
    }

    private ByteBuffer read(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("the upload is shorter than its recorded " + size + " bytes");
            }
        }
        return buffer.flip();
    }

    private InvalidInputException malformed(long offset, String reason) {
        return new InvalidInputException(field, "malformed ELF at offset 0x" + Long.toHexString(offset) + ": " + reason);
    }
}
