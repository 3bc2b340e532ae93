package dev.verifarm.agent.check.discover;

import dev.verifarm.agent.check.Artifact;
import dev.verifarm.agent.check.Discovery;
import dev.verifarm.agent.check.ResolverStub;
import dev.verifarm.agent.check.WrapperPair;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.ResultConvention;
import dev.verifarm.agent.isa.StubShape;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.GoFunction;

import java.util.ArrayList;
import java.util.List;

/** Lists every ABI wrapper and every resolver-shaped stub, so a user can start without writing expectations. */
public final class Discover {

    /** Resolver stubs materialise one address and return: a handful of instructions, padding aside. */
    private static final long MAX_STUB_BYTES = 96;

    private Discover() {
    }

    public static Discovery run(Artifact artifact) {
        List<WrapperPair> wrappers = new ArrayList<>();
        for (GoFunction f : artifact.functions().wrappers()) {
            CodeSymbol wrapper = f.wrapper().orElseThrow();
            wrappers.add(new WrapperPair(f.name(), artifact.locate(f.body().address()), artifact.locate(wrapper.address()),
                    f.body().source() == CodeSymbol.Source.SYMTAB ? "symtab" : "pclntab", f.toldApartBy()));
        }
        return new Discovery(wrappers, stubs(artifact));
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
                AddressEvaluation yields = artifact.isa().evaluate(code, artifact.elf()::loadedWord,
                        artifact.functions().isAssembly(f) ? ResultConvention.STACK : ResultConvention.STACK_OR_REGISTER,
                        artifact.elf().isPie());
                if (yields.address().isPresent() && artifact.elf().isCodeAddress(yields.address().getAsLong())) {
                    out.add(new ResolverStub(f.name(), f.address(), artifact.locate(yields.address().getAsLong()),
                            Artifact.evidenceUpToReturn(code)));
                }
            } catch (ElfFormatException e) {
                // a function the file does not back is no stub we can show; the wrappers list is unaffected
            }
        }
        return out;
    }
}
