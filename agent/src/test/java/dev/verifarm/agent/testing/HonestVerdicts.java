package dev.verifarm.agent.testing;

import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.isa.Disassembler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a report on a corrupted copy of a real fixture may say. Any outcome is allowed except: a result
 * without a reason, an unreadable artifact whose results are not all ERROR, and a MATCH that does not rest
 * on the original stub and body. A MATCH is honest only when the engine decoded the original stub's
 * instructions, up to its return, at the original address, and names the original body address. The stub's
 * bytes may differ where the instructions do not (padding after the return, another encoding of the same
 * operand), and bytes changed inside the body do not make a MATCH wrong either: the stub still yields that
 * body, and a copy of it is still the body's text as the file has it. The engine fuzzer's findings of each
 * kind are kept as regression inputs.
 */
public final class HonestVerdicts {

    private HonestVerdicts() {
    }

    /** What the report got wrong; empty when it is honest. */
    public static List<String> violations(Report report, ElfLayout original) {
        List<String> out = new ArrayList<>();
        if (report.error().isPresent()) {
            if (report.error().get().isBlank()) {
                out.add("the report's error has no reason");
            }
            report.results().stream().filter(r -> r.verdict() != Verdict.ERROR)
                    .forEach(r -> out.add("unreadable artifact, yet " + r.verdict() + ": " + r.reason()));
        }
        for (CheckResult r : report.results()) {
            if (r.reason().isBlank()) {
                out.add(r.verdict() + " without a reason for " + r.expectation());
            }
            if (r.verdict() == Verdict.MATCH) {
                matchRestsOnOriginal(r, original).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The original stub's instructions up to its return, as the engine's evidence spells them. */
    private static List<String> originalStubCode(ElfLayout original) {
        byte[] code = java.util.Arrays.copyOfRange(original.bytes(), (int) original.stub().offset(),
                (int) original.stub().end());
        return Artifact.evidenceUpToReturn(Disassembler.forArchitecture(original.architecture())
                .decode(code, original.stub().address(), 0)).stream()
                .map(i -> "0x" + Long.toHexString(i.address()) + " " + i.text()).toList();
    }

    private static Optional<String> matchRestsOnOriginal(CheckResult r, ElfLayout original) {
        String why = "MATCH for " + r.expectation().resolver() + "=" + r.expectation().target() + " (" + r.reason() + ")";
        if (!r.expectation().resolver().equals(ElfLayout.STUB)) {
            return Optional.of(why + ": only the real stub " + ElfLayout.STUB + " yields the body");
        }
        long bodyAddress = r.evidence().target().map(t -> t.bodyAddress()).orElse(-1L);
        if (bodyAddress != original.body().address()) {
            return Optional.of(why + " naming the body at 0x" + Long.toHexString(bodyAddress)
                    + ", not the original 0x" + Long.toHexString(original.body().address()));
        }
        List<String> decoded = r.evidence().resolverCode().stream().map(i -> "0x" + Long.toHexString(i.address())
                + " " + i.text()).toList();
        List<String> stub = originalStubCode(original);
        if (!decoded.equals(stub)) {
            return Optional.of(why + " from stub code " + decoded + ", not the original " + stub);
        }
        return Optional.empty();
    }
}
