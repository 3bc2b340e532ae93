package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.problem.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteDocumentTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String GOOD = """
            name: stubs
            schedule: "0 30 2 * * ?"
            deadline: 45m
            entries:
              - artifact:
                  hostPath: {path: /opt/verifarm/stubs, architecture: arm64}
                mode: native
                expectations:
                  - resolve: main.addrOfMemcpyish=main.memcpyish
                  - copy: funcvalue:main.memcpyish=main.memcpyish@symbol-size
            """;

    @Test
    void theDeployedConfigMapSuiteReadsAsWritten() throws IOException {
        JsonNode configMap = YAML.readTree(Path.of("../deploy/kubernetes/base/nightly-suites.yaml").toFile());
        Suite suite = SuiteDocument.read(YAML.readTree(configMap.at("/data/go-stubs.yaml").asText()),
                Optional.empty());
        assertEquals("go-stubs", suite.name());
        assertEquals("0 0 2 * * ?", suite.schedule().expression());
        assertEquals(2, suite.entries().size());
        SuiteEntry hostPath = suite.entries().get(1);
        assertEquals(new ArtifactSource.HostPath("/opt/verifarm/artifacts/memcpyish-arm64"), hostPath.artifact());
        assertEquals(Optional.of(Architecture.ARM64), hostPath.architecture());
        assertEquals(ExecutionMode.NATIVE, hostPath.mode());
        assertTrue(hostPath.discover());
        assertEquals(Expectation.of(CheckKind.COPY, "main.addrOfMemcpyish", "main.memcpyish", "pclntab-end"),
                suite.entries().get(0).expectations().get(1));
    }

    @Test
    void aSuiteReadsBackFromItsOwnDocument() throws IOException {
        Suite suite = read(GOOD);
        assertEquals(Duration.ofMinutes(45), suite.deadline());
        assertEquals(Expectation.of(CheckKind.COPY, "funcvalue:main.memcpyish", "main.memcpyish",
                "symbol-size"), suite.entries().get(0).expectations().get(1));
        assertEquals(suite, SuiteDocument.read(SuiteDocument.write(suite), Optional.empty()));
    }

    @Test
    void theJobsApiSpellingOfAnExpectationIsAcceptedToo() throws IOException {
        Suite suite = read(GOOD.replace("- resolve: main.addrOfMemcpyish=main.memcpyish",
                "- {kind: resolve, resolver: main.addrOfMemcpyish, target: main.memcpyish}"));
        assertEquals(Expectation.of(CheckKind.RESOLVE, "main.addrOfMemcpyish", "main.memcpyish", null),
                suite.entries().get(0).expectations().get(0));
    }

    @Test
    void aDataWordResolverIsSpelledAndReadBackLikeAnyOther() throws IOException {
        Suite suite = read(GOOD.replace("- resolve: main.addrOfMemcpyish=main.memcpyish",
                "- resolve: data:main.memcpyishAddr=main.memcpyish"));
        assertEquals(Expectation.of(CheckKind.RESOLVE, "data:main.memcpyishAddr", "main.memcpyish", null),
                suite.entries().get(0).expectations().get(0));
        assertEquals("data:main.memcpyishAddr=main.memcpyish",
                suite.entries().get(0).expectations().get(0).spelling());
        assertEquals(suite, SuiteDocument.read(SuiteDocument.write(suite), Optional.empty()));
    }

    @Test
    void aBadCronExpressionIsRefusedNamingTheSchedule() {
        assertRefused(GOOD.replace("\"0 30 2 * * ?\"", "\"0 30 25 * * ?\""), "schedule", "Quartz cron");
    }

    @Test
    void anUnknownArchitectureIsRefusedNamingItsField() {
        assertRefused(GOOD.replace("architecture: arm64", "architecture: riscv64"),
                "entries[0].artifact.hostPath.architecture", "riscv64");
    }

    @Test
    void aSuiteWithoutEntriesIsRefused() {
        assertRefused(GOOD.substring(0, GOOD.indexOf("entries:")) + "entries: []\n", "entries", "at least one");
    }

    @Test
    void anExpectationWithoutATargetIsRefusedNamingItsSpelling() {
        assertRefused(GOOD.replace("resolve: main.addrOfMemcpyish=main.memcpyish", "resolve: main.addrOfMemcpyish"),
                "entries[0].expectations[0].resolve", "RESOLVER=TARGET");
    }

    @Test
    void anUnknownEndRuleIsRefusedNamingTheCopy() {
        assertRefused(GOOD.replace("@symbol-size", "@the-end"), "entries[0].expectations[1].copy", "the-end");
    }

    @Test
    void aMisspelledFieldIsRefusedNotIgnored() {
        assertRefused(GOOD.replace("expectations:", "expectation:"), "entries[0].expectation", "unknown field");
    }

    @Test
    void aRelativeHostPathIsRefused() {
        assertRefused(GOOD.replace("/opt/verifarm/stubs", "stubs"), "entries[0].artifact.hostPath.path", "absolute");
    }

    @Test
    void aJobsSpellingOfAHostPathReadsAsTheSuitesOwn() throws IOException {
        assertEquals(read(GOOD).entries(), read(GOOD.replace(
                "hostPath: {path: /opt/verifarm/stubs, architecture: arm64}",
                "{hostPath: /opt/verifarm/stubs, architecture: arm64}")).entries());
        assertRefused(GOOD.replace("hostPath: {path: /opt/verifarm/stubs, architecture: arm64}",
                "{hostPath: {path: /opt/verifarm/stubs, architecture: arm64}, architecture: arm64}"),
                "entries[0].artifact.architecture", "architecture goes beside");
    }

    @Test
    void aHostPathThatIsNotNormalIsRefusedAsAJobsIs() {
        assertRefused(GOOD.replace("/opt/verifarm/stubs", "/opt/x/../y"), "entries[0].artifact.hostPath.path",
                "a host path must not contain '.' or '..' segments, got '/opt/x/../y'");
    }

    @Test
    void aBadFileIsRefusedWithItsPathAndFieldWhileTheOthersLoad(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a-good.yaml"), GOOD);
        Files.writeString(dir.resolve("b-bad.yaml"), GOOD.replace("name: stubs", "name: other")
                .replace("mode: native", "mode: sometimes"));
        Files.writeString(dir.resolve("c-not-yaml.yml"), "name: [unclosed\n");
        Files.writeString(dir.resolve("d-duplicate.yaml"), GOOD);
        Files.writeString(dir.resolve("notes.txt"), "not a suite");
        SuiteFiles.Loaded loaded = SuiteFiles.load(dir);
        assertEquals(1, loaded.suites().size());
        assertEquals("stubs", loaded.suites().get(0).name());
        assertEquals(Optional.of(dir.resolve("a-good.yaml").toString()), loaded.suites().get(0).origin());
        assertEquals(3, loaded.problems().size(), loaded.problems().toString());
        assertTrue(loaded.problems().get(0).startsWith(dir.resolve("b-bad.yaml") + ": entries[0].mode: "),
                loaded.problems().get(0));
        assertTrue(loaded.problems().get(1).startsWith(dir.resolve("c-not-yaml.yml") + ": "),
                loaded.problems().get(1));
        assertTrue(loaded.problems().get(2).contains("already declared in " + dir.resolve("a-good.yaml")),
                loaded.problems().get(2));
    }

    @Test
    void anEntryMayAskForTheHazardScanAloneAndKeepsItWhenWrittenBack() throws IOException {
        Suite suite = read(GOOD.replace("""
                    mode: native
                    expectations:
                      - resolve: main.addrOfMemcpyish=main.memcpyish
                      - copy: funcvalue:main.memcpyish=main.memcpyish@symbol-size
                """, "    hazards: true\n"));

        assertTrue(suite.entries().get(0).hazards());
        assertTrue(suite.entries().get(0).expectations().isEmpty());
        assertEquals(suite.entries(), SuiteDocument.read(SuiteDocument.write(suite), Optional.empty()).entries());
    }

    @Test
    void aHazardsFlagThatIsNoBooleanIsRefusedNamingItsField() {
        assertRefused(GOOD.replace("    mode: native\n", "    mode: native\n    hazards: yes please\n"),
                "entries[0].hazards", "true or false");
    }

    private static Suite read(String yaml) throws IOException {
        return SuiteDocument.read(YAML.readTree(yaml), Optional.empty());
    }

    private static void assertRefused(String yaml, String field, String messagePart) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(yaml));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
