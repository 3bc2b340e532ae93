package dev.verifarm.coordinator.nightly;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.ContractException;
import dev.verifarm.contract.Expectation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The suite-file face: real YAML files in a suites directory, read as the coordinator reads them at start. */
class SuiteFilesTest {
    private static final List<String> COPIES = List.of("main.addrOfMemcpyish=main.memcpyish@pclntab-end",
            "data:main.slot=main.memcpyish@symbol-size", "funcvalue:main.memcpyish=main.memcpyish@symbol:main.end");
    private static final String SUITE = """
            name: %s
            schedule: "0 0 2 * * ?"
            entries:
              - artifact: {hostPath: {path: /opt/verifarm/stubs, architecture: arm64}}
                expectations:
                  - copy: "%s"
            """;

    @Test
    void everySpelledFormComesBackAsWritten(@TempDir Path dir) throws IOException {
        for (int i = 0; i < COPIES.size(); i++) {
            Files.writeString(dir.resolve("suite-" + i + ".yaml"), SUITE.formatted("suite-" + i, COPIES.get(i)));
        }
        SuiteFiles.Loaded loaded = SuiteFiles.load(dir);
        assertEquals(List.of(), loaded.problems());
        for (int i = 0; i < COPIES.size(); i++) {
            Suite suite = loaded.suites().get(i);
            assertEquals(COPIES.get(i), suite.entries().get(0).expectations().get(0).spelling());
            assertEquals(COPIES.get(i), SuiteDocument.write(suite).at("/entries/0/expectations/0/copy").asText());
            assertEquals("ARM64", SuiteDocument.write(suite).at("/entries/0/artifact/hostPath/architecture").asText());
        }
    }

    @Test
    void aBadSpellingIsRefusedWithTheContractsWordsAndTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), SUITE.formatted("bad", "a=b@nowhere"));
        String words = assertThrows(ContractException.class, () -> Expectation.parse(CheckKind.COPY, "a=b@nowhere"))
                .getMessage();
        assertEquals(List.of(file + ": entries[0].expectations[0].copy: " + words), SuiteFiles.load(dir).problems());
    }
}
