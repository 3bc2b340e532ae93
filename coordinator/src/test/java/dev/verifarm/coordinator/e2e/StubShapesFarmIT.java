package dev.verifarm.coordinator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Resolver stubs with frames and data-word resolvers through a real farm: the shapes fixture (see
 * agent/src/test/go/README.md) uploaded over REST, checked by a native amd64 agent process in both modes; the
 * verdicts are the toolchain's (probe mode and nm), and the job's report and dashboard page show the frame the
 * walk followed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StubShapesFarmIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final Map<String, String> CHECKS = new LinkedHashMap<>(Map.of(
            "main.addrOfBodyFrame200", "main.body",
            "main.addrOfWrongFrame16", "main.body",
            "data:main.bodyAddr", "main.body",
            "data:main.insideAddr", "main.body"));

    private Farm farm;
    private FarmApi api;
    private Path amd64;
    private String sha;

    @BeforeAll
    void startFarm() {
        amd64 = GoBinaries.build("shapes", "amd64");
        farm = Farm.start();
        api = new FarmApi(farm);
        farm.startAgent("native-amd64", "amd64");
        api.awaitAgents(names -> names.contains("native-amd64"), "register");
        sha = api.upload(amd64, "shapes-amd64").get("sha256").asText();
    }

    @AfterAll
    void stop() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void framedStubsAndDataWordsGetTheToolchainsVerdictsInBothModesAndTheWalkIsShown() {
        Map<String, String> truth = GoBinaries.resolvedSymbols(amd64, "amd64");
        for (String mode : List.of("STATIC", "NATIVE")) {
            Map<String, Object> body = new LinkedHashMap<>(FarmApi.resolveJob(sha, CHECKS));
            body.put("mode", mode);
            String id = api.submit(body).get("id").asText();
            JsonNode job = api.awaitFinished(id, JOB_TIMEOUT);
            JsonNode attempt = job.get("attempts").get(job.get("attempts").size() - 1);
            List<String> shown = new ArrayList<>();
            for (JsonNode r : attempt.get("results")) {
                String resolver = r.get("resolver").asText();
                assertEquals(GoBinaries.expectedVerdict(truth, resolver, CHECKS.get(resolver)), r.get("verdict").asText(),
                        mode + " " + resolver + ": " + r.get("reason").asText());
                shown.add(resolver);
            }
            assertEquals(List.copyOf(CHECKS.keySet()), shown, mode);
            if (mode.equals("STATIC")) {
                assertTheWalkIsInTheReportAndOnThePage(id, attempt.get("report"));
            }
        }
    }

    private void assertTheWalkIsInTheReportAndOnThePage(String id, JsonNode report) {
        List<String> walk = new ArrayList<>();
        for (JsonNode result : report.get("results")) {
            if (result.at("/expectation/resolver").asText().equals("main.addrOfBodyFrame200")) {
                result.at("/evidence/resolverCode").forEach(i -> walk.add(i.path("walk").asText()));
            }
        }
        assertTrue(walk.stream().anyMatch(w -> w.startsWith("stack-split check")), walk::toString);
        assertTrue(walk.stream().anyMatch(w -> w.startsWith("ret+0(FP) = 0x")), walk::toString);

        HttpResponse<String> page = farm.send(HttpRequest.newBuilder(farm.rest("/jobs/" + id)).build());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<td class=\"walk\">stack-split check"), "the dashboard shows the walk");
        assertTrue(page.body().contains("data:main.bodyAddr"), "and the data-word resolver");
    }
}
