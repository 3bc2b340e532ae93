package dev.verifarm.agent.cli;

import static dev.verifarm.agent.testing.CheckCli.agent;
import static dev.verifarm.agent.testing.CheckCli.run;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.CheckCli.Run;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.ShapesFixture;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.contract.ContractException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code check} command: exit codes 0 (all MATCH), 1 (not), 2 (usage or unreadable), and its JSON. */
class CheckCommandTest {

    private static final List<String> EVERY_KIND_OF_VERDICT = List.of(
            "--resolve", "main.addrOfMemcpyish=main.memcpyish",
            "--resolve", "main.addrOfWrong=main.memcpyish",
            "--resolve", "funcvalue:main.memcpyish=main.memcpyish",
            "--copy", "main.addrOfMemcpyish=main.memcpyish@symbol-size",
            "--copy", "funcvalue:main.memcpyish=main.memcpyish",
            "--copy", "main.addrOfEscaping=main.escaping",
            "--resolve", "main.addrOfNothing=main.memcpyish",
            "--resolve", "main.addrOfMemcpyish=main.noSuchFunction");
    /** verifarm.v1.Evidence's fields as its JSON names them; a message field is written only when present. */
    private static final Set<String> EVIDENCE_FIELDS =
            Set.of("resolverCode", "resolved", "target", "text", "escapes", "observation");

