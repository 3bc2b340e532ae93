package dev.verifarm.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch files for fuzzers, which rewrite one file per input: in memory (/dev/shm) where the host has it. */
public final class ScratchFiles {

    private ScratchFiles() {
    }

    public static Path create(String prefix) {
        try {
            Path shm = Path.of("/dev/shm");
            Path file = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempFile(shm, prefix, "") : Files.createTempFile(prefix, "");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
