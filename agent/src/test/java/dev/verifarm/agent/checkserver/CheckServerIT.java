package dev.verifarm.agent.checkserver;

import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.ExternalCommand;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/verifarm-check through the check server and its Go client, as the build made them, against the same check
 * in a JVM of its own ({@code java -jar verifarm-agent.jar check}): the same bytes out, the same exit status,
 * whatever happened to the server in between. Every test has a socket directory, so servers of its own, which
 * it stops at the end.
 */
class CheckServerIT {

    private static final Path JAR = Path.of(System.getProperty("verifarm.agent.jar"));
    private static final Path LAUNCHER = Path.of(System.getProperty("verifarm.check.launcher"));
    private static final Path STUBS = new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary();
    private static final Path ARM64_STUBS = new StubsFixture(GoArch.ARM64, BuildVariant.DEFAULT).binary();
    private static final String MATCH = "main.addrOfMemcpyish=main.memcpyish";
    private static final String MISMATCH = "main.addrOfWrong=main.memcpyish";
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Pattern LISTENING = Pattern.compile("check server (\\d+) listening on ");

    @TempDir
    Path dir;

    private Path sockets() {
        return dir.resolve("sockets");
    }

    private ExternalCommand.Result viaServer(Path cwd, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(Map.of("VERIFARM_CHECK_SERVER_DIR", sockets().toString(),
                "VERIFARM_CHECK_SERVER_IDLE", "300"));
        all.putAll(env);
        return ExternalCommand.run(command, cwd, all, PATIENCE);
    }

    private ExternalCommand.Result viaServer(String... args) {
        return viaServer(null, Map.of(), args);
    }

