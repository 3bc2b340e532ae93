package dev.verifarm.agent.check.hazard;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.gosym.FuncEntry;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.symbols.GoFunction;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The assembly functions that have an ABIInternal wrapper: the ones whose Go func value is not their body. */
final class WrappedAssembly {

    private static final String ABI0_SUFFIX = ".abi0";

    private WrappedAssembly() {
    }

    /** Each wrapped assembly function, by its wrapper's entry: the address Go stores as the function's value. */
    static Map<Long, GoFunction> byWrapperEntry(Artifact artifact) {
        Map<Long, GoFunction> out = new HashMap<>();
        for (GoFunction f : artifact.functions().wrappers()) {
            if (artifact.functions().isAssembly(f.body())) {
                out.put(f.wrapper().orElseThrow().address(), f);
            }
        }
        return out;
    }

    /**
     * A superset of those entries that costs no decoding: every function that shares its Go name with another
     * ({@code X} beside {@code X.abi0}, or same-named .gopclntab entries). Telling which of a pair is the wrapper
     * means decoding both, so the data can be searched for these while that goes on.
     */
    static Set<Long> candidateEntries(Artifact artifact) {
        Set<Long> out = new HashSet<>();
        if (artifact.symbols().hasSymtab()) {
            for (String name : artifact.symbols().symtabFunctionNames()) {
                if (name.endsWith(ABI0_SUFFIX)) {
                    String goName = name.substring(0, name.length() - ABI0_SUFFIX.length());
                    artifact.symbols().symtabFunctions(goName).forEach(s -> out.add(s.address()));
                }
            }
            return out;
        }
        Optional<Pclntab> table = artifact.symbols().pclntab();
        if (table.isPresent()) {
            for (FuncEntry f : table.get().functions()) {
                if (table.get().named(f.name()).size() > 1) {
                    out.add(f.entry());
                }
            }
        }
        return out;
    }
}
