package dev.verifarm.agent.check.vocabulary;

import java.util.List;

/**
 * Every ABI wrapper, every resolver-shaped stub and every data word holding a function entry in a binary, so
 * users can start without expectations.
 */
public record Discovery(List<WrapperPair> wrappers, List<ResolverStub> stubs, List<DataWordPointer> dataWords) {

    public Discovery {
        wrappers = List.copyOf(wrappers);
        stubs = List.copyOf(stubs);
        dataWords = List.copyOf(dataWords);
    }
}
