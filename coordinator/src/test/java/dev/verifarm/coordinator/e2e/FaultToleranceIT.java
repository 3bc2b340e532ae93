package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults with real processes: a running probe cancelled or timed out, an agent drained with SIGTERM, an agent
 * killed with SIGKILL mid-job. A job that must still be running when the fault comes runs, natively, a copy of
 * {@code cat} given as a host path: it never speaks the probe protocol and waits for the probe's 30 s limit.
 * Each test has a farm of its own and starts the agents it needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultToleranceIT {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Map<String, String> CHECKS = Map.of("main.addrOfMemcpyish", "main.memcpyish");

    private Farm farm;
    private FarmApi api;
    private Path stubs;
    private String stubsSha;

    @BeforeAll
    void buildStubs() {
        stubs = GoBinaries.build("stubs", "amd64");
    }

    @BeforeEach
    void startFarm() {
        farm = Farm.start("-Dverifarm.agent.heartbeat-interval=500ms", "-Dverifarm.agent.silence-limit=3s",
                "-Dverifarm.agent.reconnect-grace=1s");
        api = new FarmApi(farm);
        stubsSha = api.upload(stubs, "stubs-amd64").get("sha256").asText();
    }

    @AfterEach
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void cancellingARunningJobKillsItsProbeAndFreesTheSlot() {
        Process alpha = startAgent("alpha", 1);
        String id = submitHanging(hangingArtifact(), Map.of());
        Set<Long> probes = awaitProbes(alpha);

        HttpResponse<String> cancel = api.post("/api/v1/jobs/" + id + "/cancel", Map.of());

        assertEquals(200, cancel.statusCode(), cancel.body());
        assertEquals("CANCELLED", FarmApi.parse(cancel.body()).get("state").asText());
        awaitDead(probes);
        JsonNode next = api.awaitFinished(api.submit(FarmApi.resolveJob(stubsSha, CHECKS)).get("id").asText(),
                LIMIT);
        assertEquals("PASSED", next.get("state").asText(), next.toString());
    }

    @Test
    void aJobPastItsTimeoutEndsTimedOutWithoutARetryAndItsProbeIsKilled() {
        Process alpha = startAgent("alpha", 1);
        String id = submitHanging(hangingArtifact(), Map.of("timeoutSeconds", 3));
        Set<Long> probes = awaitProbes(alpha);

        JsonNode job = api.awaitFinished(id, LIMIT);

        assertEquals("TIMED_OUT", job.get("state").asText(), job.toString());
        assertEquals(1, job.get("attempts").size(), "a timeout is not retried: " + job);
        assertEquals("TIMEOUT", job.at("/attempts/0/failure/kind").asText(), job.toString());
        assertEquals(3, job.get("timeoutSeconds").asLong());
        awaitDead(probes);
    }

    @Test
    void aDrainingAgentTakesNothingNewAndExitsOnceTheLeaseItHoldsHasEnded() throws Exception {
        Process alpha = startAgent("alpha", 1);
        String running = submitHanging(hangingArtifact(), Map.of());
        awaitProbes(alpha);

        alpha.destroy();  // SIGTERM

        awaitDraining("alpha");
        String waiting = api.submit(FarmApi.resolveJob(stubsSha, CHECKS)).get("id").asText();
        JsonNode queued = api.awaitJob(waiting, LIMIT, j -> j.get("status").asText().contains("draining"),
                "wait for the draining agent");
        assertEquals("QUEUED", queued.get("state").asText(), queued.toString());
        assertTrue(alpha.isAlive(), "the agent left before its lease ended");
        api.post("/api/v1/jobs/" + running + "/cancel", Map.of());
        assertTrue(alpha.waitFor(30, TimeUnit.SECONDS), "the drained agent did not exit");
        assertTrue(List.of(0, 143).contains(alpha.exitValue()), "a drained agent exits cleanly (0, or 143 for the"
                + " SIGTERM it stopped on), got " + alpha.exitValue());

        farm.startAgent("beta", "amd64", 1);
        JsonNode job = api.awaitFinished(waiting, LIMIT);
        assertEquals("PASSED", job.get("state").asText(), job.toString());
        assertEquals("beta", job.at("/attempts/0/agentName").asText());
    }

    @Test
    void anAgentKilledMidJobHasItsAttemptRequeuedAndTheJobCompletesOnAnotherAgentOnce() throws Exception {
        startAgent("beta", 1);
        // more free slots than beta, so the job goes to doomed (the dispatcher picks the agent with the most)
        Process doomed = startAgent("doomed", 3);
        Path hostFile = hangingArtifact();
        String id = submitHanging(hostFile, Map.of());
        api.awaitJob(id, LIMIT, j -> j.at("/attempts/0/agentName").asText().equals("doomed")
                && j.get("state").asText().equals("RUNNING"), "run on doomed");
        awaitProbes(doomed);

        doomed.destroyForcibly();  // SIGKILL: no drain, no goodbye
        Instant killed = Instant.now();
        // the host's file is now a real probe-speaking build, so the retry on beta can pass
        Files.copy(stubs, hostFile, StandardCopyOption.REPLACE_EXISTING);

        JsonNode job = api.awaitFinished(id, LIMIT);
        assertEquals("PASSED", job.get("state").asText(), job.toString());
        JsonNode attempts = job.get("attempts");
        assertEquals(2, attempts.size(), job.toString());
        assertEquals("doomed", attempts.get(0).get("agentName").asText());
        assertEquals("EXPIRED", attempts.get(0).get("state").asText());
        assertEquals("AGENT_LOST", attempts.get(0).at("/failure/kind").asText());
        assertFalse(attempts.get(0).has("results") && !attempts.get(0).get("results").isEmpty());
        assertEquals("beta", attempts.get(1).get("agentName").asText());
        assertEquals("MATCH", attempts.get(1).at("/results/0/verdict").asText(), job.toString());
        System.out.printf("requeue: attempt 2 leased %d ms after SIGKILL of the agent running attempt 1%n",
                Duration.between(killed, Instant.parse(attempts.get(1).get("leasedAt").asText())).toMillis());
    }

    /** Starts an amd64 agent running up to {@code maxConcurrency} leases at once and waits until it is listed. */
    private Process startAgent(String name, int maxConcurrency) {
        Process agent = farm.startAgent(name, "amd64", maxConcurrency);
        api.awaitAgents(names -> names.contains(name), "list " + name);
        return agent;
    }

    /** A copy of {@code cat} as a host-path artifact: run in probe mode, it waits until it is killed. */
    private static Path hangingArtifact() {
        try {
            Path file = Farm.workDir().resolve("host-" + UUID.randomUUID());
            Files.copy(Path.of("/usr/bin/cat"), file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String submitHanging(Path hostFile, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "artifact", Map.of("hostPath", hostFile.toString(), "architecture", "amd64"),
                "mode", "native",
                "expectations", List.of(Map.of("kind", "resolve", "resolver", "main.addrOfMemcpyish",
                        "target", "main.memcpyish"))));
        body.putAll(extra);
        return api.submit(body).get("id").asText();
    }

    /** The processes the agent runs besides itself: its probe, once it has started one. */
    private static Set<Long> awaitProbes(Process agent) {
        Instant deadline = Instant.now().plus(LIMIT);
        while (Instant.now().isBefore(deadline)) {
            Set<Long> probes = agent.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
            if (!probes.isEmpty()) {
                return probes;
            }
            Farm.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("agent " + agent.pid() + " started no probe");
    }

    private static void awaitDead(Set<Long> pids) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (pids.stream().anyMatch(FaultToleranceIT::alive)) {
            assertTrue(Instant.now().isBefore(deadline), "probe processes still alive: " + pids);
            Farm.sleep(Duration.ofMillis(100));
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void awaitDraining(String name) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode agent : api.agents()) {
                if (agent.get("name").asText().equals(name) && agent.get("draining").asBoolean()) {
                    return;
                }
            }
            Farm.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError(name + " is not listed as draining: " + api.agents());
    }
}
