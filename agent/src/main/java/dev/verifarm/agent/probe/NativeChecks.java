package dev.verifarm.agent.probe;

import dev.verifarm.agent.check.Cancellation;
import dev.verifarm.agent.check.NativeMode;
import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.copy.TextCopy;
import dev.verifarm.agent.check.resolve.ResolverUnavailableException;
import dev.verifarm.agent.check.resolve.StaticResolver;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.check.vocabulary.Evidence;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.NativeObservation;
import dev.verifarm.agent.check.vocabulary.TargetVerdict;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.symbols.GoFunction;
import dev.verifarm.agent.symbols.UnknownSymbolException;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Native mode: one sandboxed probe run per artifact, then each expectation judged against what the probe
 * reported, less the load bias, and, for copies, against the bytes at the copy's destination.
 */
public final class NativeChecks implements NativeMode {

    private final SandboxPolicy policy;

    public NativeChecks(SandboxPolicy policy) {
        this.policy = policy;
    }

    @Override
    public List<CheckResult> run(Artifact artifact, List<Expectation> expectations, Cancellation cancellation) {
        ProbeSession session;
        try {
            session = new ProbeRunner(Sandbox.detect(policy)).run(artifact.elf(), cancellation);
        } catch (ProbeException | SandboxUnavailableException e) {
            return expectations.stream().map(x -> CheckResult.error(x, "native mode: " + e.getMessage())).toList();
        }
        return expectations.stream().map(x -> judge(artifact, session, x)).toList();
    }

    private static CheckResult judge(Artifact artifact, ProbeSession session, Expectation expectation) {
        GoFunction target;
        try {
            target = artifact.functions().resolve(expectation.target());
        } catch (UnknownSymbolException e) {
            return CheckResult.error(expectation, "target: " + e.getMessage());
        }
        try {
            return switch (expectation.kind()) {
                case RESOLVE -> resolve(artifact, session, expectation, target);
                case COPY -> copy(artifact, session, expectation, target);
            };
        } catch (ElfFormatException | UnknownSymbolException e) {
            return CheckResult.error(expectation, e.getMessage());
        }
    }

    private static CheckResult resolve(Artifact artifact, ProbeSession session, Expectation expectation,
                                       GoFunction target) {
        Optional<Long> reported = session.output().resolved(expectation.resolver());
        if (reported.isEmpty()) {
            return notReported(session, expectation, "resolve");
        }
        Location location = artifact.locate(reported.get() - session.loadBias());
        Verdict verdict = TargetVerdict.classify(location.address(), target);
        NativeObservation observation = new NativeObservation(session.emulated(), session.loadBias(), reported.get(),
                OptionalLong.empty(), session.limitation());
        return new CheckResult(expectation, verdict, "at run time " + expectation.resolver() + " "
                + TargetVerdict.explain(verdict, location, target) + biasNote(session),
                new Evidence(staticCode(artifact, expectation), Optional.of(location),
                        Optional.of(TargetVerdict.info(target)), Optional.empty(), List.of(), Optional.of(observation)));
    }

    private static CheckResult copy(Artifact artifact, ProbeSession session, Expectation expectation,
                                    GoFunction target) throws ElfFormatException, UnknownSymbolException {
        Optional<ProbeOutput.Copy> reported = session.output().copy(expectation.resolver());
        if (reported.isEmpty()) {
            return notReported(session, expectation, "copy");
        }
        ProbeOutput.Copy c = reported.get();
        long begin = c.source() - session.loadBias();
        if (c.length() <= 0 || c.length() > 1 << 20) {
            return CheckResult.error(expectation, "the probe reports a copy of " + c.length() + " bytes; expected 1 to "
                    + (1 << 20));
        }
        byte[] copied = session.destinations().containsKey(c.name()) ? session.destinations().get(c.name())
                : artifact.text(begin, c.length());
        long expectedEnd = TextCopy.end(artifact, expectation.endRule(), begin, target);
        CheckResult judged = TextCopy.judge(artifact, expectation, target, begin, copied, OptionalLong.of(expectedEnd),
                staticCode(artifact, expectation), "copied by the running program to 0x" + Long.toHexString(c.destination()));
        NativeObservation observation = new NativeObservation(session.emulated(), session.loadBias(), c.source(),
                OptionalLong.of(c.destination()), session.limitation());
        return new CheckResult(expectation, judged.verdict(), "at run time " + judged.reason() + biasNote(session),
                judged.evidence().withObservation(observation));
    }

    /** The resolver's decoded code as a cross-check, when it is a stub in the file. */
    private static List<DecodedInstruction> staticCode(Artifact artifact, Expectation expectation) {
        try {
            return StaticResolver.resolve(artifact, expectation.resolver()).code();
        } catch (UnknownSymbolException | ElfFormatException | ResolverUnavailableException e) {
            return List.of(); // the run-time value is judged all the same
        }
    }

    private static CheckResult notReported(ProbeSession session, Expectation expectation, String kind) {
        return new CheckResult(expectation, Verdict.UNRESOLVED, "the probe did not report '" + kind + " "
                + expectation.resolver() + "'; it reported " + session.output().reportedNames()
                + (session.output().problems().isEmpty() ? "" : " and these problems: " + session.output().problems()),
                Evidence.none());
    }

    private static String biasNote(ProbeSession session) {
        return (session.loadBias() != 0 ? " (load bias 0x" + Long.toHexString(session.loadBias()) + ")" : "")
                + (session.emulated() ? " [emulated by qemu-user]" : "");
    }
}
