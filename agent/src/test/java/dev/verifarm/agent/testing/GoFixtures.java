package dev.verifarm.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds the Go programs under {@code agent/src/test/go} into real ELF test
 * inputs, with the Go toolchain on PATH (Debian's golang-go).
 *
 * <p>Outputs land in {@code agent/target/fixtures/<program>-<arch>-<variant>}
 * and are reused until a source file is newer. Go's caches live under
 * {@code agent/target/go-cache}, so builds need neither HOME nor the network.
 */
public final class GoFixtures {
    static final String GO_MISSING = "Go toolchain not found: install Debian's golang-go";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

    private GoFixtures() {
    }

    /** The built binary of {@code program} for {@code arch} and {@code variant}, building it if needed. */
    public static Path build(String program, GoArch arch, BuildVariant variant) {
        return buildWith(program, Optional.empty(), arch, variant, Optional.empty());
    }

    /** As {@link #build(String, GoArch, BuildVariant)}, with a given toolchain instead of the one on PATH. */
    public static Path build(String program, GoArch arch, BuildVariant variant, GoToolchain toolchain) {
        return buildWith(program, Optional.empty(), arch, variant, Optional.of(toolchain));
    }

    /** As {@link #build(String, GoArch, BuildVariant, GoToolchain)}, with the build tag {@code tag} set. */
    public static Path build(String program, String tag, GoArch arch, BuildVariant variant, GoToolchain toolchain) {
        return buildWith(program, Optional.of(tag), arch, variant, Optional.of(toolchain));
    }

    private static synchronized Path buildWith(String program, Optional<String> tag, GoArch arch,
                                               BuildVariant variant, Optional<GoToolchain> toolchain) {
        Path source = sourceDir(program);
        Path output = AgentModule.target().resolve("fixtures").resolve(program + tag.map(t -> "-" + t).orElse("")
                + "-" + arch.goarch() + "-" + variant.id() + toolchain.map(GoToolchain::suffix).orElse(""));
        if (isUpToDate(output, source)) {
            return output;
        }
        try {
            Files.createDirectories(output.getParent());
            // Build beside the output and rename, so another JVM never sees half a binary.
            Path partial = Files.createTempFile(output.getParent(), output.getFileName() + ".", ".partial");
            try {
                Path go = toolchain.map(GoToolchain::go).orElseGet(GoFixtures::go);
                List<String> command = new ArrayList<>(List.of(go.toString(), "build", "-trimpath"));
                command.addAll(withTag(variant.goBuildFlags(), tag));
                command.addAll(List.of("-o", partial.toString(), "."));
                ExternalCommand.Result result = ExternalCommand.run(command, source, buildEnv(arch, variant), BUILD_TIMEOUT);
                if (!result.succeeded()) {
                    throw new IllegalStateException("building Go fixture " + program + " for " + arch.goarch() + "/"
                            + variant.id() + " failed: " + result.describe());
                }
                Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fixture " + output, e);
        }
        return output;
    }

    /** The variant's flags with {@code tag} added to its {@code -tags}, or as one of its own. */
    private static List<String> withTag(List<String> flags, Optional<String> tag) {
        if (tag.isEmpty()) {
            return flags;
        }
        List<String> out = new ArrayList<>(flags);
        int tags = out.indexOf("-tags");
        if (tags >= 0) {
            out.set(tags + 1, out.get(tags + 1) + "," + tag.get());
        } else {
            out.addAll(List.of("-tags", tag.get()));
        }
        return out;
    }

    /** The source directory of a fixture program, such as {@code agent/src/test/go/stubs}. */
    public static Path sourceDir(String program) {
        if (!program.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a fixture program name: " + program);
        }
        Path dir = AgentModule.goSources().resolve(program);
        if (!Files.isRegularFile(dir.resolve("go.mod"))) {
            throw new IllegalArgumentException("no Go fixture program " + program + " (expected " + dir.resolve("go.mod") + ")");
        }
        return dir;
    }

    /** Runs {@code go ARGS...} (such as {@code tool nm}) with the same isolated environment as builds. */
    static ExternalCommand.Result go(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(go().toString());
        command.addAll(args);
        return ExternalCommand.run(command, null, isolatedEnv(), TOOL_TIMEOUT);
    }

    static Path go() {
        return ExternalCommand.onPath("go")
                .or(() -> Stream.of(Path.of("/usr/lib/go/bin/go"), Path.of("/usr/local/go/bin/go"))
                        .filter(Files::isExecutable).findFirst())
                .orElseThrow(() -> new IllegalStateException(GO_MISSING));
    }

    private static Map<String, String> isolatedEnv() {
        Path cache = AgentModule.target().resolve("go-cache");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GOCACHE", cache.resolve("build").toString());
        env.put("GOPATH", cache.resolve("gopath").toString());
        env.put("GOMODCACHE", cache.resolve("gopath").resolve("pkg").resolve("mod").toString());
        env.put("GOENV", "off");            // no user config file, wherever HOME is
        env.put("GOFLAGS", "-mod=mod");
        env.put("GO111MODULE", "on");
        env.put("GOPROXY", "off");          // the fixtures have no dependencies to fetch
        env.put("GOTOOLCHAIN", "local");    // newer go commands must not fetch another toolchain
        return env;
    }

    private static Map<String, String> buildEnv(GoArch arch, BuildVariant variant) {
        Map<String, String> env = isolatedEnv();
        env.put("GOOS", "linux");
        env.put("GOARCH", arch.goarch());
        if (variant.cgo()) {
            env.put("CGO_ENABLED", "1");
            env.put("CC", cCompiler(arch).toString());
        } else {
            env.put("CGO_ENABLED", "0");
        }
        return env;
    }

    private static Path cCompiler(GoArch arch) {
        if (arch.isHost()) {
            return ExternalCommand.require("gcc", "install Debian's gcc");
        }
        String triplet = arch.unameMachine() + "-linux-gnu";
        return ExternalCommand.require(triplet + "-gcc", "install Debian's gcc-" + triplet.replace('_', '-'));
    }

    private static boolean isUpToDate(Path output, Path source) {
        if (!Files.isRegularFile(output)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(source)) {
            FileTime built = Files.getLastModifiedTime(output);
            return files.filter(Files::isRegularFile).noneMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(built) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture sources " + source, e);
        }
    }
}
