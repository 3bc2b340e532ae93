package dev.verifarm.agent.cli;

import static dev.verifarm.agent.testing.CheckCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.CheckCli.Run;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.SafecopyFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code check --hazards}: exit 1 on a user hazard so CI can gate on it, 0 without one, and the JSON contract
 * ({@code hazards[].function}, {@code scope}, {@code takenIn}) that CI scripts read.
 */
class HazardsCommandTest {

    private static final SafecopyFixture BROKEN = new SafecopyFixture(false, GoArch.AMD64, BuildVariant.DEFAULT,
            GoToolchain.GO_1_19);
    private static final SafecopyFixture FIXED = new SafecopyFixture(true, GoArch.ARM64,
            BuildVariant.PIE_STRIPPED, GoToolchain.GO_1_22);

    @Test
    void exitsOneWhenAUserHazardIsFound() {
        Run run = run(BROKEN.binary().toString(), "--hazards");

        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.out().contains("HAZARD user main.memcpy"), run.out());
        assertTrue(run.out().contains("TEXT ·addrOfMemcpy(SB), NOSPLIT, $0-8"), run.out());
        assertTrue(run.out().contains("5 user hazards"), run.out());
    }

    @Test
    void exitsZeroWhenOnlyToolchainHazardsAreFound() {
        Run run = run(FIXED.binary().toString(), "--hazards");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("hazards: 0 user"), run.out());
    }

    /** An expectation that fails exits 1 too; hazards and expectations are reported side by side. */
    @Test
    void hazardsGoWithExpectationsAndDiscovery() throws Exception {
        Run run = run(FIXED.binary().toString(), "--hazards", "--discover", "--format", "json",
                "--resolve", "main.addrOfMemcpy=main.memcpy", "--resolve", "main.addrOfMemcpy=main.memclr");
        JsonNode json = new ObjectMapper().readTree(run.out());

        assertEquals(1, run.exitCode(), run.err());
        assertEquals("MATCH", json.at("/results/0/verdict").asText());
        assertEquals("MISMATCH", json.at("/results/1/verdict").asText());
        assertTrue(json.at("/discovery/stubs").size() >= 5, json.at("/discovery").toString());
        assertTrue(json.get("hazards").isArray());
    }

    @Test
    void jsonKeepsTheContractNames() throws Exception {
        JsonNode hazards = new ObjectMapper().readTree(run(BROKEN.binary().toString(), "--hazards", "--format", "json")
                .out()).get("hazards");

        List<String> user = new ArrayList<>();
        for (JsonNode h : hazards) {
            assertTrue(h.get("function").isTextual() && !h.get("function").asText().endsWith(".abi0"), h.toString());
            assertTrue(List.of("user", "toolchain").contains(h.get("scope").asText()), h.toString());
            assertTrue(h.get("takenIn").isArray() && h.get("takenIn").size() > 0, h.toString());
            if (h.get("scope").asText().equals("user")) {
                user.add(h.get("function").asText());
                assertFalse(h.at("/fix/stub").asText().isEmpty(), h.toString());
            }
        }
        assertEquals(SafecopyFixture.ASSEMBLY, user);
        JsonNode memcpy = null;
        for (JsonNode h : hazards) {
            memcpy = h.get("function").asText().equals("main.memcpy") ? h : memcpy;
        }
        assertEquals(List.of("main.init.0"), List.of(memcpy.at("/takenIn/0").asText()));
        assertEquals(BROKEN.address("main.memcpy.abi0"), memcpy.at("/body/address").asLong());
        assertEquals(BROKEN.address("main.memcpy"), memcpy.at("/wrapper/address").asLong());
        assertEquals("code", memcpy.at("/references/0/kind").asText());
        assertTrue(memcpy.at("/references/0/instruction/text").asText().startsWith("lea "), memcpy.toString());
    }

    @Test
    void nothingToDoNamesHazardsAmongTheChoices() {
        Run run = run(BROKEN.binary().toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--hazards"), run.err());
    }
}
