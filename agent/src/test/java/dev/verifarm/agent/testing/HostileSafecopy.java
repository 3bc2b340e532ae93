package dev.verifarm.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The safecopy fixture with its data or code overwritten by words that look like what the hazard scan looks for:
 * entries of the wrappers, addresses of func value words, RIP-relative LEAs of them. Where each lands comes from
 * readelf; the words' values from go tool nm and the unmodified binary.
 */
public record HostileSafecopy(SafecopyFixture fixture, byte[] bytes) {

    public static HostileSafecopy of(SafecopyFixture fixture) {
        try {
            return new HostileSafecopy(fixture, Files.readAllBytes(fixture.binary()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A section's extent in the file and in memory. */
    public ToolchainTruth.Section section(String name) {
        ToolchainTruth.Section s = ToolchainTruth.sectionsByName(fixture.binary()).get(name);
        if (s == null) {
            throw new AssertionError(fixture.binary() + " has no " + name);
        }
        return s;
    }

    /** Writes the 8-byte little-endian word at a virtual address of the section. */
    public void putWord(ToolchainTruth.Section s, long address, long value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) (s.offset() + address - s.address()), value);
    }

    /** Overwrites code at a virtual address of the section with raw bytes, cut at the section's end. */
    public void putCode(ToolchainTruth.Section s, long address, byte[] code) {
        int at = (int) (s.offset() + address - s.address());
        System.arraycopy(code, 0, bytes, at, (int) Math.min(code.length, s.offset() + s.size() - at));
    }

    /** The edited file, written to {@code file}. */
    public Path write(Path file) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
