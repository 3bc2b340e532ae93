package dev.verifarm.agent.check.discover;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.resolve.StaticResolver;
import dev.verifarm.agent.check.vocabulary.DataWordPointer;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.elf.DataWord;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.SymbolOffset;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every data word whose value is a function's entry, with the {@code data:} expectation that checks it when the
 * word is named: the second way people hand out an assembly body's address, besides a stub.
 */
final class DataWordDiscovery {

    private static final String ABI0 = ".abi0";

    private DataWordDiscovery() {
    }

    static List<DataWordPointer> run(Artifact artifact) throws ElfFormatException {
        List<Long> entries = artifact.symbols().functions().stream().map(CodeSymbol::address).toList();
        List<DataWordPointer> out = new ArrayList<>();
        for (DataWord w : artifact.dataWords().pointingAt(entries)) {
            Location yields = artifact.locate(w.value());
            Optional<String> name = artifact.dataSymbols().startingAt(w.address());
            Optional<String> suggestion = name.flatMap(n -> yields.symbol().map(s -> StaticResolver.DATA + n + "="
                    + goName(s)));
            out.add(new DataWordPointer(w.address(), w.section(), name, yields, suggestion));
        }
        return out;
    }

    /** The Go name a target is spelled by: the body {@code X.abi0} and its wrapper {@code X} are both {@code X}. */
    private static String goName(SymbolOffset function) {
        String s = function.symbol();
        return s.endsWith(ABI0) ? s.substring(0, s.length() - ABI0.length()) : s;
    }
}
