package dev.verifarm.coordinator.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real Go binaries for farm tests, built from the agent's fixture sources with the installed toolchain, and what
 * the toolchain says about them: the expected verdicts come from running the binary's own probe mode (under
 * qemu-user for arm64) and naming the reported addresses with {@code go tool nm}, never from our code.
 */
public final class GoBinaries {
    private static final Pattern RESOLVE = Pattern.compile("^verifarm resolve (\\S+) 0x(\\p{XDigit}+)$");
    private static final Pattern NM = Pattern.compile("^\\s*(\\p{XDigit}+)\\s+\\d+\\s+\\S\\s+(\\S+)$");

    private GoBinaries() {
    }

    /** {@code go build} of fixture {@code program} for linux/{@code goarch}, static and internally linked. */
    public static Path build(String program, String goarch) {
        return build(source(program), program, goarch);
    }

    /** The directory of fixture {@code program}'s sources. */
    public static Path source(String program) {
        return Path.of(System.getProperty("verifarm.go.sources", "../agent/src/test/go")).resolve(program);
    }

    /** {@code go build} of the package in {@code source} (e.g. a patched copy of a fixture) as {@code name}. */
    public static Path build(Path source, String name, String goarch) {
        return build(source, name, goarch, List.of());
    }

    /** {@code go build -tags TAG} of fixture {@code program}, named {@code program-TAG}. */
    public static Path buildTagged(String program, String tag, String goarch) {
        return build(source(program), program + "-" + tag, goarch, List.of("-tags", tag));
    }

    private static synchronized Path build(Path source, String name, String goarch, List<String> flags) {
        Path output = Farm.workDir().resolve("go").resolve(name + "-" + goarch);
        if (Files.isRegularFile(output)) {
            return output;
        }
        try {
            Files.createDirectories(output.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("go", "build", "-trimpath"));
        command.addAll(flags);
        command.addAll(List.of("-o", output.toString(), "."));
        run(command, source,
                Map.of("GOOS", "linux", "GOARCH", goarch, "CGO_ENABLED", "0"));
        return output;
    }

    /** The symbol each resolver's runtime address falls on, from probe mode and {@code go tool nm}. */
    public static Map<String, String> resolvedSymbols(Path binary, String goarch) {
        Map<Long, String> symbols = new HashMap<>();
        for (String line : run(List.of("go", "tool", "nm", "-size", binary.toString()), null, Map.of()).split("\n")) {
            Matcher m = NM.matcher(line);
            if (m.matches()) {
                symbols.putIfAbsent(Long.parseUnsignedLong(m.group(1), 16), m.group(2));
            }
        }
        List<String> command = goarch.equals(hostGoarch()) ? List.of(binary.toString())
                : List.of(qemu(goarch), binary.toString());
        Map<String, String> resolved = new HashMap<>();
        for (String line : run(command, null, Map.of("VERIFARM_PROBE", "1")).split("\n")) {
            Matcher m = RESOLVE.matcher(line.strip());
            if (m.matches()) {
                long address = Long.parseUnsignedLong(m.group(2), 16);
                resolved.put(m.group(1), Optional.ofNullable(symbols.get(address)).orElse("0x" + m.group(2)));
            }
        }
        return resolved;
    }

    /** The verdict the toolchain's facts imply for a RESOLVE check of {@code resolver} against {@code target}. */
    public static String expectedVerdict(Map<String, String> resolved, String resolver, String target) {
        String symbol = resolved.get(resolver);
        if (symbol == null) {
            throw new IllegalStateException("the probe reported nothing for " + resolver + ": " + resolved);
        }
        if (symbol.equals(target + ".abi0")) {
            return "MATCH";
        }
        return symbol.equals(target) ? "WRAPPER" : "MISMATCH";
    }

    static String hostGoarch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalStateException("unsupported host " + System.getProperty("os.arch"));
        };
    }

    private static String qemu(String goarch) {
        String machine = goarch.equals("arm64") ? "aarch64" : "x86_64";
        for (String candidate : List.of("/usr/bin/qemu-" + machine + "-static", "/usr/bin/qemu-" + machine)) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("qemu-user for " + goarch + " is not installed (qemu-user-static)");
    }

    private static String run(List<String> command, Path dir, Map<String, String> env) {
        Path cache = Farm.workDir().resolve("go-cache");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(Map.of("GOCACHE", cache.resolve("build").toString(),
                "GOPATH", cache.resolve("gopath").toString(), "GOFLAGS", "-mod=mod", "GOPROXY", "off",
                "GOTOOLCHAIN", "local", "GOENV", "off"));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
