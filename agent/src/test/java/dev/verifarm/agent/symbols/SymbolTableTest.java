package dev.verifarm.agent.symbols;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.testing.StubsFixture;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Addresses are named as nm names them, from .symtab, or from .gopclntab in a stripped binary. */
class SymbolTableTest {

    private static final List<String> FUNCTIONS = List.of("main.memcpyish.abi0", "main.memcpyish",
            "main.addrOfMemcpyish.abi0", "main.otherLeaf.abi0", "main.escaping.abi0", "main.helperLeaf.abi0",
            "main.main", "runtime.main");

    static Stream<StubsFixture> fixtures() {
        return StubsFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void functionAddressesAreNamedAsNmNamesThem(StubsFixture fixture) throws Exception {
        SymbolTable symbols = Artifact.open(fixture.binary()).symbols();

        assertAll(FUNCTIONS.stream().map(name -> () -> {
            long address = fixture.address(name);
            String expected = fixture.functionName(name);
            assertEquals(Optional.of(new SymbolOffset(expected, 0)), symbols.locate(address), name);
            long inside = fixture.knownSize(name) - 1; // the last byte, padding aside
            assertEquals(Optional.of(new SymbolOffset(expected, inside)), symbols.locate(address + inside),
                    name + "+" + inside);
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void dataIsNamedBySymbolWhenTheFileHasASymbolTable(StubsFixture fixture) throws Exception {
        SymbolTable symbols = Artifact.open(fixture.binary()).symbols();
        long table = fixture.address("main.table");

        Optional<SymbolOffset> located = symbols.locate(table + 8);
        if (fixture.variant().stripped()) {
            assertEquals(false, located.orElseThrow().symbol().startsWith("main."), "a stripped file names sections");
        } else {
            assertEquals(Optional.of(new SymbolOffset("main.table", 8)), located);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void strippedFilesFallBackToThePclntab(StubsFixture fixture) throws Exception {
        SymbolTable symbols = Artifact.open(fixture.binary()).symbols();

        assertEquals(!fixture.variant().stripped(), symbols.hasSymtab());
        assertEquals(fixture.variant().stripped() ? CodeSymbol.Source.PCLNTAB : CodeSymbol.Source.SYMTAB,
                symbols.functions().get(0).source());
    }
}
