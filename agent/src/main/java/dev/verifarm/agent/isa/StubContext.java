package dev.verifarm.agent.isa;

import java.util.function.LongPredicate;

/**
 * What a walk of a resolver stub needs from the file around it.
 *
 * @param memory               the words the loaded image holds (GOT slots, data words)
 * @param convention           where the stub hands its result back
 * @param positionIndependent  whether the file is a PIE: an address truncated to 32 bits is then never right
 * @param growsStack           whether an address is the entry of {@code runtime.morestack*}, which a stack-split
 *                             prologue calls before restarting the function
 */
public record StubContext(LoadedMemory memory, ResultConvention convention, boolean positionIndependent,
                          LongPredicate growsStack) {
}
