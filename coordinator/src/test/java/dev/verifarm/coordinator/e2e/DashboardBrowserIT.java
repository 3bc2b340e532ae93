package dev.verifarm.coordinator.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web dashboard in a real browser (Debian's headless Chromium) over a real farm: a coordinator and agent
 * processes running real checks on real Go binaries. Each step looks at what a person sees and clicks what a person
 * clicks; screenshots land in {@code target/screenshots}. The steps share one farm and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    /** An uploaded artifact's name is user input: it must reach the page as text, never as markup. */
    private static final String HOSTILE_NAME = "stubs-<b>amd64</b>";
    private static final String FUNC_VALUE = "funcvalue:main.memcpyish";

    private Farm farm;
    private FarmApi api;
    private HeadlessChromium browser;
    private Path amd64;
    private String amd64JobId;

    @BeforeAll
    void start() {
        amd64 = GoBinaries.build("stubs", "amd64");
        farm = Farm.start();
        api = new FarmApi(farm);
        farm.startAgent("native-amd64", "amd64");
        api.awaitAgents(names -> names.contains("native-amd64"), "register");
        browser = HeadlessChromium.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    @Order(1)
    void theFleetPageListsEachAgentUnderTheArchitectureItServes() {
        browser.open(farm.rest("/"));
        assertEquals("Fleet · Verifarm", browser.title());
        List<String> amd64Agents = texts(browser.findAll("#arch-amd64 .agent-name"));
        assertEquals(List.of("native-amd64"), amd64Agents, farm.describe());
        assertEquals("healthy", browser.find("#arch-amd64 .health").getText());
        assertTrue(browser.findAll("#arch-arm64 .agent-name").isEmpty());
        assertTrue(browser.find("#arch-arm64").getText().contains("No agent serves arm64"),
                browser.find("#arch-arm64").getText());
        browser.screenshot("fleet");
    }

    @Test
    @Order(2)
    void aJobPageFollowsItsJobLiveUntilTheVerdictsArrive() {
        Path arm64 = GoBinaries.build("stubs", "arm64");
        String jobId = submit(upload(arm64, "stubs-arm64"));
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
    @Order(3)
    void clickingThroughToAJobShowsEachVerdictWithTheResolvedSymbolAndTheEscapingReferences() {
        amd64JobId = submit(upload(amd64, HOSTILE_NAME));
        api.awaitFinished(amd64JobId, JOB_TIMEOUT);
        browser.open(farm.rest("/"));
        browser.find("a.job-link[href='/jobs/" + amd64JobId + "']").click();
        assertTrue(browser.currentUrl().endsWith("/jobs/" + amd64JobId), browser.currentUrl());
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
        browser.screenshot("job");
        browser.screenshot(wrapper, "job-wrapper-copy");
    }

    @Test
    @Order(4)
    void theJobsListFiltersByState() {
        String passing = api.submit(FarmApi.resolveJob(FarmApi.sha256(amd64),
                Map.of("main.addrOfMemcpyish", "main.memcpyish"))).get("id").asText();
        api.awaitFinished(passing, JOB_TIMEOUT);
        browser.open(farm.rest("/jobs"));
        assertEquals(3, browser.findAll("tr.job").size());

        new Select(browser.find("#filter-state")).selectByVisibleText("PASSED");
        browser.find("#filter-apply").click();
        browser.await(Duration.ofSeconds(10), "the filtered list", b -> b.currentUrl().contains("state=PASSED"));
        assertEquals(List.of(passing.substring(0, 8)), texts(browser.findAll("tr.job a.job-link")));
        assertEquals("PASSED", new Select(browser.find("#filter-state")).getFirstSelectedOption().getText());

        new Select(browser.find("#filter-state")).selectByVisibleText("FAILED");
        new Select(browser.find("#filter-architecture")).selectByVisibleText("amd64");
        browser.find("#filter-apply").click();
        browser.await(Duration.ofSeconds(10), "the filtered list", b -> b.currentUrl().contains("state=FAILED"));
        assertEquals(List.of(amd64JobId.substring(0, 8)), texts(browser.findAll("tr.job a.job-link")));
        browser.screenshot("jobs-failed-amd64");
    }

    @Test
    @Order(5)
    void aBadFilterOrAnUnknownJobIsExplainedOnThePage() {
        browser.open(farm.rest("/jobs?state=finished"));
        assertEquals("Bad request", browser.find("h1").getText());
        assertTrue(browser.find(".error").getText().startsWith("state: unknown value 'finished'; expected one of"),
                browser.find(".error").getText());
        browser.open(farm.rest("/jobs/no-such-job"));
        assertEquals("Not found", browser.find("h1").getText());
        assertEquals("job_id: no job no-such-job", browser.find(".error").getText());
    }

    @Test
    @Order(6)
    void screenshotsAreKept() {
        for (String name : List.of("fleet", "job", "job-wrapper-copy", "jobs-failed-amd64")) {
            Path shot = Path.of(System.getProperty("verifarm.screenshots.dir", "target/screenshots"))
                    .resolve(name + ".png");
            assertTrue(Files.isRegularFile(shot), shot + " is missing");
        }
    }

    private Map<String, String> verdictsShown() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement result : browser.findAll("article.result")) {
            shown.put(result.findElement(By.cssSelector(".expectation code")).getText(),
                    result.findElement(By.cssSelector(".verdict")).getText());
        }
        return shown;
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
