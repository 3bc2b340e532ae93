package dev.verifarm.agent.isa;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a resolver stub's straight-line code materialises and hands back.
 *
 * @param address the code address the stub yields, when it could be computed
 * @param how     how it was handed back ("stored to [rsp+8]", "returned in x0") or why it could not be computed
 * @param gotSlots GOT slots the value was loaded from, for PIE and GOT-indirect stubs
 */
public record AddressEvaluation(OptionalLong address, String how, List<Long> gotSlots) {

    public AddressEvaluation {
        gotSlots = List.copyOf(gotSlots);
    }

    static AddressEvaluation unresolved(String why) {
        return new AddressEvaluation(OptionalLong.empty(), why, List.of());
    }
}
