package dev.verifarm.coordinator.e2e;

import dev.verifarm.coordinator.harness.Cli;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code verifarm} command line as a CI pipeline runs it: a real jar against a real coordinator with a real
 * native amd64 agent, judged by its exit status and its output. The verdicts the jobs must reach come from the
 * toolchain (see GoBinaries).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
    private static final String MATCHING = "main.addrOfMemcpyish=main.memcpyish";
    private static final String MISMATCHING = "main.addrOfWrong=main.memcpyish";

    private Farm farm;
    private Path amd64;

    @BeforeAll
    void startFarm() {
        amd64 = GoBinaries.build("stubs", "amd64");
        Map<String, String> resolved = GoBinaries.resolvedSymbols(amd64, "amd64");
        assertEquals("MATCH", GoBinaries.expectedVerdict(resolved, "main.addrOfMemcpyish", "main.memcpyish"));
        assertEquals("MISMATCH", GoBinaries.expectedVerdict(resolved, "main.addrOfWrong", "main.memcpyish"));
        farm = Farm.start("-Dverifarm.nightly.check-interval=1s");
        farm.startAgent("cli-amd64", "amd64");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Cli.run(farm, "agents").stdout().contains("cli-amd64")) {
            assertTrue(Instant.now().isBefore(deadline), "the agent did not register; " + farm.describe());
            Farm.sleep(Duration.ofMillis(300));
        }
    }

    @AfterAll
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aJobWhoseExpectationsAllMatchExitsZeroWithItsVerdicts() {
        Cli.Run run = Cli.run(farm, "submit", amd64.toString(), "--resolve", MATCHING, "--watch");
        assertEquals(0, run.exitStatus(), run.toString());
        assertTrue(run.stdout().contains("MATCH           resolve " + MATCHING), run.toString());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("job ") && l.contains(" PASSED: ")),
                run.toString());
        // the name the farm first stored these bytes under: another test may have uploaded them already
        assertTrue(run.stderr().lines().anyMatch(l -> l.startsWith("uploaded ")
                && l.contains(": sha256 " + FarmApi.sha256(amd64) + ", amd64, ")), run.toString());
        assertTrue(run.stderr().contains("RUNNING"), "the watch shows the job's steps: " + run);
    }

    /** Every spelled form goes to the farm from the command line and is printed back with its verdict as written. */
    @Test
    void everySpelledFormComesBackWithItsVerdictAsWritten() {
        List<String> copies = List.of("main.addrOfMemcpyish=main.memcpyish@pclntab-end",
                "funcvalue:main.memcpyish=main.memcpyish@symbol-size",
                "symbol:main.memcpyish.abi0=main.memcpyish@symbol:main.memcpyish.abi0",
                "data:main.noSuchWord=main.memcpyish@pclntab-end");
        List<String> args = new ArrayList<>(List.of("submit", amd64.toString(), "--watch"));
        copies.forEach(c -> args.addAll(List.of("--copy", c)));
        Cli.Run run = Cli.run(farm, args.toArray(String[]::new));
        for (String copy : copies) {
            assertTrue(run.stdout().lines().anyMatch(l -> l.endsWith(" copy " + copy)), copy + " in " + run);
        }
    }

    @Test
    void aFailedVerificationExitsOneAndNamesTheMismatch() {
        Cli.Run run = Cli.run(farm, "submit", amd64.toString(), "--resolve", MATCHING, "--resolve", MISMATCHING,
                "--watch");
        assertEquals(1, run.exitStatus(), run.toString());
        assertTrue(run.stdout().contains("MISMATCH        resolve " + MISMATCHING), run.toString());
        assertTrue(run.stdout().contains("MATCH           resolve " + MATCHING), run.toString());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("job ") && l.contains(" FAILED: ")),
                run.toString());
    }

    @Test
    void aSubmittedJobCanBeShownListedAndWatchedByItsId() {
        Cli.Run submitted = Cli.run(farm, "submit", amd64.toString(), "--resolve", MISMATCHING);
        assertEquals(0, submitted.exitStatus(), submitted.toString());
        String id = submitted.stdout().strip();
        assertEquals(id, UUID.fromString(id).toString(), "submit prints the job id: " + submitted);

        Cli.Run watched = Cli.run(farm, "watch", id);
        assertEquals(1, watched.exitStatus(), watched.toString());

        Cli.Run shown = Cli.run(farm, "job", id);
        assertEquals(0, shown.exitStatus(), shown.toString());
        assertTrue(shown.stdout().startsWith("job " + id + "  FAILED"), shown.toString());
        assertTrue(shown.stdout().contains("attempt 1 on cli-amd64: FINISHED"), shown.toString());

        Cli.Run json = Cli.run(farm, "job", id, "--json");
        assertEquals(0, json.exitStatus(), json.toString());
        assertTrue(json.stdout().contains("\"resolverCode\""), "--json carries the evidence: " + json);

        Cli.Run failed = Cli.run(farm, "jobs", "--state", "failed");
        assertTrue(failed.stdout().lines().anyMatch(l -> l.startsWith(id + "  FAILED")), failed.toString());
        Cli.Run passed = Cli.run(farm, "jobs", "--state", "passed");
        assertTrue(passed.stdout().lines().noneMatch(l -> l.startsWith(id)), passed.toString());
    }

    @Test
    void theAgentsCommandListsTheConnectedAgent() {
        Cli.Run run = Cli.run(farm, "agents", "--arch", "amd64");
        assertEquals(0, run.exitStatus(), run.toString());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("cli-amd64") && l.contains("amd64")),
                run.toString());
        Cli.Run arm64 = Cli.run(farm, "agents", "--arch", "arm64");
        assertTrue(arm64.stdout().lines().noneMatch(l -> l.startsWith("cli-amd64")), arm64.toString());
    }

    @Test
    void anUnknownJobExitsTwoAndSaysSo() {
        String id = UUID.randomUUID().toString();
        Cli.Run run = Cli.run(farm, "job", id);
        assertEquals(2, run.exitStatus(), run.toString());
        assertEquals("verifarm job: job_id: no job " + id + "\n", run.stderr(), run.toString());
        assertEquals("", run.stdout());
    }

    @Test
    void anUnreachableCoordinatorExitsTwoAndNamesTheAddress() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli.Run run = Cli.run(Map.of(), "agents", "--coordinator", "127.0.0.1:" + closed);
        assertEquals(2, run.exitStatus(), run.toString());
        assertTrue(run.stderr().startsWith("verifarm agents: cannot reach the coordinator at 127.0.0.1:" + closed),
                run.toString());
    }

    @Test
    void theCoordinatorTokenAndCaComeFromTheEnvironmentOrTheConfigFile() throws IOException {
        Cli.Run fromEnv = Cli.run(Map.of("VERIFARM_COORDINATOR", "127.0.0.1:" + farm.grpcPort(),
                "VERIFARM_TOKEN", farm.adminToken(), "VERIFARM_TLS_CA", farm.ca().toString()), "agents");
        assertTrue(fromEnv.stdout().contains("cli-amd64"), fromEnv.toString());

        Path config = Files.createDirectories(Farm.workDir().resolve("config-" + UUID.randomUUID()));
        Files.createDirectories(config.resolve("verifarm"));
        Files.writeString(config.resolve("verifarm/cli.properties"), "coordinator=127.0.0.1:" + farm.grpcPort()
                + "\ntoken=" + farm.adminToken() + "\ntls-ca=" + farm.ca() + "\n");
        Cli.Run fromFile = Cli.run(Map.of("XDG_CONFIG_HOME", config.toString()), "agents");
        assertTrue(fromFile.stdout().contains("cli-amd64"), fromFile.toString());
    }

    @Test
    void aMissingOrRefusedTokenExitsTwoAndSaysWhereTokensComeFrom() {
        String[] target = {"--coordinator", "127.0.0.1:" + farm.grpcPort(), "--tls-ca", farm.ca().toString()};
        Cli.Run none = Cli.run(Map.of(), "agents", target[0], target[1], target[2], target[3]);
        assertEquals(2, none.exitStatus(), none.toString());
        assertTrue(none.stderr().startsWith("verifarm agents: the coordinator refused the call: it needs a token"),
                none.toString());

        Cli.Run wrong = Cli.run(Map.of("VERIFARM_TOKEN", "not-a-token"), "agents", target[0], target[1], target[2],
                target[3]);
        assertEquals(2, wrong.exitStatus(), wrong.toString());
        assertTrue(wrong.stderr().startsWith("verifarm agents: the coordinator refused the token"), wrong.toString());
        assertTrue(wrong.stderr().contains("set VERIFARM_TOKEN or token= in the config file"), wrong.toString());
    }

    @Test
    void aNightlyRunIsStartedAwaitedReportedAndSavedAsJunitXml() throws IOException {
        String sha = new FarmApi(farm).upload(amd64, "nightly-amd64").get("sha256").asText();
        HttpResponse<String> put = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/suites/cli-suite"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"schedule\": \"0 0 2 * * ?\", \"entries\": [{\"artifact\": {\"sha256\": \"" + sha + "\"},"
                        + " \"expectations\": [{\"resolve\": \"" + MATCHING + "\"}, {\"resolve\": \"" + MISMATCHING
                        + "\"}]}]}")).build());
        assertTrue(put.statusCode() / 100 == 2, put.statusCode() + " " + put.body());

        Cli.Run run = Cli.run(farm, "nightly", "run", "cli-suite", "--wait");
        assertEquals(1, run.exitStatus(), "a MISMATCH cell fails the run: " + run);
        assertTrue(run.stdout().contains("2 cells: 1 passed, 1 failed, 0 errors"), run.toString());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("MISMATCH") && l.contains("cli-amd64")
                && l.contains("resolve " + MISMATCHING)), run.toString());
        String runId = run.stdout().lines().findFirst().orElseThrow().split(" ")[1];

        Cli.Run runs = Cli.run(farm, "nightly", "runs", "cli-suite");
        assertTrue(runs.stdout().lines().anyMatch(l -> l.startsWith(runId + "  FINISHED")), runs.toString());

        Path xml = Farm.workDir().resolve("junit-" + runId + ".xml");
        Cli.Run junit = Cli.run(farm, "nightly", "junit", runId, "-o", xml.toString());
        assertEquals(0, junit.exitStatus(), junit.toString());
        String report = Files.readString(xml);
        assertTrue(report.contains("<testsuite") && report.contains("<failure"), report);

        Cli.Run unknown = Cli.run(farm, "nightly", "report", UUID.randomUUID().toString());
        assertEquals(2, unknown.exitStatus(), unknown.toString());
        assertTrue(unknown.stderr().startsWith("verifarm nightly: "), unknown.toString());
    }

    @Test
    void badUsageExitsTwoWithWhatWasWrong() {
        Cli.Run nothing = Cli.run(farm, "submit", amd64.toString());
        assertEquals(2, nothing.exitStatus(), nothing.toString());
        assertEquals("verifarm submit: nothing to check: give --resolve, --copy, --discover or --hazards\n", nothing.stderr());

        Cli.Run badCopy = Cli.run(farm, "submit", amd64.toString(), "--copy", "a=b@nowhere");
        assertEquals(2, badCopy.exitStatus(), badCopy.toString());
        assertTrue(badCopy.stderr().contains("--copy a=b@nowhere: unknown end rule 'nowhere': use symbol-size, pclntab-end or symbol:NAME"),
                badCopy.toString());

        Cli.Run notNormal = Cli.run(farm, "submit", "/opt/x/../y", "--host-path", "--arch", "amd64", "--discover");
        assertEquals(2, notNormal.exitStatus(), notNormal.toString());
        assertTrue(notNormal.stderr().contains("--host-path /opt/x/../y: a host path must not contain '.' or '..'"
                + " segments, got '/opt/x/../y'"), notNormal.toString());

        Cli.Run wrongArch = Cli.run(farm, "submit", amd64.toString(), "--resolve", MATCHING, "--arch", "arm64");
        assertEquals(2, wrongArch.exitStatus(), wrongArch.toString());
        assertTrue(wrongArch.stderr().contains("is an amd64 binary"), wrongArch.toString());
    }
}
