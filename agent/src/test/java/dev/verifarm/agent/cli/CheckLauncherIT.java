package dev.verifarm.agent.cli;

import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.ExternalCommand;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/verifarm-check on the packaged jar: with the class data sharing archive the build made beside it, without
 * one, and with an archive it cannot use, the same check gives the same verdict; only where classes come from
 * differs, which {@code -Xlog:class+load} shows.
 */
class CheckLauncherIT {

    private static final Path JAR = Path.of(System.getProperty("verifarm.agent.jar"));
    private static final Path LAUNCHER = Path.of(System.getProperty("verifarm.check.launcher"));
    private static final Path STUBS = new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary();
    private static final String CHECK_MAIN = "dev.verifarm.agent.check.CheckEngine";
    private static final String COMMAND_LINE = "picocli.CommandLine";

    @TempDir
    Path dir;

    private static ExternalCommand.Result check(Path jar, String... javaOptions) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), STUBS.toString(),
                "--resolve", "main.addrOfMemcpyish=main.memcpyish"));
        // the JVM of the check itself, whose class loading is what these tests read: no check server
        return ExternalCommand.run(command, null, Map.of("VERIFARM_AGENT_JAR", jar.toString(),
                "VERIFARM_JAVA_OPTS", String.join(" ", javaOptions), "VERIFARM_CHECK_SERVER", "0"),
                Duration.ofMinutes(2));
    }

    /** The class loading log line of {@code className}, which names where it came from. */
    private static String loaded(ExternalCommand.Result result, String className) {
        return result.stdout().lines().filter(l -> l.contains(" " + className + " source:")).findFirst()
                .orElseThrow(() -> new AssertionError(className + " was not loaded:\n" + result.stdout()));
    }

    private static void assertMatch(ExternalCommand.Result result) {
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("MATCH           resolve main.addrOfMemcpyish=main.memcpyish"),
                result.stdout());
    }

    private Path jarAlone() throws IOException {
        return Files.copy(JAR, dir.resolve("verifarm-agent.jar"));
    }

    @Test
    void theBuildPutsAnArchiveBesideTheJar() {
        assertTrue(Files.isRegularFile(JAR.resolveSibling("verifarm-agent.jsa")),
                "mvn package makes verifarm-agent.jsa (agent/src/build/fast-start.sh)");
    }

    @Test
    void aCheckWithTheArchiveLoadsItsClassesFromIt() {
        ExternalCommand.Result result = check(JAR, "-Xlog:class+load");

        assertMatch(result);
        assertTrue(loaded(result, CHECK_MAIN).contains("source: shared objects file"), loaded(result, CHECK_MAIN));
        // Java 5 bytecode, which only a static archive holds on Java 17 (agent/src/build/fast-start.sh)
        assertTrue(loaded(result, COMMAND_LINE).contains("source: shared objects file"), loaded(result, COMMAND_LINE));
    }

    @Test
    void aCheckLoadsNoFarmOrWireClasses() {
        ExternalCommand.Result result = check(JAR, "-Xlog:class+load");

        assertMatch(result);
        List<String> farm = result.stdout().lines()
                .filter(l -> l.contains("io.grpc.") || l.contains("com.google.protobuf.")
                        || l.contains("dev.verifarm.agent.farm.") || l.contains("dev.verifarm.proto."))
                .toList();
        assertEquals(List.of(), farm);
    }

    @Test
    void withoutAnArchiveTheSameCheckRunsFromTheJar() throws IOException {
        ExternalCommand.Result result = check(jarAlone(), "-Xlog:class+load");

        assertMatch(result);
        assertTrue(loaded(result, CHECK_MAIN).contains("source: file:"), loaded(result, CHECK_MAIN));
    }

    @Test
    void anArchiveTheJvmCannotUseIsIgnored() throws IOException {
        Path jar = jarAlone();
        Files.writeString(dir.resolve("verifarm-agent.jsa"), "not an archive of this JVM");

        ExternalCommand.Result result = check(jar, "-Xlog:class+load");

        assertMatch(result);
        assertTrue(loaded(result, CHECK_MAIN).contains("source: file:"), loaded(result, CHECK_MAIN));
        assertFalse(result.stderr().contains("Error"), result.stderr());
    }
}
