package dev.verifarm.coordinator.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged command line ({@code cli/target/verifarm-cli.jar}) run as a child process, with a home of its own
 * (no config file unless a test writes one) and no VERIFARM_* variables but those a test passes.
 */
public final class Cli {
    private Cli() {
    }

    public record Run(int exitStatus, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitStatus + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    public static Run run(Map<String, String> env, String... args) {
        try {
            Path home = Files.createDirectories(Farm.workDir().resolve("cli-home-" + UUID.randomUUID()));
            Path stdout = home.resolve("stdout");
            Path stderr = home.resolve("stderr");
            List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", jar().toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("VERIFARM_") || k.equals("XDG_CONFIG_HOME"));
            builder.environment().put("HOME", home.toString());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("verifarm " + String.join(" ", args) + " did not end within 3 minutes");
            }
            return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Against {@code farm}'s coordinator, over TLS with the admin token. */
    public static Run run(Farm farm, String... args) {
        List<String> all = new ArrayList<>(List.of("--coordinator", "127.0.0.1:" + farm.grpcPort(),
                "--tls-ca", farm.ca().toString()));
        all.addAll(List.of(args));
        return run(Map.of("VERIFARM_TOKEN", farm.adminToken()), all.toArray(String[]::new));
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("verifarm.cli.jar", "missing-verifarm.cli.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("verifarm.cli.jar is not a file: " + jar + " (run mvn verify from the root)");
        }
        return jar;
    }
}
