package dev.verifarm.agent.check.vocabulary;

import java.util.List;
import java.util.Optional;

/**
 * What a human needs to believe a verdict: the resolver's code, where it resolved, where the target is,
 * how a copy compared, and each reference that escapes a copy.
 */
public record Evidence(List<DecodedInstruction> resolverCode, Optional<Location> resolved, Optional<TargetInfo> target,
                       Optional<TextComparison> text, List<EscapingReference> escapes,
                       Optional<NativeObservation> observation) {

    public Evidence {
        resolverCode = List.copyOf(resolverCode);
        escapes = List.copyOf(escapes);
    }

    public static Evidence none() {
        return new Evidence(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty());
    }

    public Evidence withObservation(NativeObservation observation) {
        return new Evidence(resolverCode, resolved, target, text, escapes, Optional.of(observation));
    }
}
