package dev.verifarm.agent.report;

import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.artifact.ArtifactInfo;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.DataWordPointer;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.EscapingReference;
import dev.verifarm.agent.check.vocabulary.Evidence;
import dev.verifarm.agent.check.vocabulary.ResolverStub;
import dev.verifarm.agent.check.vocabulary.TargetInfo;
import dev.verifarm.agent.check.vocabulary.TextComparison;
import dev.verifarm.agent.check.vocabulary.WrapperPair;

/** The report as a human reads it in a terminal: verdict first, then the evidence that supports it. */
public final class TextReport {

    private TextReport() {
    }

    public static String render(Report report) {
        StringBuilder out = new StringBuilder();
        report.artifact().ifPresent(a -> header(out, a));
        report.error().ifPresent(e -> out.append("ERROR: ").append(e).append('\n'));
        out.append("mode: ").append(report.mode().name().toLowerCase()).append('\n');
        for (CheckResult r : report.results()) {
            result(out, r);
        }
        report.discovery().ifPresent(d -> discovery(out, d));
        report.hazards().ifPresent(h -> HazardText.render(out, h,
                report.artifact().map(ArtifactInfo::architecture).orElse("amd64")));
        report.hazardsError().ifPresent(e -> out.append("\nhazard scan: ERROR: ").append(e).append('\n'));
        long passed = report.results().stream().filter(r -> r.verdict().passed()).count();
        out.append('\n').append(passed).append(" of ").append(report.results().size())
                .append(" expectations MATCH");
        report.hazards().ifPresent(h -> out.append(", ").append(report.userHazards().size()).append(" user hazards"));
        out.append('\n');
        return out.toString();
    }

    private static void header(StringBuilder out, ArtifactInfo a) {
        out.append(a.path()).append('\n').append("  ").append(a.architecture()).append(a.pie() ? " PIE" : " static")
                .append(a.stripped() ? ", stripped" : "").append(a.goVersion().map(v -> ", " + v).orElse(""))
                .append(", ").append(a.size()).append(" bytes, sha256 ").append(a.sha256()).append('\n');
    }

    private static void result(StringBuilder out, CheckResult r) {
        out.append('\n').append(String.format("%-15s %s %s=%s", r.verdict(), r.expectation().kind().name().toLowerCase(),
                r.expectation().resolver(), r.expectation().target()));
        if (r.expectation().kind() == dev.verifarm.agent.check.vocabulary.CheckKind.COPY) {
            out.append(" @").append(r.expectation().endRule());
        }
        out.append('\n').append("  ").append(r.reason()).append('\n');
        evidence(out, r.evidence());
    }

    private static void evidence(StringBuilder out, Evidence e) {
        if (!e.resolverCode().isEmpty()) {
            out.append("  resolver code:\n");
            for (DecodedInstruction i : e.resolverCode()) {
                out.append("    ").append(i).append('\n');
            }
        }
        e.resolved().ifPresent(l -> out.append("  resolved: ").append(l).append('\n'));
        e.target().ifPresent(t -> target(out, t));
        e.text().ifPresent(t -> text(out, t));
        for (EscapingReference ref : e.escapes()) {
            out.append("  escapes at +0x").append(Long.toHexString(ref.offset())).append(": ")
                    .append(ref.instruction().text()).append(" -> ").append(ref.target()).append('\n');
        }
        e.observation().ifPresent(o -> {
            out.append("  probe: reported 0x").append(Long.toHexString(o.reportedAddress()));
            o.destination().ifPresent(d -> out.append(", copied to 0x").append(Long.toHexString(d)));
            out.append(", load bias 0x").append(Long.toHexString(o.loadBias())).append(o.emulated() ? ", emulated" : "")
                    .append('\n');
            o.limitation().ifPresent(l -> out.append("  limitation: ").append(l).append('\n'));
        });
    }

    private static void target(StringBuilder out, TargetInfo t) {
        out.append("  target: ").append(t.body()).append(" at 0x").append(Long.toHexString(t.bodyAddress()))
                .append(", ").append(t.bodySize()).append(" bytes");
        t.pclntabEnd().ifPresent(end -> out.append(", pclntab end 0x").append(Long.toHexString(end)));
        t.wrapperAddress().ifPresent(w -> out.append(", ABI wrapper at 0x").append(Long.toHexString(w)));
        out.append('\n');
    }

    private static void text(StringBuilder out, TextComparison t) {
        out.append("  copy: [0x").append(Long.toHexString(t.begin())).append(", 0x").append(Long.toHexString(t.end()))
                .append("), body ").append(t.bodySize()).append(" bytes, padding ").append(t.paddingBytes())
                .append(t.paddingClean() ? " (clean)" : " (NOT padding)");
        t.firstDifference().ifPresent(d -> out.append(", first difference at +0x").append(Long.toHexString(d)));
        out.append('\n');
    }

    private static void discovery(StringBuilder out, Discovery d) {
        out.append("\nABI wrappers (").append(d.wrappers().size()).append("):\n");
        for (WrapperPair w : d.wrappers()) {
            out.append("  ").append(w.name()).append(": body ").append(w.body()).append(", wrapper ")
                    .append(w.wrapper()).append(" [").append(w.source()).append("; ").append(w.confirmedBy()).append("]\n");
        }
        out.append("resolver-shaped stubs (").append(d.stubs().size()).append("):\n");
        for (ResolverStub s : d.stubs()) {
            out.append("  ").append(s.name()).append(" -> ").append(s.yields()).append('\n');
        }
        // Go binaries hold hundreds of unnamed func values and itab methods; the named words are the ones a user
        // wrote (or can check with data:), so only they are listed here and the JSON report has every one.
        long named = d.dataWords().stream().filter(w -> w.name().isPresent()).count();
        out.append("data words holding a function entry (").append(d.dataWords().size()).append(", ").append(named)
                .append(" named):\n");
        for (DataWordPointer w : d.dataWords()) {
            if (w.name().isPresent()) {
                out.append("  ").append(w.name().get()).append(" (0x").append(Long.toHexString(w.address()))
                        .append(" in ").append(w.section()).append(") -> ").append(w.yields())
                        .append(w.suggestion().map(x -> "   check with --resolve " + x).orElse("")).append('\n');
            }
        }
        if (named < d.dataWords().size()) {
            out.append("  and ").append(d.dataWords().size() - named)
                    .append(" without a name (func values, itab methods; --format json lists them)\n");
        }
    }
}
