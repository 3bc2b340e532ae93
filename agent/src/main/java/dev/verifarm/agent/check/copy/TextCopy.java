package dev.verifarm.agent.check.copy;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.resolve.ResolverAddress;
import dev.verifarm.agent.check.resolve.ResolverUnavailableException;
import dev.verifarm.agent.check.resolve.StaticResolver;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.check.vocabulary.EndRule;
import dev.verifarm.agent.check.vocabulary.EscapingReference;
import dev.verifarm.agent.check.vocabulary.Evidence;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.TargetVerdict;
import dev.verifarm.agent.check.vocabulary.TextComparison;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.PcRelativeReference;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.GoFunction;
import dev.verifarm.agent.symbols.UnknownSymbolException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Text copy: the copied range must start at the target's body, its first {@code size} bytes must equal the
 * symbol-table target text and the rest be padding only, and no PC-relative reference in it may leave it.
 */
public final class TextCopy {

    /** Copies longer than this are not what resolver-based copying does; refuse rather than read megabytes. */
    static final long MAX_COPY_BYTES = 1 << 20;

    private TextCopy() {
    }

    /** The static check: the range is [what the resolver yields, the end rule's end) in the file. */
    public static CheckResult checkStatic(Artifact artifact, Expectation expectation) {
        GoFunction target;
        ResolverAddress begin;
        try {
            target = artifact.functions().resolve(expectation.target());
        } catch (UnknownSymbolException e) {
            return CheckResult.error(expectation, "target: " + e.getMessage());
        }
        try {
            begin = StaticResolver.resolve(artifact, expectation.resolver());
        } catch (UnknownSymbolException | ElfFormatException e) {
            return new CheckResult(expectation, Verdict.UNRESOLVED, "begin resolver: " + e.getMessage(), Evidence.none());
        } catch (ResolverUnavailableException e) {
            return CheckResult.error(expectation, "begin resolver: " + e.getMessage());
        }
        if (begin.address().isEmpty()) {
            return new CheckResult(expectation, Verdict.UNRESOLVED, "could not compute where the copy begins: "
                    + begin.how(), new Evidence(begin.code(), Optional.empty(), Optional.of(TargetVerdict.info(target)),
                    Optional.empty(), List.of(), Optional.empty()));
        }
        long start = begin.address().getAsLong();
        try {
            long end = end(artifact, expectation.endRule(), start, target);
            if (Long.compareUnsigned(end - start, MAX_COPY_BYTES) > 0 || end <= start) {
                return CheckResult.error(expectation, "the end rule " + expectation.endRule() + " gives the range [0x"
                        + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + "), which is empty or over "
                        + MAX_COPY_BYTES + " bytes");
            }
            byte[] copied = artifact.text(start, end - start);
            return judge(artifact, expectation, target, start, copied, OptionalLong.empty(), begin.code(), begin.how());
        } catch (UnknownSymbolException | ElfFormatException e) {
            return CheckResult.error(expectation, "copy range: " + e.getMessage());
        }
    }

    /** Where the end rule says a copy that begins at start must end. */
    public static long end(Artifact artifact, EndRule rule, long start, GoFunction target)
            throws UnknownSymbolException, ElfFormatException {
        return switch (rule.kind()) {
            case SYMBOL_SIZE -> start + target.body().size();
            case PCLNTAB_END -> artifact.symbols().pclntab()
                    .orElseThrow(() -> new UnknownSymbolException("the file has no .gopclntab for the pclntab-end rule"))
                    .lookup(start).map(f -> f.end())
                    .orElseThrow(() -> new UnknownSymbolException("no .gopclntab function covers 0x" + Long.toHexString(start)));
            case END_SYMBOL -> {
                String name = rule.endSymbol().orElseThrow();
                List<CodeSymbol> exact = artifact.symbols().symtabFunctions(name);
                yield exact.size() == 1 ? exact.get(0).address() : artifact.functions().resolve(name).body().address();
            }
        };
    }

