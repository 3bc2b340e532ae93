package dev.verifarm.agent.report;

import static dev.verifarm.agent.testing.CheckCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.CheckCli.Run;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.SafecopyFixture;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code --format sarif} and {@code --format junit} on the safecopy fixture with one expectation of each outcome: a
 * result (SARIF) or failing test case (JUnit) per user hazard and per expectation that is not MATCH, nothing for a
 * MATCH or a toolchain hazard.
 */
class CiFormatsTest {

    private static final SafecopyFixture BROKEN = new SafecopyFixture(false, GoArch.ARM64, BuildVariant.PIE,
            GoToolchain.GO_1_22);
    /** A MATCH (the body's own symbol), a WRAPPER (the func value) and an ERROR (no such function). */
    private static final String[] EXPECTATIONS = {"--resolve", "symbol:main.memcpy.abi0=main.memcpy",
            "--resolve", "funcvalue:main.memcpy=main.memcpy", "--resolve", "symbol:main.memcpy.abi0=main.noSuchFunction"};

    @Test
    void sarifHasAResultPerUserHazardAndPerFailingExpectation() throws Exception {
        Run run = check("sarif");
        JsonNode sarif = new ObjectMapper().readTree(run.out());
        JsonNode sarifRun = sarif.at("/runs/0");

        assertEquals(1, run.exitCode(), run.err());
        assertEquals("2.1.0", sarif.get("version").asText());
        List<String> rules = new ArrayList<>();
        sarifRun.at("/tool/driver/rules").forEach(r -> rules.add(r.get("id").asText()));
        assertTrue(rules.containsAll(List.of("hazard/user", "hazard/toolchain", "verdict/wrapper", "verdict/error")),
                rules.toString());
        List<String> results = new ArrayList<>();
        for (JsonNode r : sarifRun.get("results")) {
            String rule = r.get("ruleId").asText();
            assertEquals(rule, rules.get(r.get("ruleIndex").asInt()));
            String function = r.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText();
            results.add(rule + " " + function);
            if (rule.equals("hazard/user")) {
                assertEquals(BROKEN.address(function), r.at("/locations/0/physicalLocation/address/absoluteAddress")
                        .asLong(), "the wrapper's address, for " + function);
            }
        }
        List<String> expected = new ArrayList<>();
        SafecopyFixture.ASSEMBLY.forEach(f -> expected.add("hazard/user " + f));
        expected.addAll(List.of("verdict/wrapper main.memcpy", "verdict/error main.noSuchFunction"));
        assertEquals(expected, results);
        assertTrue(sarifRun.at("/invocations/0/executionSuccessful").asBoolean());
        assertEquals(64, sarifRun.at("/artifacts/0/hashes/sha-256").asText().length());
    }

    @Test
    void junitHasATestCasePerExpectationAndPerUserHazard() throws Exception {
        Run run = check("junit");
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
        Element suite = xml.getDocumentElement();
        NodeList cases = suite.getElementsByTagName("testcase");

        assertEquals("testsuite", suite.getTagName());
        assertEquals(3 + SafecopyFixture.ASSEMBLY.size(), cases.getLength());
        assertEquals(String.valueOf(cases.getLength()), suite.getAttribute("tests"));
        assertEquals("6", suite.getAttribute("failures"), "the WRAPPER and the five hazards");
        assertEquals("1", suite.getAttribute("errors"), "the function that does not exist");
        Set<String> failing = new HashSet<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (c.getElementsByTagName("failure").getLength() > 0) {
                failing.add(c.getAttribute("classname") + " " + c.getAttribute("name"));
            }
        }
        Set<String> expected = new HashSet<>();
        SafecopyFixture.ASSEMBLY.forEach(f -> expected.add("verifarm.hazards " + f));
        expected.add("verifarm.resolve funcvalue:main.memcpy=main.memcpy");
        assertEquals(expected, failing);
    }

    @Test
    void junitShowsAHazardScanThatFoundNothingAsOnePassingCase() throws Exception {
        Run run = run(new SafecopyFixture(true, GoArch.AMD64, BuildVariant.EXTERNAL, GoToolchain.GO_1_19)
                .binary().toString(), "--hazards", "--format", "junit");
        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8))).getDocumentElement();

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("1", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("no user hazards", ((Element) suite.getElementsByTagName("testcase").item(0)).getAttribute("name"));
    }

    private static Run check(String format) {
        List<String> args = new ArrayList<>(List.of(BROKEN.binary().toString(), "--hazards", "--format", format));
        args.addAll(List.of(EXPECTATIONS));
        return run(args.toArray(String[]::new));
    }
}