    private static ExternalCommand.Result inItsOwnJvm(Path cwd, String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "check"));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, cwd, Map.of(), PATIENCE);
    }

    private static void assertSame(ExternalCommand.Result expected, ExternalCommand.Result actual) {
        assertEquals(expected.stdout(), actual.stdout(), actual.describe());
        assertEquals(expected.stderr(), actual.stderr(), actual.describe());
        assertEquals(expected.exitCode(), actual.exitCode(), actual.describe());
    }

    /** The process ids of the servers started on this test's sockets, first first, from their logs. */
    private List<Long> servers() throws IOException {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(sockets())) {
            return pids;
        }
        try (Stream<Path> files = Files.list(sockets())) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Matcher m = LISTENING.matcher(Files.readString(log));
                while (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return pids;
    }

    private long theOnlyServer() throws IOException {
        List<Long> pids = servers();
        assertEquals(1, pids.size(), "servers started: " + pids + "\n" + logs());
        assertTrue(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false), logs());
        return pids.get(0);
    }

    private String logs() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(sockets())) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                text.append(log).append(":\n").append(Files.readString(log));
            }
        }
        return text.toString();
    }

    private static void awaitExit(long pid) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process != null) {
            process.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopServers() throws Exception {
        for (long pid : servers()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"text, " + MATCH, "json, " + MATCH, "text, " + MISMATCH, "json, " + MISMATCH})
    void aCheckThroughTheServerIsTheCheckInItsOwnJvm(String format, String expectation) throws IOException {
        ExternalCommand.Result served = viaServer(STUBS.toString(), "--resolve", expectation, "--format", format);

        assertSame(inItsOwnJvm(null, STUBS.toString(), "--resolve", expectation, "--format", format), served);
        theOnlyServer();
    }

    @Test
    void theServerLoadsNoFarmOrWireClasses() throws IOException {
        ExternalCommand.Result served = viaServer(null, Map.of("VERIFARM_JAVA_OPTS", "-Xlog:class+load"),
                STUBS.toString(), "--resolve", MATCH);

        assertEquals(0, served.exitCode(), served.describe());
        theOnlyServer();
        List<String> loaded = logs().lines().filter(l -> l.contains(" source: ")).toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.verifarm.agent.check.CheckEngine ")), logs());
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains("io.grpc.")
                || l.contains("com.google.protobuf.") || l.contains("dev.verifarm.agent.farm.")
                || l.contains("dev.verifarm.proto.")).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"text", "json"})
    void aMalformedElfFailsAsInItsOwnJvm(String format) throws IOException {
        Path notElf = Files.writeString(dir.resolve("not-elf"), "#!/bin/sh\necho not an ELF file\n");

        ExternalCommand.Result served = viaServer(notElf.toString(), "--resolve", MATCH, "--format", format);

        assertEquals(2, served.exitCode(), served.describe());
        assertTrue(served.stderr().contains("not an ELF file"), served.stderr());
        assertSame(inItsOwnJvm(null, notElf.toString(), "--resolve", MATCH, "--format", format), served);
        theOnlyServer();
    }

    @Test
    void aRelativePathIsTheClientsNotTheServers() throws IOException {
        Path here = Files.createDirectory(dir.resolve("here"));
        Files.copy(STUBS, here.resolve("program"));
        viaServer(STUBS.toString(), "--discover"); // the server starts elsewhere

        ExternalCommand.Result served = viaServer(here, Map.of(), "program", "--resolve", MATCH, "--format", "json");

        assertEquals(0, served.exitCode(), served.describe());
        assertSame(inItsOwnJvm(here, "program", "--resolve", MATCH, "--format", "json"), served);
        theOnlyServer();
    }

    @Test
    void aFileReplacedBetweenTwoChecksIsReadAnew() throws IOException {
        Path program = Files.copy(STUBS, dir.resolve("program"));
        ExternalCommand.Result first = viaServer(program.toString(), "--resolve", MATCH);
        assertTrue(first.stdout().contains("amd64"), first.stdout());

        Files.copy(ARM64_STUBS, program, StandardCopyOption.REPLACE_EXISTING);
        ExternalCommand.Result second = viaServer(program.toString(), "--resolve", MATCH);

        assertTrue(second.stdout().contains("arm64"), second.stdout());
        assertSame(inItsOwnJvm(null, program.toString(), "--resolve", MATCH), second);
        theOnlyServer();
    }

    @Test
    void aServerOfAnotherBuildOfTheJarIsReplaced() throws Exception {
        Path build = Files.createDirectory(dir.resolve("build"));
        Path jar = Files.copy(JAR, build.resolve("verifarm-agent.jar"));
        Files.copy(JAR.resolveSibling("verifarm-check-client"), build.resolve("verifarm-check-client"));
        Map<String, String> env = Map.of("VERIFARM_AGENT_JAR", jar.toString());
        viaServer(null, env, STUBS.toString(), "--resolve", MATCH);
        long old = theOnlyServer();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));
        ExternalCommand.Result served = viaServer(null, env, STUBS.toString(), "--resolve", MATCH);

        assertSame(inItsOwnJvm(null, STUBS.toString(), "--resolve", MATCH), served);
        awaitExit(old);
        List<Long> pids = servers();
        assertEquals(2, pids.size(), logs());
        assertTrue(ProcessHandle.of(pids.get(1)).map(ProcessHandle::isAlive).orElse(false), logs());
    }

    @Test
    void aServerRefusesAClientOfAnotherBuildAndStops() throws Exception {
        Files.createDirectory(sockets(), PosixFilePermissions.asFileAttribute(SocketDirectory.OWNER_ONLY));
        Path socket = sockets().resolve("check.sock");
        Process server = new ProcessBuilder("java", "-jar", JAR.toString(), "check-server", "--socket",
                socket.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            SocketChannel client = connect(socket, server);
            try (client; DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
                 DataInputStream in = new DataInputStream(Channels.newInputStream(client))) {
                Frames.write(out, Frames.JAR, "0:0:0:0".getBytes(StandardCharsets.UTF_8));
                Frames.write(out, Frames.DIRECTORY, "/".getBytes(StandardCharsets.UTF_8));
                Frames.write(out, Frames.ARG, "--help".getBytes(StandardCharsets.UTF_8));
                Frames.write(out, Frames.RUN, new byte[0]);

                assertEquals(Frames.STALE, in.readByte());
            }
            assertTrue(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the stale server stops");
            assertEquals(0, server.exitValue());
            assertFalse(Files.exists(socket));
            assertTrue(Files.readString(dir.resolve("server.log")).contains("stopping: a client runs "),
                    Files.readString(dir.resolve("server.log")));
        } finally {
            server.destroyForcibly();
        }
    }

    /** A connection to the server's socket once it listens. */
    private static SocketChannel connect(Path socket, Process server) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return SocketChannel.open(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the server never listened on " + socket, e);
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void aServerKilledBetweenTwoChecksIsReplaced() throws Exception {
        viaServer(STUBS.toString(), "--resolve", MATCH);
        long killed = theOnlyServer();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly(); // SIGKILL: it leaves its socket behind
        awaitExit(killed);

        ExternalCommand.Result served = viaServer(STUBS.toString(), "--resolve", MISMATCH);

        assertSame(inItsOwnJvm(null, STUBS.toString(), "--resolve", MISMATCH), served);
        assertEquals(2, servers().size(), logs());
    }

    @Test
    void checksAtTheSameTimeAreAnsweredEachItsOwn() throws Exception {
        ExternalCommand.Result match = inItsOwnJvm(null, STUBS.toString(), "--resolve", MATCH);
        ExternalCommand.Result mismatch = inItsOwnJvm(null, STUBS.toString(), "--resolve", MISMATCH);
        viaServer(STUBS.toString(), "--discover");
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<ExternalCommand.Result>> served = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String expectation = i % 2 == 0 ? MATCH : MISMATCH;
                served.add(clients.submit(() -> viaServer(STUBS.toString(), "--resolve", expectation)));
            }
            for (int i = 0; i < served.size(); i++) {
                assertSame(i % 2 == 0 ? match : mismatch, served.get(i).get());
            }
        } finally {
            clients.shutdownNow();
        }
        theOnlyServer();
    }

    @Test
    void firstChecksAtTheSameTimeShareTheOneServerThatStarts() throws Exception {
        ExternalCommand.Result match = inItsOwnJvm(null, STUBS.toString(), "--resolve", MATCH);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<ExternalCommand.Result>> served = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                served.add(clients.submit(() -> viaServer(STUBS.toString(), "--resolve", MATCH)));
            }
            for (Future<ExternalCommand.Result> result : served) {
                assertSame(match, result.get());
            }
        } finally {
            clients.shutdownNow();
        }
        theOnlyServer(); // the others the clients started found the lock taken and left
    }

    @Test
    void aServerStopsWhenIdleAndTakesItsSocketAlong() throws Exception {
        viaServer(null, Map.of("VERIFARM_CHECK_SERVER_IDLE", "1"), STUBS.toString(), "--resolve", MATCH);

        awaitExit(theOnlyServer());

        try (Stream<Path> files = Files.list(sockets())) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".sock")).toList());
        }
        assertTrue(logs().contains("stopping: idle for PT1S"), logs());
    }

    @Test
    void aServerStoppedWithSigtermTakesItsSocketAlong() throws Exception {
        viaServer(STUBS.toString(), "--resolve", MATCH);
        long server = theOnlyServer();

        ProcessHandle.of(server).orElseThrow().destroy();
        awaitExit(server);

        try (Stream<Path> files = Files.list(sockets())) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".sock")).toList());
        }
        assertTrue(logs().contains("stopping: the JVM is shutting down"), logs());
    }

    @Test
    void aSocketDirectoryOthersMayEnterIsNotUsed() throws IOException {
        Files.createDirectory(sockets(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(sockets(), PosixFilePermissions.fromString("rwxr-xr-x"));

        ExternalCommand.Result served = viaServer(STUBS.toString(), "--resolve", MATCH);

        assertEquals(0, served.exitCode(), served.describe());
        assertEquals(inItsOwnJvm(null, STUBS.toString(), "--resolve", MATCH).stdout(), served.stdout());
        assertTrue(served.stderr().contains("where only its owner may enter (0700): chmod 700 " + sockets()),
                served.stderr());
        try (Stream<Path> files = Files.list(sockets())) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aSocketPathLongerThanLinuxTakesMeansAJvmOfItsOwn() throws IOException {
        Path deep = dir.resolve("d".repeat(120));

        ExternalCommand.Result checked = viaServer(null, Map.of("VERIFARM_CHECK_SERVER_DIR", deep.toString()),
                STUBS.toString(), "--resolve", MATCH);

        assertEquals(0, checked.exitCode(), checked.describe());
        assertEquals(inItsOwnJvm(null, STUBS.toString(), "--resolve", MATCH).stdout(), checked.stdout());
        assertTrue(checked.stderr().contains("set VERIFARM_CHECK_SERVER_DIR to a shorter directory"),
                checked.stderr());
    }

    @Test
    void theServerRefusesASocketDirectoryOthersMayEnter() throws IOException {
        Files.createDirectory(sockets());
        Files.setPosixFilePermissions(sockets(), PosixFilePermissions.fromString("rwx--x--x"));

        ExternalCommand.Result server = ExternalCommand.run(List.of("java", "-jar", JAR.toString(), "check-server",
                "--socket", sockets().resolve("check.sock").toString()), null, Map.of(), PATIENCE);

        assertEquals(2, server.exitCode(), server.describe());
        assertTrue(server.stderr().contains("where only its owner may enter (rwx------): chmod 700 " + sockets()),
                server.stderr());
        assertFalse(Files.exists(sockets().resolve("check.sock")));
    }

    @Test
    void withTheServerOffEveryCheckHasItsOwnJvm() throws IOException {
        ExternalCommand.Result checked = viaServer(null, Map.of("VERIFARM_CHECK_SERVER", "0"), STUBS.toString(),
                "--resolve", MATCH);

        assertSame(inItsOwnJvm(null, STUBS.toString(), "--resolve", MATCH), checked);
        assertFalse(Files.exists(sockets()));
    }
}
