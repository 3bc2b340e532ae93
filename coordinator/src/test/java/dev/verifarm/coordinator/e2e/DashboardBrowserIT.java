package dev.verifarm.coordinator.e2e;

import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web dashboard in a real browser (Debian's headless Chromium) over a real farm: a coordinator and agent
 * processes running real checks on real Go binaries. Each step looks at what a person sees and clicks what a person
 * clicks; screenshots land in {@code target/screenshots}. Each test has a farm with a native agent and a browser of
 * its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(10);
    /** An uploaded artifact's name is user input: it must reach the page as text, never as markup. */
    private static final String HOSTILE_NAME = "stubs-<b>amd64</b>";
    private static final String FUNC_VALUE = "funcvalue:main.memcpyish";
    private static final String CHECK = "main.addrOfMemcpyish=main.memcpyish";

    private Farm farm;
    private FarmApi api;
    private HeadlessChromium browser;
    private Path amd64;

    @BeforeAll
    void buildStubs() {
        amd64 = GoBinaries.build("stubs", "amd64");
    }

    @BeforeEach
    void start() {
        // nightly runs are settled every second, so a finished run shows at once
        farm = Farm.start("-Dverifarm.nightly.check-interval=1s");
        api = new FarmApi(farm);
        farm.startAgent("native-amd64", "amd64");
        api.awaitAgents(names -> names.contains("native-amd64"), "register");
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aBrowserWithoutATokenSignsInOnceAndReturnsToThePageItAskedFor() {
        browser.open(farm.rest("/jobs?state=FAILED"));
        assertTrue(browser.currentUrl().contains("/login?next="), browser.currentUrl());
        browser.find("#token").sendKeys("vf_not-a-token");
        browser.find("#sign-in").click();
        // a click does not wait for the page the form posts to: wait for it before reading it
        assertEquals("the token is unknown or revoked", browser.await(PAGE_TIMEOUT, "the sign-in error",
                b -> b.findAll("#sign-in-error").stream().map(WebElement::getText).findFirst().orElse(null)));

        // reading the dashboard needs no more than a reader token
        browser.find("#token").sendKeys(farm.createToken("viewer", "reader"));
        browser.find("#sign-in").click();
        browser.await(PAGE_TIMEOUT, "the page asked for after signing in; at " + browser.currentUrl(),
                b -> b.currentUrl().endsWith("/jobs?state=FAILED"));
        assertEquals("Jobs · Verifarm", browser.title());
    }

    @Test
    void theFleetPageListsEachAgentUnderTheArchitectureItServes() {
        signIn();
        browser.open(farm.rest("/"));
        assertEquals("Fleet · Verifarm", browser.title());
        List<String> amd64Agents = texts(browser.findAll("#arch-amd64 .agent-name"));
        assertEquals(List.of("native-amd64"), amd64Agents, farm.describe());
        assertEquals("healthy", browser.find("#arch-amd64 .health").getText());
        assertTrue(browser.findAll("#arch-arm64 .agent-name").isEmpty());
        assertTrue(browser.find("#arch-arm64").getText().contains("No agent serves arm64"),
                browser.find("#arch-arm64").getText());
        assertKept(browser.screenshot("fleet"));
    }

    @Test
    void aJobPageFollowsItsJobLiveUntilTheVerdictsArrive() {
        signIn();
        String jobId = submitArm64();
        browser.open(farm.rest("/jobs/" + jobId));
        assertEquals("QUEUED", browser.find("#job-state").getText());
        assertTrue(browser.find("#no-report").isDisplayed());
        // The page is not loaded again from here on: only its script can bring the agent's progress and verdicts.
        farm.startAgent("qemu-arm64", "arm64");
        browser.await(JOB_TIMEOUT, "the page shows the verdicts of job " + jobId + "; " + farm.describe(),
                b -> !b.findAll("article.result").isEmpty());
        assertEquals("FAILED", browser.find("#job-state").getText());
        assertTrue(texts(browser.findAll("#events li")).stream().anyMatch(e -> e.contains("leased to qemu-arm64")),
                texts(browser.findAll("#events li")).toString());
        assertEquals(Map.of("main.addrOfMemcpyish", "MATCH", "main.addrOfWrong", "MISMATCH",
                "main.addrOfEscaping", "NOT_RELOCATABLE", FUNC_VALUE, "WRAPPER"), verdictsShown());
    }

    @Test
    void clickingThroughToAJobShowsEachVerdictWithTheResolvedSymbolAndTheEscapingReferences() {
        signIn();
        String amd64JobId = submit(upload(amd64, HOSTILE_NAME));
        api.awaitFinished(amd64JobId, JOB_TIMEOUT);
        browser.open(farm.rest("/"));
        browser.find("a.job-link[href='/jobs/" + amd64JobId + "']").click();
        browser.await(PAGE_TIMEOUT, "the job page of " + amd64JobId, b -> b.currentUrl().endsWith("/jobs/" + amd64JobId)
                && !b.findAll("#job-state").isEmpty());
        assertEquals("FAILED", browser.find("#job-state").getText());

        Map<String, String> truth = new LinkedHashMap<>(GoBinaries.resolvedSymbols(amd64, "amd64"));
        // the value of a Go func is its ABI wrapper, which .symtab names without the .abi0 of the body
        truth.put(FUNC_VALUE, "main.memcpyish");
        for (WebElement result : browser.findAll("article.result")) {
            String resolver = result.findElement(By.cssSelector(".expectation code")).getText();
            String symbol = result.findElement(By.cssSelector(".resolved-symbol")).getText();
            assertEquals(truth.get(resolver), symbol, "the symbol shown for " + resolver);
        }
        assertFalse(browser.findAll("article.verdict-MATCH table.code td.insn").isEmpty(),
                "the stub's decoded instructions are shown");

        WebElement copy = browser.find("article.result.verdict-NOT_RELOCATABLE");
        assertTrue(copy.getText().contains("main.helperLeaf.abi0"), "escaping.s calls helperLeaf: " + copy.getText());
        assertFalse(copy.findElements(By.cssSelector(".bytemap .segment-equal")).isEmpty());
        assertTrue(copy.findElements(By.cssSelector(".bytediff .byte-differs")).isEmpty(),
                "the body's own text was copied");
        assertFalse(copy.findElements(By.cssSelector(".bytediff .byte-past-body")).isEmpty(), "and its padding");
        WebElement wrapper = browser.find("article.result.verdict-WRAPPER");
        String escape = wrapper.findElement(By.cssSelector(".escape-target")).getText();
        assertTrue(escape.endsWith("<main.memcpyish.abi0>"), "the wrapper calls the body: " + escape);
        assertFalse(wrapper.findElements(By.cssSelector(".bytediff .byte-differs")).isEmpty(),
                "the wrapper's text differs from the body's");

        WebElement artifact = browser.find("dl.facts dd");
        assertEquals(HOSTILE_NAME, artifact.getText());
        assertTrue(artifact.findElements(By.tagName("b")).isEmpty(), "the name became markup");
        assertKept(browser.screenshot("job"));
        assertKept(browser.screenshot(wrapper, "job-wrapper-copy"));
    }

    @Test
    void theJobsListFiltersByState() {
        signIn();
        // a failing job of each architecture and a passing one
        String arm64JobId = submitArm64();
        farm.startAgent("qemu-arm64", "arm64");
        String amd64JobId = submit(upload(amd64, HOSTILE_NAME));
        api.awaitFinished(arm64JobId, JOB_TIMEOUT);
        api.awaitFinished(amd64JobId, JOB_TIMEOUT);
        String passing = api.submit(FarmApi.resolveJob(FarmApi.sha256(amd64),
                Map.of("main.addrOfMemcpyish", "main.memcpyish"))).get("id").asText();
        api.awaitFinished(passing, JOB_TIMEOUT);
        browser.open(farm.rest("/jobs"));
        assertEquals(3, browser.findAll("tr.job").size());

        new Select(browser.find("#filter-state")).selectByVisibleText("PASSED");
        browser.find("#filter-apply").click();
        browser.await(PAGE_TIMEOUT, "the filtered list", b -> b.currentUrl().contains("state=PASSED"));
        assertEquals(List.of(passing.substring(passing.length() - 8)), texts(browser.findAll("tr.job a.job-link")));
        assertEquals("PASSED", new Select(browser.find("#filter-state")).getFirstSelectedOption().getText());

        new Select(browser.find("#filter-state")).selectByVisibleText("FAILED");
        new Select(browser.find("#filter-architecture")).selectByVisibleText("amd64");
        browser.find("#filter-apply").click();
        browser.await(PAGE_TIMEOUT, "the filtered list", b -> b.currentUrl().contains("state=FAILED"));
        assertEquals(List.of(amd64JobId.substring(amd64JobId.length() - 8)), texts(browser.findAll("tr.job a.job-link")));
        assertKept(browser.screenshot("jobs-failed-amd64"));
    }

    @Test
    void aBadFilterOrAnUnknownJobIsExplainedOnThePage() {
        signIn();
        browser.open(farm.rest("/jobs?state=finished"));
        assertEquals("Bad request", browser.find("h1").getText());
        assertTrue(browser.find(".error").getText().startsWith("state: unknown value 'finished'; expected one of"),
                browser.find(".error").getText());
        browser.open(farm.rest("/jobs/no-such-job"));
        assertEquals("Not found", browser.find("h1").getText());
        assertEquals("job_id: no job no-such-job", browser.find(".error").getText());
    }

    @Test
    void aNightlyRunShowsItsMatrixAsAGridWithTheRegressionFirst() throws IOException {
        signIn();
        // one entry stays as it is; the other is a file on the agent's host that a bad build replaces
        Path host = Files.createDirectories(Farm.workDir().resolve("nightly-" + UUID.randomUUID()));
        Path file = Files.copy(amd64, host.resolve("stubs"));
        String sha = upload(amd64, "stubs-amd64");
        HttpResponse<String> put = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/suites/web"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("""
                        {"schedule": "0 0 2 * * ?", "deadline": "5m", "entries": [
                          {"artifact": {"sha256": "%s"}, "expectations": [{"resolve": "%s"}]},
                          {"artifact": {"hostPath": {"path": "%s", "architecture": "amd64"}},
                           "expectations": [{"resolve": "%s"}]}]}
                        """.formatted(sha, CHECK, file, CHECK))).build());
        assertEquals(200, put.statusCode(), put.body());
        String night1 = runNightly();
        Files.copy(GoBinaries.build("plain", "amd64"), file, StandardCopyOption.REPLACE_EXISTING);
        String night2 = runNightly();

        browser.open(farm.rest("/nightly"));
        List<String> runs = texts(browser.findAll("#suite-web a.run-link"));
        assertEquals(List.of(night2.substring(0, 8), night1.substring(0, 8)), runs, "newest first");
        browser.find("#suite-web a.run-link").click();
        assertEquals("FINISHED", browser.find("#run-state").getText());

        List<WebElement> regressions = browser.findAll("#regressions tr.change");
        assertEquals(1, regressions.size());
        assertEquals(file.toString(), regressions.get(0).findElement(By.cssSelector(".entry")).getText());
        assertEquals("native-amd64", regressions.get(0).findElement(By.cssSelector(".change-agent")).getText());

        List<WebElement> rows = browser.findAll("#matrix tr.matrix-row");
        assertEquals(2, rows.size());
        assertEquals(file.toString(), rows.get(0).findElement(By.cssSelector(".entry")).getText(),
                "the regressed entry comes first, though the suite lists it second");
        WebElement regressed = rows.get(0).findElement(By.cssSelector("td.cell"));
        assertTrue(regressed.getAttribute("class").contains("cell-regressed"), regressed.getAttribute("class"));
        assertFalse(regressed.getAttribute("class").contains("outcome-MATCH"), regressed.getAttribute("class"));
        assertEquals(List.of("outcome-MATCH"), rows.get(0).findElements(By.cssSelector(".history .dot")).stream()
                .map(d -> d.getAttribute("class").replace("dot ", "")).toList(), "night 1 matched");
        WebElement steady = rows.get(1).findElement(By.cssSelector("td.cell"));
        assertTrue(steady.getAttribute("class").contains("outcome-MATCH"), steady.getAttribute("class"));
        assertKept(browser.screenshot("nightly-run"));

        steady.findElement(By.tagName("a")).click();
        assertEquals("PASSED", browser.find("#job-state").getText(), "a cell links to its job");

        browser.open(farm.rest("/jobs?suite=web"));
        assertEquals(4, browser.findAll("tr.job").size(), "two entries on one agent, two nights");
    }

    /** Runs the suite now and waits until the run has finished; returns its id. */
    private String runNightly() {
        String id = FarmApi.parse(api.post("/api/v1/suites/web/runs", Map.of()).body()).get("id").asText();
        Instant deadline = Instant.now().plus(JOB_TIMEOUT);
        while (!api.get("/api/v1/nightly-runs/" + id).get("state").asText().equals("FINISHED")) {
            assertTrue(Instant.now().isBefore(deadline), "nightly run " + id + " did not finish; " + farm.describe());
            Farm.sleep(Duration.ofMillis(300));
        }
        return id;
    }

    /** Signs the browser in with a reader token, as the first test does through a wrong token first. */
    private void signIn() {
        browser.open(farm.rest("/jobs"));
        browser.find("#token").sendKeys(farm.createToken("viewer", "reader"));
        browser.find("#sign-in").click();
        browser.await(PAGE_TIMEOUT, "the jobs page after signing in; at " + browser.currentUrl(),
                b -> b.currentUrl().endsWith("/jobs") && b.title().equals("Jobs · Verifarm"));
    }

    /** The screenshot is kept where the build says: {@code verifarm.screenshots.dir}. */
    private static void assertKept(Path shot) {
        Path dir = Path.of(System.getProperty("verifarm.screenshots.dir", "target/screenshots"));
        assertEquals(dir.toAbsolutePath(), shot.toAbsolutePath().getParent(), shot.toString());
        assertTrue(Files.isRegularFile(shot), shot + " is missing");
    }

    private Map<String, String> verdictsShown() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement result : browser.findAll("article.result")) {
            shown.put(result.findElement(By.cssSelector(".expectation code")).getText(),
                    result.findElement(By.cssSelector(".verdict")).getText());
        }
        return shown;
    }

    /** Uploads the arm64 stubs and submits the checks of {@link #submit}; returns the job's id. */
    private String submitArm64() {
        return submit(upload(GoBinaries.build("stubs", "arm64"), "stubs-arm64"));
    }

    /** Uploads under {@code name}, which travels URL-encoded as any client sends it; returns the sha256. */
    private String upload(Path binary, String name) {
        return api.upload(binary, URLEncoder.encode(name, StandardCharsets.UTF_8)).get("sha256").asText();
    }

    /**
     * Submits two stub checks (one right, one wrong), a copy of a function that calls out of itself, and a copy of
     * what a Go func value yields: the ABI wrapper. Returns the job's id.
     */
    private String submit(String sha256) {
        return api.submit(Map.of("artifact", Map.of("sha256", sha256), "expectations", List.of(
                Map.of("kind", "resolve", "resolver", "main.addrOfMemcpyish", "target", "main.memcpyish"),
                Map.of("kind", "resolve", "resolver", "main.addrOfWrong", "target", "main.memcpyish"),
                Map.of("kind", "copy", "resolver", "main.addrOfEscaping", "target", "main.escaping"),
                Map.of("kind", "copy", "resolver", FUNC_VALUE, "target", "main.memcpyish")))).get("id").asText();
    }

    private static List<String> texts(List<WebElement> elements) {
        return elements.stream().map(WebElement::getText).toList();
    }
}