    /**
     * Judges a copy of {@code copied} bytes taken from file address {@code begin}.
     *
     * @param expectedEnd where the end rule says the copy should end, when the length came from elsewhere (a probe)
     */
    public static CheckResult judge(Artifact artifact, Expectation expectation, GoFunction target, long begin,
                                    byte[] copied, OptionalLong expectedEnd, List<DecodedInstruction> resolverCode,
                                    String how) throws ElfFormatException {
        long end = begin + copied.length;
        Location beginLocation = artifact.locate(begin);
        TextComparison comparison = compare(artifact, target, begin, copied);
        List<EscapingReference> escapes = escapes(artifact, begin, copied);
        Evidence evidence = new Evidence(resolverCode, Optional.of(beginLocation), Optional.of(TargetVerdict.info(target)),
                Optional.of(comparison), escapes, Optional.empty());
        Verdict placement = TargetVerdict.classify(begin, target);
        String range = "[0x" + Long.toHexString(begin) + ", 0x" + Long.toHexString(end) + ")";
        if (placement != Verdict.MATCH) {
            return new CheckResult(expectation, placement, "the copy " + range + " "
                    + TargetVerdict.explain(placement, beginLocation, target) + escapeSummary(escapes), evidence);
        }
        if (expectedEnd.isPresent() && expectedEnd.getAsLong() != end) {
            return new CheckResult(expectation, Verdict.MISMATCH, "the copy " + range + " ends at 0x"
                    + Long.toHexString(end) + " but the end rule " + expectation.endRule() + " says 0x"
                    + Long.toHexString(expectedEnd.getAsLong()), evidence);
        }
        if (!comparison.equal()) {
            return new CheckResult(expectation, Verdict.MISMATCH, describe(comparison, target), evidence);
        }
        if (!escapes.isEmpty()) {
            return new CheckResult(expectation, Verdict.NOT_RELOCATABLE, "the copy " + range + " is the text of "
                    + target.body().name() + escapeSummary(escapes), evidence);
        }
        return new CheckResult(expectation, Verdict.MATCH, "the copy " + range + " is exactly the text of "
                + target.body().name() + " (" + target.body().size() + " bytes"
                + (comparison.paddingBytes() > 0 ? " + " + comparison.paddingBytes() + " bytes of padding" : "")
                + ") and has no reference outside itself (" + how + ")", evidence);
    }

    private static TextComparison compare(Artifact artifact, GoFunction target, long begin, byte[] copied)
            throws ElfFormatException {
        long size = target.body().size();
        byte[] body = artifact.text(target.body().address(), size);
        int common = (int) Math.min(size, copied.length);
        int mismatch = Arrays.mismatch(Arrays.copyOf(copied, common), Arrays.copyOf(body, common));
        OptionalLong firstDifference = mismatch >= 0 ? OptionalLong.of(mismatch)
                : copied.length < size ? OptionalLong.of(copied.length) : OptionalLong.empty();
        long padding = Math.max(0, copied.length - size);
        boolean clean = padding == 0 || artifact.isa().isPadding(Arrays.copyOfRange(copied, (int) size, copied.length));
        return new TextComparison(begin, begin + copied.length, size, firstDifference, padding, clean);
    }

    private static List<EscapingReference> escapes(Artifact artifact, long begin, byte[] copied) {
        long end = begin + copied.length;
        List<Instruction> code = artifact.decode(copied, begin);
        List<EscapingReference> out = new ArrayList<>();
        for (PcRelativeReference ref : artifact.isa().pcRelativeReferences(code)) {
            if (Long.compareUnsigned(ref.target() - begin, end - begin) >= 0) {
                Instruction i = ref.instruction();
                out.add(new EscapingReference(i.address() - begin,
                        new DecodedInstruction(i.address(), i.hexBytes(), i.text()), artifact.locate(ref.target())));
            }
        }
        return out;
    }

    private static String describe(TextComparison c, GoFunction target) {
        long copiedLength = c.end() - c.begin();
        if (c.firstDifference().isPresent()) {
            long at = c.firstDifference().getAsLong();
            return at == copiedLength && copiedLength < c.bodySize()
                    ? "the copy is " + copiedLength + " bytes, shorter than the " + c.bodySize() + "-byte body of "
                    + target.body().name()
                    : "the copied text differs from " + target.body().name() + " at offset 0x" + Long.toHexString(at);
        }
        return "the " + c.paddingBytes() + " bytes copied after the " + c.bodySize() + "-byte body of "
                + target.body().name() + " are not all alignment padding";
    }

    private static String escapeSummary(List<EscapingReference> escapes) {
        if (escapes.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("; it references outside itself: ");
        for (int i = 0; i < escapes.size(); i++) {
            EscapingReference e = escapes.get(i);
            sb.append(i == 0 ? "" : ", ").append(e.instruction().text()).append(" -> ").append(e.target());
        }
        return sb.toString();
    }
}
