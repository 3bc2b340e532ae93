package dev.verifarm.agent.check.vocabulary;

import java.util.List;
import java.util.Optional;

/**
 * An assembly function whose Go func value the binary takes: whoever uses that value as an address (a fault
 * range, a copy's source) works on the ABI wrapper, not the body.
 *
 * @param function       the Go name, as Go spells it ({@code main.memcpy}, without {@code .abi0})
 * @param scope          {@code user} or {@code toolchain}, with {@code scopeReason} saying why
 * @param takenIn        each taking function's Go name, or the data symbol (section+offset without .symtab)
 * @param body           the assembly body
 * @param wrapper        the ABIInternal wrapper that the func value holds
 * @param funcValueWords the data words that hold the wrapper's entry: Go's func values of the function
 * @param references     each instruction and data word that takes one of them, or the entry itself
 * @param unlisted       references found beyond those listed; func value words and takers are listed up to the
 *                       same bound, so a hostile file cannot make a report unbounded
 * @param usedAsAddress  why the value is likely used as an address, when a taker shows it
 * @param fix            the resolver stub to write instead, for user hazards
 */
public record Hazard(String function, HazardScope scope, String scopeReason, List<String> takenIn, Location body,
                     Location wrapper, List<Location> funcValueWords, List<HazardReference> references, int unlisted,
                     Optional<String> usedAsAddress, Optional<SuggestedFix> fix) {

    public Hazard {
        takenIn = List.copyOf(takenIn);
        funcValueWords = List.copyOf(funcValueWords);
        references = List.copyOf(references);
    }

    public boolean user() {
        return scope == HazardScope.USER;
    }
}
