package dev.verifarm.agent.check;

import java.util.List;

/** Every ABI wrapper and every resolver-shaped stub in a binary, so users can start without expectations. */
public record Discovery(List<WrapperPair> wrappers, List<ResolverStub> stubs) {

    public Discovery {
        wrappers = List.copyOf(wrappers);
        stubs = List.copyOf(stubs);
    }
}
