package dev.verifarm.agent.farm;

import dev.verifarm.agent.elf.Architecture;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What this host really is, as the agent registers it.
 *
 * @param emulated the foreign architectures qemu-user can run here
 */
public record HostFacts(String hostname, Architecture architecture, String kernel, String cpu,
                        Set<Architecture> emulated) {

    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/bin"));

    public HostFacts {
        emulated = emulated.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(emulated));
    }

    /** Reads the facts of the machine this JVM runs on; fails when its architecture is not one the engine knows. */
    public static HostFacts detect() {
        Architecture native_ = Architecture.host().orElseThrow(() -> new IllegalStateException(
                "unsupported host architecture os.arch=" + System.getProperty("os.arch") + " (known: amd64, arm64)"));
        Set<Architecture> emulated = EnumSet.noneOf(Architecture.class);
        for (Architecture a : Architecture.values()) {
            if (a != native_ && qemuUser(a).isPresent()) {
                emulated.add(a);
            }
        }
        return new HostFacts(readHostname(), native_, readKernel(), readCpu(), emulated);
    }

    /** The qemu-user binary that runs {@code architecture}'s executables on this host, if one is installed. */
    public static Optional<Path> qemuUser(Architecture architecture) {
        String machine = switch (architecture) {
            case AMD64 -> "x86_64";
            case ARM64 -> "aarch64";
        };
        for (String name : List.of("qemu-" + machine + "-static", "qemu-" + machine)) {
            for (Path dir : BIN_DIRS) {
                Path candidate = dir.resolve(name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The architectures this host can run: its own and the emulated ones. */
    public Set<Architecture> runnable() {
        EnumSet<Architecture> all = EnumSet.of(architecture);
        all.addAll(emulated);
        return all;
    }

    private static String readHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }

    private static String readKernel() {
        try {
            return Files.readString(OSRELEASE).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    private static String readCpu() {
        try {
            // "model name" on x86, "CPU part"/"Hardware" style fields on arm64 kernels that lack it.
            List<String> lines = Files.readAllLines(CPUINFO);
            for (String key : List.of("model name", "Model", "Hardware", "CPU implementer")) {
                Optional<String> value = lines.stream()
                        .filter(l -> l.startsWith(key) && l.contains(":"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .filter(v -> !v.isEmpty())
                        .findFirst();
                if (value.isPresent()) {
                    return key.equals("CPU implementer") ? "arm64 implementer " + value.get() : value.get();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown (" + System.getProperty("os.arch") + ")";
    }
}
