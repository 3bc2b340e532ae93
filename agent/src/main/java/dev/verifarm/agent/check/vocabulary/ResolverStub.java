package dev.verifarm.agent.check.vocabulary;

import java.util.List;

/** A function shaped like a resolver stub: it materialises a code address and returns it. */
public record ResolverStub(String name, long address, Location yields, List<DecodedInstruction> code) {

    public ResolverStub {
        code = List.copyOf(code);
    }
}
