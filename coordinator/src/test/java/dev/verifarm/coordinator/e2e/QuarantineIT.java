package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.BreakableQemu;
import dev.verifarm.coordinator.harness.Cli;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quarantine with real processes: an agent whose artifact cache refuses every download ({@code --cache-min-free}
 * far above its disk) is quarantined after three infrastructure failures and readmitted by the self-check the
 * coordinator asks of it; an admin's quarantine, put with the CLI, survives a coordinator killed with SIGKILL and
 * keeps a job waiting with its reason until the CLI readmits the agent; a host whose qemu-user breaks while it runs is
 * quarantined for arm64 by its failing self-check, and one broken from the start is never leased arm64 work and named
 * in the waiting job's status. The figures it prints are in docs/operations.md. Each test has a farm of its own and
 * starts the agents it needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuarantineIT {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final List<Map<String, String>> RESOLVE = List.of(
            Map.of("kind", "resolve", "resolver", "main.addrOfMemcpyish", "target", "main.memcpyish"));

    private Farm farm;
    private FarmApi api;
    private final List<String> figures = new ArrayList<>();

    @BeforeEach
    void startFarm() {
        farm = Farm.start("-Dverifarm.agent.heartbeat-interval=500ms", "-Dverifarm.agent.silence-limit=3s");
        api = new FarmApi(farm);
    }

    @AfterEach
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @AfterAll
    void printFigures() {
        figures.forEach(System.out::println);
    }

    @Test
    void anAgentWhoseDownloadsAllFailIsQuarantinedAfterThreeAndReadmittedByTheSelfCheckItIsAskedFor() {
        String amd64Sha = uploadStubs("amd64");
        farm.startAgent("full", "amd64", farm.createToken("full", "agent"), "--cache-min-free", "1000T");
        api.awaitAgents(names -> names.contains("full"), "list the agent with the full cache");

        JsonNode job = api.awaitFinished(submit(amd64Sha, "static"), LIMIT);

        assertEquals("ERROR", job.get("state").asText(), job.toString());
        for (JsonNode attempt : job.get("attempts")) {
            assertEquals("ARTIFACT_UNAVAILABLE", attempt.path("failure").path("kind").asText(), attempt.toString());
        }
        JsonNode quarantined = awaitEntry("full", e -> true, "quarantined");
        assertEquals("QUARANTINED", quarantined.get("action").asText(), quarantined.toString());
        assertEquals("coordinator", quarantined.get("by").asText());
        assertTrue(quarantined.get("reason").asText().startsWith("3 infrastructure failures in 10m, the last attempt 3"
                + " of job " + job.get("id").asText() + ": ARTIFACT_UNAVAILABLE: "), quarantined.toString());
        JsonNode readmitted = awaitEntry("full", e -> e.get("action").asText().equals("READMITTED"),
                "readmitted by the self-check the coordinator asked for");
        assertEquals("coordinator", readmitted.get("by").asText());
        assertTrue(readmitted.get("reason").asText().startsWith("its self-check for amd64 passed at "),
                readmitted.toString());
        figures.add("agent with a full cache: quarantined after 3 ARTIFACT_UNAVAILABLE attempts; readmitted by the"
                + " self-check the coordinator asked for " + Duration.between(Instant.parse(quarantined.get("at")
                .asText()), Instant.parse(readmitted.get("at").asText())).toMillis() + " ms later");
    }

    @Test
    void anAdminQuarantineSurvivesACoordinatorKilledAndKeepsTheJobWaitingUntilReadmitted() {
        String amd64Sha = uploadStubs("amd64");
        farm.startAgent("sound", "amd64");
        api.awaitAgents(names -> names.contains("sound"), "list the sound agent");
        Cli.Run put = Cli.run(farm, "agents", "quarantine", "sound", "--arch", "amd64", "--reason",
                "kernel upgrade pending");
        assertEquals(0, put.exitStatus(), put.toString());

        farm.crashCoordinator();
        farm.restartCoordinator();
        api.awaitAgents(names -> names.contains("sound"), "the sound agent back after the restart");
        String id = submit(amd64Sha, "static");
        // a reason is rewritten at most once per poll interval, so a job queued just after a round may wait for one
        String why = "waiting for a healthy agent serving amd64: sound is quarantined (kernel upgrade pending)";
        JsonNode waiting = api.awaitJob(id, LIMIT, job -> !job.get("state").asText().equals("QUEUED")
                || job.get("status").asText().equals(why), "say why it waits");
        assertEquals("QUEUED", waiting.get("state").asText(), waiting.toString());
        assertEquals(why, waiting.get("status").asText());
        JsonNode shown = find("sound").orElseThrow().get("quarantines").get(0);
        assertEquals("kernel upgrade pending", shown.get("reason").asText(), shown.toString());
        assertEquals(false, shown.get("automatic").asBoolean());
        Cli.Run listed = Cli.run(farm, "agents");
        assertTrue(listed.stdout().contains("amd64: kernel upgrade pending ("), listed.toString());

        Cli.Run readmit = Cli.run(farm, "agents", "readmit", "sound", "--reason", "upgraded");
        assertEquals(0, readmit.exitStatus(), readmit.toString());

        JsonNode done = api.awaitFinished(id, LIMIT);
        assertEquals("PASSED", done.get("state").asText(), done.toString());
        assertEquals("sound", done.get("attempts").get(0).get("agentName").asText());
        Cli.Run history = Cli.run(farm, "agents", "quarantine-history", "sound");
        assertTrue(history.stdout().contains("QUARANTINED") && history.stdout().contains("READMITTED")
                && history.stdout().contains("upgraded"), history.toString());
    }

    @Test
    void aHostBrokenFromTheStartIsNeverLeasedItsArm64WorkAndTheJobSaysWhy() {
        String arm64Sha = uploadStubs("arm64");
        BreakableQemu qemu = BreakableQemu.create();
        qemu.breakIt();
        Instant started = Instant.now();
        startQemuHost(qemu);
        figures.add("fault present at start: the agent registered " + Duration.between(started, Instant.now())
                .toMillis() + " ms after its start with arm64 unhealthy; arm64 leases it got: 0 (the self-check runs"
                + " before it registers)");
        String id = submit(arm64Sha, "native");
        Farm.sleep(Duration.ofSeconds(3));

        JsonNode waiting = api.job(id);
        assertEquals("QUEUED", waiting.get("state").asText(), waiting.toString());
        assertTrue(waiting.get("status").asText().startsWith("waiting for a healthy agent serving arm64: qemu-host is"
                + " unhealthy (native "), waiting.toString());
        assertEquals(0, waiting.get("attempts").size(), waiting.toString());
    }

    @Test
    void aHostWhoseEmulatorBreaksWhileItRunsIsQuarantinedForArm64WithinASelfCheckInterval() {
        BreakableQemu qemu = BreakableQemu.create();
        startQemuHost(qemu);
        awaitServesArm64("qemu-host", true);
        Instant broken = Instant.now();
        qemu.breakIt();

        JsonNode quarantined = awaitEntry("qemu-host", e -> e.get("action").asText().equals("QUARANTINED"),
                "quarantined for arm64 by its failing self-check", INTERVAL.plusSeconds(30));

        long millis = Duration.between(broken, Instant.parse(quarantined.get("at").asText())).toMillis();
        figures.add("fault appearing later (no traffic): quarantined for arm64 " + millis + " ms after qemu broke"
                + " (self-check interval " + INTERVAL.toSeconds() + " s)");
        assertEquals("ARM64", quarantined.get("architecture").asText());
        assertTrue(quarantined.get("reason").asText().startsWith("its self-check for arm64 failed at "),
                quarantined.toString());
        assertTrue(millis < INTERVAL.plusSeconds(10).toMillis(), millis + " ms");

        Instant fixed = Instant.now();
        qemu.fix();
        JsonNode readmitted = awaitEntry("qemu-host", e -> e.get("action").asText().equals("READMITTED"),
                "readmitted by a passing self-check", INTERVAL.plusSeconds(30));
        figures.add("fixed: readmitted for arm64 " + Duration.between(fixed, Instant.parse(readmitted.get("at")
                .asText())).toMillis() + " ms after qemu was fixed");
    }

    /** Uploads the stubs fixture built for {@code goarch} and returns its SHA-256. */
    private String uploadStubs(String goarch) {
        return api.upload(GoBinaries.build("stubs", goarch), "stubs-" + goarch).get("sha256").asText();
    }

    /** Starts agent "qemu-host", running {@code qemu} and checking itself every {@link #INTERVAL}; waits for it. */
    private void startQemuHost(BreakableQemu qemu) {
        farm.startAgentThrough(qemu.wrapper(), "qemu-host", "amd64,arm64", "--self-check-interval",
                INTERVAL.toSeconds() + "s");
        api.awaitAgents(names -> names.contains("qemu-host"), "list the agent with the test's emulator");
    }

    private String submit(String sha256, String mode) {
        return api.submit(Map.of("artifact", Map.of("sha256", sha256), "mode", mode, "expectations", RESOLVE))
                .get("id").asText();
    }

    private JsonNode awaitEntry(String agent, Predicate<JsonNode> wanted, String what) {
        return awaitEntry(agent, wanted, what, LIMIT);
    }

    /** The first entry of the agent's audit trail that is {@code wanted}. */
    private JsonNode awaitEntry(String agent, Predicate<JsonNode> wanted, String what, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode entry : api.get("/api/v1/agents/" + agent + "/quarantine-history")) {
                if (wanted.test(entry)) {
                    return entry;
                }
            }
            Farm.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError(agent + " not " + what + " within " + limit + ": "
                + api.get("/api/v1/agents/" + agent + "/quarantine-history") + "; " + farm.describe());
    }

    private void awaitServesArm64(String name, boolean serves) {
        Instant deadline = Instant.now().plus(INTERVAL.plusSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            boolean now = find(name).map(a -> a.get("serves").toString().contains("ARM64")).orElse(false);
            if (now == serves) {
                return;
            }
            Farm.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError(name + (serves ? " does not serve" : " serves") + " arm64; " + farm.describe());
    }

    private Optional<JsonNode> find(String name) {
        for (JsonNode a : api.agents()) {
            if (a.get("name").asText().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
