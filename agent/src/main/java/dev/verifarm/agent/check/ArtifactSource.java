package dev.verifarm.agent.check;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.elf.ElfFormatException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the engine gets the opened artifact of a path. A one-shot command opens it afresh; a long-running agent
 * keeps opened artifacts for the next request on the same file, so the source decides what closing a use means.
 */
@FunctionalInterface
public interface ArtifactSource {

    /** Opens every request's artifact anew and closes it when the request is done. */
    ArtifactSource FRESH = path -> {
        Artifact artifact = Artifact.open(path);
        return new Use(artifact, artifact::close);
    };

    /**
     * Like {@link #FRESH}, for a process whose working directory is not its caller's: opens a relative path
     * against {@code directory}, and names the artifact by the path as given.
     */
    static ArtifactSource freshIn(Path directory) {
        return path -> {
            Artifact artifact = Artifact.open(directory.resolve(path), path.toString());
            return new Use(artifact, artifact::close);
        };
    }

    /** @throws dev.verifarm.agent.isa.DisassemblerUnavailableException when libcapstone is not installed */
    Use open(Path path) throws IOException, ElfFormatException;

    /** One request's hold on an opened artifact; {@link #close()} gives it back to its source. */
    record Use(Artifact artifact, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }
}
