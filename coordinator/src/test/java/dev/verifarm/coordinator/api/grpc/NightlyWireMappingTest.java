package dev.verifarm.coordinator.api.grpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.coordinator.nightly.Suite;
import dev.verifarm.coordinator.nightly.SuiteDocument;
import dev.verifarm.coordinator.problem.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The NightlyService face: a suite goes out as its wire message and comes back as the same suite. */
class NightlyWireMappingTest {
    private static final String SUITE = """
            {"name": "forms", "schedule": "0 0 2 * * ?", "entries": [
              {"artifact": {"hostPath": {"path": "/opt/verifarm/stubs", "architecture": "arm64"}}, "mode": "native",
               "expectations": [{"resolve": "main.addrOfMemcpyish=main.memcpyish"},
                                {"resolve": "data:main.slot=main.memcpyish"},
                                {"copy": "funcvalue:main.memcpyish=main.memcpyish@symbol:main.end"},
                                {"copy": "symbol:main.memcpyish.abi0=main.memcpyish@symbol-size"},
                                {"copy": "main.addrOfMemcpyish=main.memcpyish"}]},
              {"artifact": {"sha256": "%s"}, "discover": true, "hazards": true}]}""".formatted("ab".repeat(32));

    @Test
    void everySpelledFormComesBackFromTheWire() throws IOException {
        Suite suite = SuiteDocument.read(new ObjectMapper().readTree(SUITE), Optional.empty());
        Suite back = NightlyWireMapping.suite(NightlyWireMapping.suite(suite));
        assertEquals(suite.entries(), back.entries());
        assertEquals("main.addrOfMemcpyish=main.memcpyish@pclntab-end",
                back.entries().get(0).expectations().get(4).spelling());
    }

    @Test
    void aBadEntryOnTheWireNamesItsFieldAsASuiteDocumentWould() {
        dev.verifarm.proto.v1.Suite wire = dev.verifarm.proto.v1.Suite.newBuilder().setName("bad")
                .setSchedule("0 0 2 * * ?").addEntries(dev.verifarm.proto.v1.SuiteEntry.newBuilder()
                        .setArtifact(dev.verifarm.proto.v1.ArtifactSource.newBuilder().setSha256("ab".repeat(32)))
                        .addExpectations(dev.verifarm.proto.v1.Expectation.newBuilder()
                                .setKind(dev.verifarm.proto.v1.CheckKind.COPY).setResolver("a").setTarget("")))
                .build();
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> NightlyWireMapping.suite(wire));
        assertEquals("entries[0].expectations[0].target", refused.field());
        assertEquals("target is required, e.g. main.memcpyish", refused.getMessage());
    }
}
