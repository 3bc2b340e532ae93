package dev.verifarm.agent.check.discover;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.DataWordPointer;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.ResolverStub;
import dev.verifarm.agent.check.vocabulary.WrapperPair;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.StubShape;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.GoFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists every ABI wrapper, every resolver-shaped stub and every data word holding a function entry, so a user can
 * start without writing expectations.
 */
public final class Discover {

    /**
     * Resolver stubs materialise one address and return: a handful of instructions, padding aside, or a few more
     * with a frame, its stack-split check and a local (a $200-8 stub is 97 bytes on amd64).
     */
    private static final long MAX_STUB_BYTES = 192;

    private Discover() {
    }

    public static Discovery run(Artifact artifact) {
        List<WrapperPair> wrappers = new ArrayList<>();
        for (GoFunction f : artifact.functions().wrappers()) {
            CodeSymbol wrapper = f.wrapper().orElseThrow();
            wrappers.add(new WrapperPair(f.name(), artifact.locate(f.body().address()), artifact.locate(wrapper.address()),
                    f.body().source() == CodeSymbol.Source.SYMTAB ? "symtab" : "pclntab", f.toldApartBy()));
        }
        return new Discovery(wrappers, stubs(artifact), dataWords(artifact));
    }

    private static List<DataWordPointer> dataWords(Artifact artifact) {
        try {
            return DataWordDiscovery.run(artifact);
        } catch (ElfFormatException e) {
            // data sections the file does not back hold no word we can show, as with stubs below; the checks
            // that read them (data: resolvers) say what is wrong
            return List.of();
        }
    }

    private static List<ResolverStub> stubs(Artifact artifact) {
        List<ResolverStub> out = new ArrayList<>();
        for (CodeSymbol f : artifact.symbols().functions()) {
            if (f.size() == 0 || f.size() > MAX_STUB_BYTES) {
                continue;
            }
            try {
                byte[] text = artifact.text(f.address(), f.size());
                if (!StubShape.mayMaterialiseAddress(artifact.elf().architecture(), text)) {
                    continue;
                }
                List<Instruction> code = artifact.decode(text, f.address());
                AddressEvaluation yields = artifact.evaluateStub(f, code);
                if (yields.address().isPresent() && artifact.elf().isCodeAddress(yields.address().getAsLong())) {
                    out.add(new ResolverStub(f.name(), f.address(), artifact.locate(yields.address().getAsLong()),
                            Artifact.evidenceUpToReturn(code, yields.walk())));
                }
            } catch (ElfFormatException e) {
                // a function the file does not back is no stub we can show; the wrappers list is unaffected
            }
        }
        return out;
    }
}
