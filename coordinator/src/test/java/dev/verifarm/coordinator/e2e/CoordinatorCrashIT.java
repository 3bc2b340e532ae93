package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A coordinator killed with SIGKILL and started again on the embedded database: every acknowledged submission
 * and every stored result is still there, the agent reconnects by itself under its old id, and the lease it held
 * through the crash stays its own, so that job finishes with one attempt, counted once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorCrashIT {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Map<String, String> CHECKS = Map.of("main.addrOfMemcpyish", "main.memcpyish",
            "main.addrOfWrong", "main.memcpyish");

    private Farm farm;
    private FarmApi api;

    @BeforeAll
    void startFarm() {
        // a silence limit longer than a restart, so that leases outlive the coordinator's absence
        farm = Farm.start("-Dverifarm.agent.heartbeat-interval=500ms", "-Dverifarm.agent.silence-limit=60s");
        api = new FarmApi(farm);
        farm.startAgent("gamma", "amd64", 2);
        api.awaitAgents(names -> names.contains("gamma"), "list gamma");
    }

    @AfterAll
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aCoordinatorKilledWithSigkillLosesNoJobAndNoResultAndItsAgentsComeBack() throws IOException {
        Path stubs = GoBinaries.build("stubs", "amd64");
        String sha = api.upload(stubs, "stubs-amd64").get("sha256").asText();
        JsonNode done = api.awaitFinished(api.submit(FarmApi.resolveJob(sha, CHECKS)).get("id").asText(), LIMIT);
        assertEquals("FAILED", done.get("state").asText(), "addrOfWrong is a MISMATCH: " + done);
        Path hanging = Farm.workDir().resolve("host-" + UUID.randomUUID());
        Files.copy(Path.of("/usr/bin/cat"), hanging);
        String held = api.submit(Map.of("artifact", Map.of("hostPath", hanging.toString(), "architecture", "amd64"),
                "mode", "native", "expectations", List.of(Map.of("kind", "resolve",
                        "resolver", "main.addrOfMemcpyish", "target", "main.memcpyish")))).get("id").asText();
        api.awaitJob(held, LIMIT, j -> j.get("state").asText().equals("RUNNING"), "run");
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // no agent serves arm64 here: these stay queued, and the last was acknowledged just before the crash
            queued.add(api.submit(Map.of("artifact", Map.of("hostPath", "/opt/none-" + i, "architecture", "arm64"),
                    "expectations", List.of(Map.of("kind", "resolve", "resolver", "a", "target", "b"))))
                    .get("id").asText());
        }

        farm.crashCoordinator();
        farm.restartCoordinator();

        JsonNode after = api.job(done.get("id").asText());
        assertEquals(done.get("state").asText(), after.get("state").asText());
        assertEquals(done.at("/attempts/0/results").toString(), after.at("/attempts/0/results").toString());
        for (String id : queued) {
            assertEquals("QUEUED", api.job(id).get("state").asText(), "job " + id);
        }
        api.awaitAgents(names -> names.contains("gamma"), "reconnect");
        JsonNode heldJob = api.awaitFinished(held, LIMIT);
        assertEquals(1, heldJob.get("attempts").size(), "the lease held through the crash was requeued: " + heldJob);
        assertEquals("FINISHED", heldJob.at("/attempts/0/state").asText(), heldJob.toString());
        assertEquals("gamma", heldJob.at("/attempts/0/agentName").asText());
        assertTrue(heldJob.at("/attempts/0/results/0/reason").asText().contains("verifarm"),
                "cat never speaks the probe protocol: " + heldJob);
        JsonNode fresh = api.awaitFinished(api.submit(FarmApi.resolveJob(sha, CHECKS)).get("id").asText(), LIMIT);
        assertEquals("FAILED", fresh.get("state").asText(), fresh.toString());
    }
}
