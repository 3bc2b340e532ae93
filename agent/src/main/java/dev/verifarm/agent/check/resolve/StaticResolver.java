package dev.verifarm.agent.check.resolve;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.GoFunction;
import dev.verifarm.agent.symbols.UnknownSymbolException;

import java.util.List;
import java.util.OptionalLong;

/**
 * Works out what a resolver yields from the file alone. Resolver spellings:
 * {@code NAME} is a stub whose code is evaluated; {@code funcvalue:NAME} is what Go code gets for the value of
 * function NAME (its ABI wrapper when the linker made one); {@code symbol:NAME} is the address of that exact
 * symbol ({@code symbol:main.memcpyish.abi0}); {@code data:NAME} is the code address the 8-byte data word NAME
 * holds ({@link DataWordResolver}).
 */
public final class StaticResolver {

    public static final String FUNC_VALUE = "funcvalue:";
    public static final String SYMBOL = "symbol:";
    public static final String DATA = "data:";
    private static final int MAX_STUB_BYTES = 256;

    private StaticResolver() {
    }

    /**
     * @throws ResolverUnavailableException when the artifact cannot have such a resolver at all (data symbols
     *                                      of a stripped binary)
     */
    public static ResolverAddress resolve(Artifact artifact, String resolver)
            throws UnknownSymbolException, ElfFormatException, ResolverUnavailableException {
        if (resolver.startsWith(DATA)) {
            return DataWordResolver.resolve(artifact, resolver.substring(DATA.length()));
        }
        if (resolver.startsWith(FUNC_VALUE)) {
            GoFunction f = artifact.functions().resolve(resolver.substring(FUNC_VALUE.length()));
            CodeSymbol value = f.wrapper().orElse(f.body());
            return new ResolverAddress(OptionalLong.of(value.address()), List.of(), "Go's func value of " + f.name()
                    + " is " + (f.wrapper().isPresent() ? "its ABI wrapper " : "its body ") + value.name());
        }
        if (resolver.startsWith(SYMBOL)) {
            String name = resolver.substring(SYMBOL.length());
            List<CodeSymbol> exact = artifact.symbols().symtabFunctions(name);
            if (exact.size() == 1) {
                return new ResolverAddress(OptionalLong.of(exact.get(0).address()), List.of(), "the address of symbol " + name);
            }
            GoFunction f = artifact.functions().resolve(name);
            return new ResolverAddress(OptionalLong.of(f.body().address()), List.of(), "the address of " + f.body().name());
        }
        CodeSymbol stub = artifact.functions().resolve(resolver).body();
        long length = Math.min(stub.size(), MAX_STUB_BYTES);
        List<Instruction> code = artifact.decode(artifact.text(stub.address(), length), stub.address());
        AddressEvaluation evaluation = artifact.evaluateStub(stub, code);
        String how = evaluation.how() + (evaluation.gotSlots().isEmpty() ? ""
                : " (loaded from " + evaluation.gotSlots().stream().map(a -> artifact.locate(a).toString()).toList() + ")");
        return new ResolverAddress(evaluation.address(), Artifact.evidenceUpToReturn(code, evaluation.walk()), how);
    }
}
