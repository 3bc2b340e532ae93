package dev.verifarm.agent.check.resolve;

import dev.verifarm.agent.check.vocabulary.DecodedInstruction;

import java.util.List;
import java.util.OptionalLong;

/**
 * The code address a resolver yields, worked out without running it.
 *
 * @param address the address, empty when the resolver could not be decoded
 * @param code    the resolver's decoded instructions, when it is a stub
 * @param how     how the address was obtained, or why it could not be
 */
public record ResolverAddress(OptionalLong address, List<DecodedInstruction> code, String how) {

    public ResolverAddress {
        code = List.copyOf(code);
    }
}
