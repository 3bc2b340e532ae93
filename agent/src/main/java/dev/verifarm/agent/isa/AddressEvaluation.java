package dev.verifarm.agent.isa;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a resolver stub's code materialises and hands back.
 *
 * @param address  the code address the stub yields, when it could be computed
 * @param how      how it was handed back ("stored to [rsp+8]", "returned in x0") or why it could not be computed
 * @param gotSlots GOT slots the value was loaded from, for PIE and GOT-indirect stubs
 * @param walk     what the walk made of each instruction it followed, by address: the stack pointer against its
 *                 value at entry, locals and the result slot written, a stack-split check passed
 */
public record AddressEvaluation(OptionalLong address, String how, List<Long> gotSlots, Map<Long, String> walk) {

    public AddressEvaluation {
        gotSlots = List.copyOf(gotSlots);
        walk = Map.copyOf(walk);
    }

    static AddressEvaluation unresolved(String why, Map<Long, String> walk) {
        return new AddressEvaluation(OptionalLong.empty(), why, List.of(), walk);
    }
}
