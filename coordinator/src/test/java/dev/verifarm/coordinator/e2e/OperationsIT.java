package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.coordinator.harness.Cli;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.Inbox;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.Register;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator of a real coordinator sees: health and readiness, the verifarm_* Prometheus series moving as
 * real jobs run on a real agent, gRPC server reflection over a real socket, and log lines that carry job and agent
 * ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Farm farm;
    private Path amd64;

    @BeforeAll
    void startFarm() {
        amd64 = GoBinaries.build("stubs", "amd64");
        farm = Farm.start("-Dverifarm.metrics.queue-refresh-interval=200ms");
        farm.startAgent("ops-amd64", "amd64");
        await("the agent registers", () -> metric("verifarm_agents_connected{architecture=\"amd64\"}"), 1);
    }

    @AfterAll
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void livenessAndReadinessAreUpWithTheDatabaseAndTheGrpcServerChecked() throws IOException {
        HttpResponse<String> live = get("/q/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", JSON.readTree(live.body()).get("status").asText());

        HttpResponse<String> ready = get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertEquals("UP", check(checks, "Database connections health check").get("status").asText(), ready.body());
        JsonNode grpc = check(checks, "gRPC Server");
        assertEquals("UP", grpc.get("status").asText(), ready.body());
        assertTrue(grpc.at("/data/verifarm.v1.SubmissionService").asBoolean(), ready.body());
    }

    @Test
    void grpcReflectionListsTheFarmsServicesOverTheSocket() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(farm.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        List<String> services = answer.get(30, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        assertTrue(services.containsAll(List.of("verifarm.v1.SubmissionService", "verifarm.v1.AgentService")),
                services.toString());
    }

    @Test
    void aJobMovesTheVerdictAndDispatchSeriesAndItsLogLinesCarryItsIds() throws IOException {
        double match = metric("verifarm_verdicts_total{kind=\"RESOLVE\",verdict=\"MATCH\"}");
        double mismatch = metric("verifarm_verdicts_total{kind=\"RESOLVE\",verdict=\"MISMATCH\"}");
        double dispatched = metric("verifarm_dispatch_latency_seconds_count{architecture=\"amd64\"}");

        Cli.Run run = Cli.run(farm, "submit", amd64.toString(), "--resolve", "main.addrOfMemcpyish=main.memcpyish",
                "--resolve", "main.addrOfWrong=main.memcpyish", "--watch");
        assertEquals(1, run.exitStatus(), run.toString());
        String jobId = run.stderr().lines().filter(l -> l.startsWith("submitted job ")).findFirst()
                .orElseThrow().substring("submitted job ".length());

        assertEquals(match + 1, metric("verifarm_verdicts_total{kind=\"RESOLVE\",verdict=\"MATCH\"}"));
        assertEquals(mismatch + 1, metric("verifarm_verdicts_total{kind=\"RESOLVE\",verdict=\"MISMATCH\"}"));
        assertEquals(dispatched + 1, metric("verifarm_dispatch_latency_seconds_count{architecture=\"amd64\"}"));
        assertTrue(metric("verifarm_dispatch_latency_seconds_bucket{architecture=\"amd64\",le=\"+Inf\"}") >= 1);

        List<String> log = Files.readAllLines(farm.coordinatorLog());
        assertTrue(log.stream().anyMatch(l -> l.contains("job " + jobId + " FAILED") && l.contains("jobId=" + jobId)),
                "the job's final step is logged under its id; " + farm.describe());
        assertTrue(log.stream().anyMatch(l -> l.contains("registered as") && l.contains("agentId=")),
                "the agent's registration is logged under its id; " + farm.describe());
    }

    /**
     * An agent that takes a lease and vanishes: the queue gauge shows the job waiting, then taken, then requeued, and
     * the lease counts as expired. The agent is this test speaking the agent protocol over the socket.
     */
    @Test
    void aLostLeaseCountsAsExpiredAndItsJobIsQueuedAgain() throws Exception {
        double expired = metric("verifarm_lease_expiries_total{reason=\"agent_lost\"}");
        // the gauges move by this test's job and agent, whatever arm64 jobs or agents the farm already has
        double queued = metric("verifarm_queue_depth{architecture=\"arm64\"}");
        double connected = metric("verifarm_agents_connected{architecture=\"arm64\"}");
        Path arm64 = GoBinaries.build("stubs", "arm64");
        Cli.Run submitted = Cli.run(farm, "submit", arm64.toString(), "--resolve",
                "main.addrOfMemcpyish=main.memcpyish");
        assertEquals(0, submitted.exitStatus(), submitted.toString());
        String jobId = submitted.stdout().strip();
        await("the arm64 job waits", () -> metric("verifarm_queue_depth{architecture=\"arm64\"}"), queued + 1);

        Inbox<CoordinatorMessage> inbox = new Inbox<>();
        String token = farm.createToken("vanishing-arm64", "agent");
        ClientCallStreamObserver<AgentMessage> stream = (ClientCallStreamObserver<AgentMessage>)
                AgentServiceGrpc.newStub(farm.channel(token)).connect(inbox);
        stream.onNext(AgentMessage.newBuilder().setRegister(Register.newBuilder().setName("vanishing-arm64")
                .setHostname("test").setArchitecture(Architecture.ARM64).setMaxConcurrency(1)
                .setCapabilities(Capabilities.newBuilder().setNativeExecution(true).addServes(Architecture.ARM64)))
                .build());
        CoordinatorMessage lease = null;
        Instant deadline = Instant.now().plus(WAIT);
        while (lease == null || !lease.hasLease()) {
            assertTrue(Instant.now().isBefore(deadline), "no lease came; " + farm.describe());
            lease = inbox.received.poll(1, TimeUnit.SECONDS);
        }
        assertEquals(jobId, lease.getLease().getJobId());
        await("the leased job leaves the queue", () -> metric("verifarm_queue_depth{architecture=\"arm64\"}"),
                queued);
        assertEquals(connected + 1, metric("verifarm_agents_connected{architecture=\"arm64\"}"));

        stream.cancel("the agent vanishes", null);
        await("the lost lease is counted", () -> metric("verifarm_lease_expiries_total{reason=\"agent_lost\"}"),
                expired + 1);
        await("the job is queued again", () -> metric("verifarm_queue_depth{architecture=\"arm64\"}"), queued + 1);
        assertEquals(connected, metric("verifarm_agents_connected{architecture=\"arm64\"}"));
        assertEquals(0, Cli.run(farm, "cancel", jobId).exitStatus());
        await("the cancelled job leaves the queue", () -> metric("verifarm_queue_depth{architecture=\"arm64\"}"),
                queued);
    }

    private static JsonNode check(JsonNode checks, String name) {
        for (JsonNode check : checks) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no health check named " + name + " in " + checks);
    }

    private HttpResponse<String> get(String path) {
        return farm.send(HttpRequest.newBuilder(farm.rest(path)).build());
    }

    /** The value of one series in the coordinator's Prometheus scrape, 0 when it is not there yet. */
    private double metric(String series) {
        HttpResponse<String> scrape = get("/q/metrics");
        assertEquals(200, scrape.statusCode(), scrape.body());
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private void await(String what, DoubleSupplier value, double expected) {
        Instant deadline = Instant.now().plus(WAIT);
        double last;
        while ((last = value.getAsDouble()) != expected) {
            assertTrue(Instant.now().isBefore(deadline), what + ": expected " + expected + ", still " + last
                    + "; " + farm.describe());
            Farm.sleep(Duration.ofMillis(200));
        }
    }
}
