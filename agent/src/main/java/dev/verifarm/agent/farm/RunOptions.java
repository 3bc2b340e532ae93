package dev.verifarm.agent.farm;

import dev.verifarm.agent.elf.Architecture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code verifarm-agent run}, as the command line read and checked them.
 *
 * @param coordinators    the coordinators' gRPC addresses, tried in turn: any of them serves this agent
 * @param name            how the farm lists this agent; defaults to the host name
 * @param maxConcurrency  how many leases run at once
 * @param cacheDir        where downloaded artifacts are kept, by sha256
 * @param architectures   the architectures to accept work for; empty means the native one plus every emulated one
 * @param drainTimeout    how long a stopping agent lets the leases it holds finish
 * @param tlsCa           the CA that signed the coordinator's certificate; empty means the system's trusted CAs
 * @param tokenFile       the file holding this agent's enrolment token
 * @param insecurePlaintext connect without TLS: the token and all leases travel in clear
 * @param allowProbeNetwork run probes even where no network namespace can be made for them
 * @param openedArtifactsBytes how many bytes of artifact files stay opened (hashed, parsed) for the next lease
 * @param hostPathRoots   the directories under which leases may name files on this host; none means no host paths
 * @param selfCheckInterval how often the agent proves every architecture it can run with its known-answer checks
 * @param cacheMaxBytes   the most the artifact cache keeps; least recently used files go first
 * @param cacheMinFreeBytes free space the cache leaves on its disk; below it the cache fetches nothing new
 * @param staticOnly      run no probes: self-check statically only, and send native leases back
 */
public record RunOptions(List<CoordinatorAddress> coordinators, Optional<String> name, int maxConcurrency,
                         Path cacheDir, Set<Architecture> architectures, Duration drainTimeout, Optional<Path> tlsCa,
                         Optional<Path> tokenFile, boolean insecurePlaintext, boolean allowProbeNetwork,
                         long openedArtifactsBytes, List<Path> hostPathRoots, Duration selfCheckInterval,
                         long cacheMaxBytes, long cacheMinFreeBytes, boolean staticOnly) {

    public RunOptions {
        coordinators = List.copyOf(coordinators);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(tlsCa, "tlsCa");
        Objects.requireNonNull(tokenFile, "tokenFile");
        architectures = architectures.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(architectures));
        hostPathRoots = List.copyOf(hostPathRoots);
    }
}
