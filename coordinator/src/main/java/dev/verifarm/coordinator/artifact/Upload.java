package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.TooLargeException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An upload in progress: bytes go to a temporary file while they are hashed, counted and their ELF header read.
 * Not thread-safe; one upload is fed by one request. Closing an unfinished upload deletes what it wrote.
 */
public final class Upload implements AutoCloseable {
    private final Caller uploader;
    private final String name;
    private final OptionalLong declaredSize;
    private final Optional<String> declaredSha256;
    private final long maxSize;
    private final Path partial;
    private final OutputStream out;
    private final MessageDigest digest;
    private final byte[] header = new byte[ElfIdentity.HEADER_BYTES];
    private long written;
    private boolean closed;

    Upload(Path partial, Caller uploader, String name, OptionalLong declaredSize, Optional<String> declaredSha256,
           long maxSize) throws IOException {
        this.partial = partial;
        this.uploader = uploader;
        this.name = name;
        this.declaredSize = declaredSize;
        this.declaredSha256 = declaredSha256;
        this.maxSize = maxSize;
        this.out = Files.newOutputStream(partial);
        this.digest = sha256();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whose quota the upload counts against. */
    Caller uploader() {
        return uploader;
    }

    public void write(byte[] bytes, int offset, int length) {
        if (written + length > maxSize) {
            throw new TooLargeException("artifact", "the artifact is larger than the limit of " + maxSize + " bytes");
        }
        if (declaredSize.isPresent() && written + length > declaredSize.getAsLong()) {
            throw new InvalidInputException("size", "more bytes than the declared size of "
                    + declaredSize.getAsLong());
        }
        if (written < header.length) {
            System.arraycopy(bytes, offset, header, (int) written, (int) Math.min(length, header.length - written));
        }
        boolean headerJustComplete = written < header.length && written + length >= header.length;
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload to " + partial, e);
        }
        digest.update(bytes, offset, length);
        written += length;
        if (headerJustComplete) {
            // Refuse a file that is not a 64-bit ELF of a served machine before the rest of it arrives.
            ElfIdentity.architecture(header, header.length, "artifact");
        }
    }

    /** Checks the whole upload against what was declared and closes the file; the caller moves it into place. */
    Verified verify() {
        closeStream();
        if (declaredSize.isPresent() && written != declaredSize.getAsLong()) {
            throw new InvalidInputException("size", "the upload ended after " + written
                    + " bytes, but its declared size is " + declaredSize.getAsLong());
        }
        if (written == 0) {
            throw new InvalidInputException("artifact", "the upload is empty");
        }
        Architecture architecture = ElfIdentity.architecture(header, (int) Math.min(written, header.length),
                "artifact");
        ElfLayout.require(partial, written, "artifact");
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (declaredSha256.isPresent() && !declaredSha256.get().equals(sha256)) {
            throw new InvalidInputException("sha256", "the upload hashes to " + sha256
                    + ", not the declared " + declaredSha256.get());
        }
        return new Verified(partial, name, written, sha256, architecture);
    }

    record Verified(Path file, String name, long size, String sha256, Architecture architecture) {
    }

    @Override
    public void close() {
        closeStream();
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the partial upload " + partial, e);
        }
    }

    private void closeStream() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the upload to " + partial, e);
            }
        }
    }
}
