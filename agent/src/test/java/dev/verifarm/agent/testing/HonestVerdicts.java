package dev.verifarm.agent.testing;

import dev.verifarm.agent.check.CheckResult;
import dev.verifarm.agent.check.DecodedInstruction;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.Verdict;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a report on a corrupted copy of a real fixture may say. Any outcome is allowed except: a result
 * without a reason, an unreadable artifact whose results are not all ERROR, and a MATCH that does not rest
 * on the original stub and body. A MATCH is honest only when the engine decoded the original stub's bytes,
 * up to its return, at the original address, those bytes are unchanged in the file, and it names the original
 * body address. Bytes changed in the padding after the stub's return or inside the body do not make a MATCH
 * wrong: the stub still yields that body, and a copy of it is still the body's text as the file has it (the
 * fuzzer's first two findings, kept as regression inputs, are exactly these).
 */
public final class HonestVerdicts {

    private HonestVerdicts() {
    }

    /** What the report got wrong; empty when it is honest. */
    public static List<String> violations(Report report, ElfLayout original, byte[] mutated) {
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
                matchRestsOnOriginal(r, original, mutated).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<String> matchRestsOnOriginal(CheckResult r, ElfLayout original, byte[] mutated) {
        String why = "MATCH for " + r.expectation().resolver() + "=" + r.expectation().target() + " (" + r.reason() + ")";
        if (!r.expectation().resolver().equals(ElfLayout.STUB)) {
            return Optional.of(why + ": only the real stub " + ElfLayout.STUB + " yields the body");
        }
        long bodyAddress = r.evidence().target().map(t -> t.bodyAddress()).orElse(-1L);
        if (bodyAddress != original.body().address()) {
            return Optional.of(why + " naming the body at 0x" + Long.toHexString(bodyAddress)
                    + ", not the original 0x" + Long.toHexString(original.body().address()));
        }
        String decoded = r.evidence().resolverCode().stream().map(DecodedInstruction::bytes).collect(Collectors.joining());
        String stub = HexFormat.of().formatHex(original.bytes(), (int) original.stub().offset(),
                (int) original.stub().end());
        if (decoded.isEmpty() || !stub.startsWith(decoded)
                || r.evidence().resolverCode().get(0).address() != original.stub().address()) {
            return Optional.of(why + " from stub code " + r.evidence().resolverCode() + ", not the original "
                    + stub + " at 0x" + Long.toHexString(original.stub().address()));
        }
        if (!original.unchangedIn(mutated, new ElfLayout.FileRange(original.stub().offset(), decoded.length() / 2,
                original.stub().address()))) {
            return Optional.of(why + " although the stub's bytes up to its return changed");
        }
        return Optional.empty();
    }
}
