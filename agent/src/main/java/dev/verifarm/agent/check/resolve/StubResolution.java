package dev.verifarm.agent.check.resolve;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Evidence;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.TargetVerdict;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.symbols.GoFunction;
import dev.verifarm.agent.symbols.UnknownSymbolException;

import java.util.List;
import java.util.Optional;

/** Static stub resolution: decode the resolver, compute the address it yields, compare with the target. */
public final class StubResolution {

    private StubResolution() {
    }

    public static CheckResult check(Artifact artifact, Expectation expectation) {
        GoFunction target;
        try {
            target = artifact.functions().resolve(expectation.target());
        } catch (UnknownSymbolException e) {
            return CheckResult.error(expectation, "target: " + e.getMessage());
        }
        ResolverAddress resolved;
        try {
            resolved = StaticResolver.resolve(artifact, expectation.resolver());
        } catch (UnknownSymbolException e) {
            return unresolved(expectation, target, "resolver: " + e.getMessage()
                    + "; a resolver that exists only at run time needs native mode");
        } catch (ElfFormatException e) {
            return new CheckResult(expectation, Verdict.UNRESOLVED, "the resolver's code or data word is unreadable: "
                    + e.getMessage(),
                    Evidence.none());
        } catch (ResolverUnavailableException e) {
            return CheckResult.error(expectation, "resolver: " + e.getMessage());
        }
        if (resolved.address().isEmpty()) {
            return new CheckResult(expectation, Verdict.UNRESOLVED, "could not compute what "
                    + expectation.resolver() + " yields: " + resolved.how(),
                    new Evidence(resolved.code(), Optional.empty(), Optional.of(TargetVerdict.info(target)),
                            Optional.empty(), List.of(), Optional.empty()));
        }
        Location location = artifact.locate(resolved.address().getAsLong());
        Verdict verdict = TargetVerdict.classify(location.address(), target);
        return new CheckResult(expectation, verdict,
                expectation.resolver() + " " + TargetVerdict.explain(verdict, location, target) + " (" + resolved.how() + ")",
                new Evidence(resolved.code(), Optional.of(location), Optional.of(TargetVerdict.info(target)),
                        Optional.empty(), List.of(), Optional.empty()));
    }

    private static CheckResult unresolved(Expectation expectation, GoFunction target, String reason) {
        return new CheckResult(expectation, Verdict.UNRESOLVED, reason, new Evidence(List.of(), Optional.empty(),
                Optional.of(TargetVerdict.info(target)), Optional.empty(), List.of(), Optional.empty()));
    }
}
