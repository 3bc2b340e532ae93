package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.proto.v1.GetReportRequest;
import dev.verifarm.proto.v1.NightlyReport;
import dev.verifarm.proto.v1.NightlyRun;
import dev.verifarm.proto.v1.NightlyServiceGrpc;
import dev.verifarm.proto.v1.TriggerRunRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nightly fleet-wide verification with real processes: a coordinator and three agents — two native amd64, one
 * serving arm64 through qemu-user — each in its own mount namespace, so each sees its own files at the suite's host
 * path as separate hosts would. Night 1 matches everywhere; before night 2 one amd64 host gets a build whose resolver
 * stub points elsewhere, and the report names exactly that regression, for that agent, in JSON, gRPC and JUnit XML.
 * Each test has a farm and hosts of its own and runs the nights it needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NightlyEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String CHECK = "resolve main.addrOfMemcpyish=main.memcpyish";

    private Path amd64;
    private Path arm64;
    private Path regressed;
    private Farm farm;
    private Path mountPoint;
    private Path hostB;

    @BeforeAll
    void buildBinaries() throws IOException, InterruptedException {
        requireRoot();
        amd64 = GoBinaries.build("stubs", "amd64");
        arm64 = GoBinaries.build("stubs", "arm64");
        regressed = GoBinaries.build(stubsWithWrongResolver(), "stubs-regressed", "amd64");
    }

    @BeforeEach
    void startFarm() throws IOException {
        Path root = Files.createDirectories(Farm.workDir().resolve("nightly-" + UUID.randomUUID()));
        mountPoint = Files.createDirectories(root.resolve("opt-verifarm"));
        Path hostA = host(root.resolve("host-a"), amd64, "stubs-amd64");
        hostB = host(root.resolve("host-b"), amd64, "stubs-amd64");
        Path hostQ = host(root.resolve("host-q"), arm64, "stubs-arm64");

        farm = Farm.start("-Dverifarm.nightly.check-interval=1s");
        farm.startAgentOnHost("host-a", "amd64", mountPoint, hostA);
        farm.startAgentOnHost("host-b", "amd64", mountPoint, hostB);
        farm.startAgentOnHost("host-q", "arm64", mountPoint, hostQ);
        new FarmApi(farm).awaitAgents(names -> names.size() >= 3, "register");

        HttpResponse<String> put = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/suites/fleet"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("""
                        {"schedule": "0 0 2 * * ?", "deadline": "5m", "entries": [
                          {"artifact": {"hostPath": {"path": "%1$s/stubs-amd64", "architecture": "amd64"}},
                           "expectations": [{"resolve": "main.addrOfMemcpyish=main.memcpyish"}]},
                          {"artifact": {"hostPath": {"path": "%1$s/stubs-arm64", "architecture": "arm64"}},
                           "expectations": [{"resolve": "main.addrOfMemcpyish=main.memcpyish"}]}]}
                        """.formatted(mountPoint))).build());
        assertEquals(200, put.statusCode(), put.body());
    }

    @AfterEach
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void nightOneMatchesOnEveryHost() {
        JsonNode report = awaitFinished(triggerOverRest());

        JsonNode matrix = report.get("matrix");
        assertEquals(3, matrix.size(), report.toPrettyString());
        List<String> cells = new ArrayList<>();
        for (JsonNode row : matrix) {
            cells.add(Path.of(row.get("entryLabel").asText()).getFileName() + " " + row.get("agent").asText() + " "
                    + row.get("expectation").asText() + " " + row.get("outcome").asText());
            assertPinnedNightlyJob(row);
        }
        assertEquals(List.of("stubs-amd64 host-a " + CHECK + " MATCH", "stubs-amd64 host-b " + CHECK + " MATCH",
                "stubs-arm64 host-q " + CHECK + " MATCH"), cells.stream().sorted().toList());
        assertEquals(0, report.at("/regressions").size());
        assertEquals(3, report.at("/summary/passed").asInt());
    }

    @Test
    void nightTwoReportsTheOneHostThatRegressed() throws Exception {
        String night1 = triggerOverRest();
        awaitFinished(night1);
        String night2 = regressHostBAndTriggerOverGrpc();
        awaitFinished(night2);

        NightlyReport report = NightlyServiceGrpc.newBlockingStub(farm.channel())
                .getReport(GetReportRequest.newBuilder().setRunId(night2).build());
        assertEquals(night1, report.getPreviousRunId());
        assertEquals(1, report.getRegressionsCount(), report.toString());
        var regression = report.getRegressions(0);
        assertEquals("host-b", regression.getAgent());
        assertEquals(mountPoint + "/stubs-amd64", regression.getEntryLabel());
        assertEquals(CHECK, regression.getExpectation());
        assertEquals("MATCH", regression.getBefore());
        assertEquals("MISMATCH", regression.getNow());
        assertTrue(regression.getReason().contains("main.otherLeaf"), regression.getReason());
        assertEquals(0, report.getFlakyCount(), "the artifact changed: a regression, not flaky");
        assertEquals(0, report.getRecoveriesCount());
        assertEquals(0, report.getAbsentCount());
        assertEquals(2, report.getRun().getSummary().getPassed());
        assertEquals(1, report.getRun().getSummary().getFailed());

        HttpResponse<String> junit = farm.send(HttpRequest.newBuilder(
                farm.rest("/api/v1/nightly-runs/" + night2 + "/junit")).build());
        assertEquals(200, junit.statusCode(), junit.body());
        NodeList failures = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(junit.body().getBytes(StandardCharsets.UTF_8)))
                .getElementsByTagName("failure");
        assertEquals(1, failures.getLength(), junit.body());
        Element failing = (Element) failures.item(0).getParentNode();
        assertEquals("host-b (amd64): " + CHECK, failing.getAttribute("name"));
        assertEquals("MISMATCH", ((Element) failures.item(0)).getAttribute("type"));
        assertTrue(((Element) failures.item(0)).getAttribute("message").startsWith("REGRESSION: "), junit.body());
    }

    @Test
    void theSuiteKeepsItsRunsAsHistory() throws IOException {
        String night1 = triggerOverRest();
        awaitFinished(night1);
        awaitFinished(regressHostBAndTriggerOverGrpc());

        HttpResponse<String> runs = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/suites/fleet/runs")).build());
        JsonNode list = parse(runs.body());
        assertEquals(2, list.size(), runs.body());
        assertEquals(1, list.get(0).at("/summary/regressions").asInt(), "newest first");
        assertEquals(night1, list.get(1).get("id").asText());
    }

    /** Starts a run of the suite over REST; returns its id. */
    private String triggerOverRest() {
        HttpResponse<String> trigger = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/suites/fleet/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, trigger.statusCode(), trigger.body());
        return parse(trigger.body()).get("id").asText();
    }

    /** Gives host-b the build whose resolver stub points elsewhere, then starts a run over gRPC; returns its id. */
    private String regressHostBAndTriggerOverGrpc() throws IOException {
        Files.copy(regressed, hostB.resolve("stubs-amd64"), StandardCopyOption.REPLACE_EXISTING);
        NightlyRun run = NightlyServiceGrpc.newBlockingStub(farm.channel())
                .triggerRun(TriggerRunRequest.newBuilder().setSuite("fleet").build());
        return run.getId();
    }

    /** The cell's job ran on the cell's agent only, below interactive priority. */
    private void assertPinnedNightlyJob(JsonNode row) {
        JsonNode job = parse(farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/jobs/"
                + row.get("jobId").asText())).build()).body());
        assertTrue(job.get("priority").asInt() < 0, job.toString());
        for (JsonNode attempt : job.get("attempts")) {
            assertEquals(row.get("agent").asText(), attempt.get("agentName").asText(), job.toString());
        }
    }

    private JsonNode awaitFinished(String runId) {
        return new FarmApi(farm).awaitNightlyRun(runId, RUN_TIMEOUT);
    }

    /** A host directory holding {@code binary} under {@code name}, the suite's file name. */
    private static Path host(Path dir, Path binary, String name) throws IOException {
        Files.createDirectories(dir);
        Files.copy(binary, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    /** The stubs fixture with addrOfMemcpyish's LEAQ pointed at otherLeaf: the regression a bad edit makes. */
    private static Path stubsWithWrongResolver() throws IOException {
        Path copy = Farm.workDir().resolve("go-src").resolve("stubs-regressed");
        Path source = GoBinaries.source("stubs");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path asm = copy.resolve("stubs_amd64.s");
        String text = Files.readString(asm);
        String stub = "TEXT ·addrOfMemcpyish(SB), NOSPLIT, $0-8\n\tLEAQ ·memcpyish(SB), AX";
        if (!text.contains(stub)) {
            throw new IllegalStateException("the stubs fixture changed; update this test's patch: " + asm);
        }
        Files.writeString(asm, text.replace(stub, "TEXT ·addrOfMemcpyish(SB), NOSPLIT, $0-8\n\tLEAQ ·otherLeaf(SB), AX"));
        return copy;
    }

    private static void requireRoot() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        id.waitFor();
        if (!uid.equals("0")) {
            throw new IllegalStateException("NightlyEndToEndIT gives each agent its own host files with a private"
                    + " mount namespace (unshare --mount, mount --bind), which needs root; it runs as uid " + uid);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