    static Stream<StubsFixture> fixtures() {
        return Stream.of(GoArch.values()).flatMap(a -> Stream.of(new StubsFixture(a, BuildVariant.DEFAULT),
                new StubsFixture(a, BuildVariant.PIE_STRIPPED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void exitsZeroWhenEveryExpectationMatches(StubsFixture fixture) {
        Run run = run(fixture.binary().toString(), "--resolve", "main.addrOfMemcpyish=main.memcpyish",
                "--copy", "main.addrOfMemcpyish=main.memcpyish");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("2 of 2 expectations MATCH"), run.out());
    }

    /** The text report shows what the walk made of each instruction, and the named data words discovery found. */
    @Test
    void theTextReportShowsTheWalkAndSuggestsDataWordResolvers() {
        ShapesFixture shapes = new ShapesFixture(GoArch.AMD64, BuildVariant.DEFAULT, GoToolchain.GO_1_19);
        String body = "0x" + Long.toHexString(shapes.address("main.body.abi0"));

        Run run = run(shapes.binary().toString(), "--resolve", "main.addrOfBodyFrame200=main.body",
                "--resolve", "data:main.bodyAddr=main.body", "--discover");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertAll(
                () -> assertTrue(run.out().contains("; stack-split check"), run.out()),
                () -> assertTrue(run.out().contains("; ret+0(FP) = " + body), run.out()),
                () -> assertTrue(run.out().contains("the data word main.bodyAddr at 0x"), run.out()),
                () -> assertTrue(run.out().contains("check with --resolve data:main.elsewhereAddr=main.elsewhere"),
                        run.out()),
                () -> assertTrue(run.out().matches("(?s).*data words holding a function entry \\(\\d+, 4 named\\).*"),
                        run.out()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void exitsOneWhenAnExpectationDoesNotMatch(StubsFixture fixture) {
        Run run = run(fixture.binary().toString(), "--resolve", "main.addrOfMemcpyish=main.memcpyish",
                "--resolve", "main.addrOfWrong=main.memcpyish");

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("MISMATCH"), run.out());
    }

    @Test
    void exitsZeroWhenOnlyDiscoveryIsAsked() {
        Run run = run(new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary().toString(), "--discover");

        assertEquals(0, run.exitCode(), "no expectation, so none failed: " + run.err());
        assertTrue(run.out().contains("main.addrOfMemcpyish.abi0 -> "), run.out());
    }

    @Test
    void exitsTwoForAnUnreadableArtifact() {
        Run run = run(GoFixtures.sourceDir("stubs").resolve("main.go").toString(),
                "--resolve", "main.addrOfMemcpyish=main.memcpyish");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("not an ELF file"), run.err());
    }

    static Stream<List<String>> usageErrors() {
        String file = new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary().toString();
        return Stream.of(
                List.of(),
                List.of("--resolve", "main.addrOfMemcpyish=main.memcpyish"),
                List.of(file),
                List.of(file, "--resolve"),
                List.of(file, "--resolve", "main.addrOfMemcpyish"),
                List.of(file, "--copy", "main.addrOfMemcpyish=main.memcpyish@end-of-time"),
                List.of(file, "--discover", "--format", "yaml"),
                List.of(file, "--discover", "--time-limit", "0"),
                List.of(file, "--discover", "--verbose"),
                List.of(file, file, "--discover"),
                List.of(file + ".does-not-exist", "--discover"));
    }

    /** The words of a refusal are the contract's, as every face of the farm says them. */
    @Test
    void aBadSpellingGetsTheContractsWords() {
        String file = new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary().toString();
        for (String bad : List.of("a=b@nowhere", "=b", "a=")) {
            String words = assertThrows(ContractException.class, () -> dev.verifarm.contract.Expectation.parse(
                    dev.verifarm.contract.CheckKind.COPY, bad)).getMessage();
            Run run = run(file, "--copy", bad);
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("verifarm-agent check: --copy " + bad + ": " + words + "\n"), run.err());
        }
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void exitsTwoForBadUsage(List<String> args) {
        Run run = run(args.toArray(String[]::new));

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("verifarm-agent check: "), run.err());
        assertTrue(run.err().endsWith("see 'verifarm-agent check --help'\n"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void mainExitsTwoForAnUnknownCommandOrNone() {
        Run unknown = agent(List.of("verify", "x"));
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("verifarm-agent: Unmatched arguments from index 0: 'verify', 'x'"),
                unknown.err());
        Run none = agent(List.of());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().startsWith("Usage: verifarm-agent"), none.err());
    }

    @Test
    void helpDescribesEveryOptionAndExitsZero() {
        Run help = agent(List.of("check", "--help"));
        assertEquals(0, help.exitCode(), help.err());
        for (String option : List.of("--resolve", "--copy", "--discover", "--hazards", "--native", "--format",
                "--time-limit", "--allow-probe-network")) {
            assertTrue(help.out().contains(option), option + "\n" + help.out());
        }
        assertTrue(help.out().contains("Exit status: 0"), help.out());
    }

    @Test
    void completionPrintsABashScriptForCheckAndRun() {
        Run completion = agent(List.of("completion"));
        assertEquals(0, completion.exitCode(), completion.err());
        assertTrue(completion.out().contains("complete -F _complete_verifarm-agent"), completion.out());
        assertTrue(completion.out().contains("--allow-probe-network"), completion.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void jsonHasEveryVerdictWithAllItsEvidenceFields(StubsFixture fixture) throws Exception {
        List<String> args = new ArrayList<>(List.of(fixture.binary().toString(), "--format", "json", "--discover"));
        args.addAll(EVERY_KIND_OF_VERDICT);
        Run run = run(args.toArray(String[]::new));
        JsonNode json = new ObjectMapper().readTree(run.out());

        assertEquals(1, run.exitCode(), run.err());
        assertEquals(fixture.arch().goarch().toUpperCase(java.util.Locale.ROOT), json.at("/artifact/architecture").asText());
        assertEquals(fixture.variant().pie(), json.at("/artifact/pie").asBoolean());
        assertEquals(fixture.variant().stripped(), json.at("/artifact/stripped").asBoolean());
        assertEquals("STATIC", json.get("mode").asText());
        JsonNode results = json.get("results");
        assertEquals(EVERY_KIND_OF_VERDICT.size() / 2, results.size());
        List<String> verdicts = new ArrayList<>();
        for (JsonNode r : results) {
            verdicts.add(r.get("verdict").asText());
            assertFalse(r.get("reason").asText().isBlank(), r.toString());
            for (String field : List.of("kind", "resolver", "target")) {
                assertTrue(r.get("expectation").hasNonNull(field), field + " in " + r);
            }
            assertEquals(r.at("/expectation/kind").asText().equals("COPY"), r.get("expectation").has("endRule"),
                    "a copy, and only a copy, names its end rule: " + r);
            Set<String> evidence = new HashSet<>();
            r.get("evidence").fieldNames().forEachRemaining(evidence::add);
            assertTrue(EVIDENCE_FIELDS.containsAll(evidence), "evidence fields of " + r.get("expectation"));
            assertTrue(evidence.containsAll(Set.of("resolverCode", "escapes")), "lists are written even when empty");
        }
        assertEquals(List.of("MATCH", "MISMATCH", "WRAPPER", "MATCH", "WRAPPER", "NOT_RELOCATABLE", "UNRESOLVED",
                "ERROR"), verdicts);
        assertTrue(json.at("/discovery/wrappers").size() > 0 && json.at("/discovery/stubs").size() > 0, "discovery");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void jsonEvidenceCarriesTheAddressesNmShows(StubsFixture fixture) throws Exception {
        List<String> args = new ArrayList<>(List.of(fixture.binary().toString(), "--format", "json"));
        args.addAll(EVERY_KIND_OF_VERDICT);
        JsonNode results = new ObjectMapper().readTree(run(args.toArray(String[]::new)).out()).get("results");

        long body = fixture.address("main.memcpyish.abi0");
        assertAll(
                () -> assertEquals(body, results.at("/0/evidence/resolved/address").asLong()),
                () -> assertEquals(fixture.functionName("main.memcpyish.abi0"),
                        results.at("/0/evidence/resolved/symbol/symbol").asText()),
                () -> assertEquals(body, results.at("/0/evidence/target/bodyAddress").asLong()),
                () -> assertEquals(fixture.address("main.memcpyish"), results.at("/0/evidence/target/wrapperAddress").asLong()),
                () -> assertEquals(fixture.address("main.otherLeaf.abi0"), results.at("/1/evidence/resolved/address").asLong()),
                () -> assertEquals(fixture.address("main.memcpyish"), results.at("/2/evidence/resolved/address").asLong()),
                () -> assertEquals(body, results.at("/3/evidence/text/begin").asLong()),
                () -> assertEquals(body + fixture.knownSize("main.memcpyish.abi0"), results.at("/3/evidence/text/end").asLong()),
                () -> assertEquals(body, results.at("/4/evidence/escapes/0/target/address").asLong()));
        Set<Long> escapeTargets = new HashSet<>();
        results.at("/5/evidence/escapes").forEach(e -> escapeTargets.add(e.at("/target/address").asLong()));
        assertEquals(Set.of(fixture.address("main.helperLeaf.abi0"), fixture.address("main.table")), escapeTargets);
    }

    @Test
    void jsonOfANativeRunCarriesTheProbesObservation() throws Exception {
        StubsFixture fixture = new StubsFixture(GoArch.host().orElseThrow(), BuildVariant.PIE);
        Run run = run(fixture.binary().toString(), "--native", "--format", "json",
                "--copy", "main.addrOfMemcpyish=main.memcpyish");
        JsonNode result = new ObjectMapper().readTree(run.out()).at("/results/0");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        JsonNode o = result.at("/evidence/observation");
        assertFalse(o.get("emulated").asBoolean());
        assertEquals(fixture.address("main.memcpyish.abi0"),
                o.get("reportedAddress").asLong() - o.get("loadBias").asLong());
        assertTrue(o.hasNonNull("destination"), o.toString());
    }
}
