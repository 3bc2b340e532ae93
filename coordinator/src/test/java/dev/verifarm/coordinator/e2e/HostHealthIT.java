package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.BreakableQemu;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A farm with a sound agent and one whose qemu-user is broken (a {@code qemu-aarch64-static} first on its PATH that
 * exits 1, as after a bad upgrade): the broken agent proves itself unhealthy for arm64 before it registers, takes no
 * arm64 work, the fleet shows which of its arm64 self-checks failed, and native arm64 jobs all end with the verdicts
 * the program is built to give; fixed, it is readmitted within a self-check interval; broken again under load, no
 * job sees its failure. The figures it prints are in bench/README.md. Each test has a farm and an emulator of its
 * own and starts the agents it needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostHealthIT {
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final Duration INTERVAL = Duration.ofSeconds(20);
    private static final int JOBS = 12;
    /** The known answers: a resolver stub, a func value, a relocatable copy and one that is not. */
    private static final List<Map<String, String>> EXPECTATIONS = List.of(
            Map.of("kind", "resolve", "resolver", "main.addrOfMemcpyish", "target", "main.memcpyish"),
            Map.of("kind", "resolve", "resolver", "funcvalue:main.memcpyish", "target", "main.memcpyish"),
            Map.of("kind", "copy", "resolver", "main.addrOfMemcpyish", "target", "main.memcpyish"),
            Map.of("kind", "copy", "resolver", "main.addrOfEscaping", "target", "main.escaping"));
    private static final List<String> VERDICTS = List.of("MATCH", "WRAPPER", "MATCH", "NOT_RELOCATABLE");

    private Farm farm;
    private FarmApi api;
    private String arm64Sha;
    private BreakableQemu qemu;
    private final List<String> figures = new ArrayList<>();

    @BeforeEach
    void startFarm() {
        farm = Farm.start("-Dverifarm.agent.heartbeat-interval=500ms", "-Dverifarm.agent.silence-limit=3s");
        api = new FarmApi(farm);
        arm64Sha = api.upload(GoBinaries.build("stubs", "arm64"), "stubs-arm64").get("sha256").asText();
        qemu = BreakableQemu.create();
        qemu.breakIt();
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
    void anAgentWithABrokenEmulatorServesOnlyItsOwnArchitecture() {
        Instant brokenStarted = startSoundAndBrokenAgents();
        figures.add("broken agent: registered " + millisSince(brokenStarted) + " ms after its start (self-check"
                + " included), serving " + serves("broken"));

        assertEquals(List.of("AMD64"), serves("broken"), farm.describe());
        assertEquals(List.of("AMD64", "ARM64"), serves("sound"), farm.describe());
    }

    @Test
    void theFleetShowsWhichSelfCheckFailedOnTheBrokenAgentsArm64() {
        startSoundAndBrokenAgents();
        Map<String, JsonNode> health = health("broken");

        assertEquals("HEALTHY", health.get("AMD64").get("state").asText(), health.toString());
        JsonNode arm64 = health.get("ARM64");
        assertEquals("UNHEALTHY", arm64.get("state").asText(), arm64.toString());
        assertTrue(arm64.get("check").asText().startsWith("native "), "the known answer run under qemu: " + arm64);
        assertTrue(arm64.get("reason").asText().startsWith("expected "), arm64.toString());
        assertTrue(arm64.has("checkedAt"), arm64.toString());
    }

    @Test
    void twelveNativeArm64JobsAllFinishOnTheSoundAgentWithTheKnownVerdicts() {
        startSoundAndBrokenAgents();
        List<String> ids = submitNativeJobs();

        for (String id : ids) {
            JsonNode job = api.awaitFinished(id, LIMIT);
            assertKnownVerdicts(job);
            for (JsonNode attempt : job.get("attempts")) {
                assertEquals("sound", attempt.get("agentName").asText(), job.toString());
            }
            assertEquals(List.of("AMD64"), serves("broken"), "never advertised arm64 meanwhile");
        }
    }

    @Test
    void fixedItIsReadmittedWithinASelfCheckInterval() {
        startSoundAndBrokenAgents();
        assertEquals(List.of("AMD64"), serves("broken"), farm.describe());
        Instant fixed = Instant.now();
        qemu.fix();

        awaitServes("broken", List.of("AMD64", "ARM64"), INTERVAL.plusSeconds(30));

        long millis = millisSince(fixed);
        figures.add("broken agent fixed: readmitted for arm64 after " + millis + " ms (interval "
                + INTERVAL.toSeconds() + " s)");
        assertTrue(millis < INTERVAL.plusSeconds(10).toMillis(), millis + " ms");
    }

    @Test
    void brokenAgainUnderLoadNoJobSeesItsFailure() {
        qemu.fix();
        startSoundAndBrokenAgents();
        awaitServes("broken", List.of("AMD64", "ARM64"), INTERVAL.plusSeconds(30));
        Instant broken = Instant.now();
        qemu.breakIt();
        List<String> ids = submitNativeJobs();

        awaitServes("broken", List.of("AMD64"), INTERVAL.plusSeconds(30));
        figures.add("broken agent broken again under native arm64 load: withdrawn from arm64 after "
                + millisSince(broken) + " ms (interval " + INTERVAL.toSeconds() + " s)");
        int takenBack = 0;
        for (String id : ids) {
            JsonNode job = api.awaitFinished(id, LIMIT);
            assertKnownVerdicts(job);
            for (JsonNode attempt : job.get("attempts")) {
                if (attempt.get("agentName").asText().equals("broken")) {
                    assertEquals("TOOL_MISSING", attempt.path("failure").path("kind").asText(), attempt.toString());
                    takenBack++;
                }
            }
        }
        figures.add("  of " + JOBS + " jobs, " + takenBack + " attempt(s) leased to the broken agent went back as"
                + " TOOL_MISSING and ran again elsewhere; every job ended with the known verdicts");
    }

    @Test
    void aFaultWithNoTrafficIsFoundWithinOneInterval() {
        startSoundAndBrokenAgents();
        qemu.fix();
        awaitServes("broken", List.of("AMD64", "ARM64"), INTERVAL.plusSeconds(30));
        Instant broken = Instant.now();
        qemu.breakIt();

        awaitServes("broken", List.of("AMD64"), INTERVAL.plusSeconds(30));

        long millis = millisSince(broken);
        figures.add("broken agent broken again with no traffic: withdrawn from arm64 after " + millis
                + " ms (interval " + INTERVAL.toSeconds() + " s)");
        assertTrue(millis < INTERVAL.plusSeconds(10).toMillis(), millis + " ms");
    }

    /**
     * Starts an agent with a sound emulator and one, "broken", that runs {@code qemu-aarch64-static} from the
     * test's emulator directory and checks itself every {@link #INTERVAL}; waits until both are listed and returns
     * when the broken one started.
     */
    private Instant startSoundAndBrokenAgents() {
        farm.startAgent("sound", "amd64,arm64");
        Instant brokenStarted = Instant.now();
        farm.startAgentThrough(qemu.wrapper(), "broken", "amd64,arm64", "--self-check-interval",
                INTERVAL.toSeconds() + "s");
        api.awaitAgents(names -> names.containsAll(List.of("sound", "broken")), "list both agents");
        return brokenStarted;
    }

    private List<String> submitNativeJobs() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add(api.submit(Map.of("artifact", Map.of("sha256", arm64Sha), "mode", "native",
                    "expectations", EXPECTATIONS)).get("id").asText());
        }
        return ids;
    }

    private static void assertKnownVerdicts(JsonNode job) {
        assertEquals("FAILED", job.get("state").asText(), "the func value's WRAPPER fails the job: " + job);
        JsonNode attempts = job.get("attempts");
        JsonNode last = attempts.get(attempts.size() - 1);
        List<String> verdicts = new ArrayList<>();
        last.get("results").forEach(r -> verdicts.add(r.get("verdict").asText()));
        assertEquals(VERDICTS, verdicts, job.toString());
    }

    private List<String> serves(String name) {
        Optional<JsonNode> agent = find(name);
        List<String> serves = new ArrayList<>();
        agent.ifPresent(a -> a.get("serves").forEach(s -> serves.add(s.asText())));
        return serves;
    }

    /** The agent's self-check health by architecture, as {@code GET /api/v1/agents} shows it. */
    private Map<String, JsonNode> health(String name) {
        Map<String, JsonNode> health = new HashMap<>();
        find(name).ifPresent(a -> a.get("health").forEach(h -> health.put(h.get("architecture").asText(), h)));
        return health;
    }

    private Optional<JsonNode> find(String name) {
        for (JsonNode a : api.agents()) {
            if (a.get("name").asText().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private void awaitServes(String name, List<String> serves, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (serves(name).equals(serves)) {
                return;
            }
            Farm.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError(name + " does not serve " + serves + " within " + limit + " but "
                + serves(name) + "; " + farm.describe());
    }

    private static long millisSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis();
    }
}
