package dev.verifarm.cli.render;

import com.google.protobuf.Timestamp;
import dev.verifarm.cli.contract.ExpectationWire;
import dev.verifarm.contract.ContractException;
import dev.verifarm.proto.v1.Attempt;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.Hazard;
import dev.verifarm.proto.v1.Job;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** A job as text: one verdict per line, the way the agent's own command line prints them. */
public final class JobText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private JobText() {
    }

    /** The job's state, status, artifact, and every attempt with its verdicts or its failure. */
    public static void details(Job job, PrintStream out) {
        out.println("job " + job.getId() + "  " + job.getState());
        out.println("  status:    " + job.getStatus());
        out.println("  artifact:  " + artifact(job) + " (" + architecture(job) + ")");
        out.println("  mode:      " + job.getMode().name().toLowerCase(Locale.ROOT)
                + (job.getFleetWide() ? ", fleet-wide" : "") + (job.getDiscover() ? ", discover" : "")
                + (job.getHazards() ? ", hazards" : ""));
        out.println("  submitted: " + time(job.getSubmittedAt())
                + (job.hasFinishedAt() ? "  finished: " + time(job.getFinishedAt()) : ""));
        for (Expectation e : job.getExpectationsList()) {
            out.println("  expects:   " + expectation(e));
        }
        verdicts(job, out);
    }

    /** Each attempt's verdicts (or why it ended without any). */
    public static void verdicts(Job job, PrintStream out) {
        for (Attempt attempt : job.getAttemptsList()) {
            out.println("attempt " + attempt.getNumber() + " on " + attempt.getAgentName() + ": "
                    + attempt.getState().name().replace("ATTEMPT_", ""));
            if (attempt.hasFailure()) {
                out.println("  " + attempt.getFailure().getKind() + ": " + attempt.getFailure().getMessage());
            }
            if (attempt.hasReport()) {
                if (attempt.getReport().hasError()) {
                    out.println("  the artifact could not be read: " + attempt.getReport().getError());
                }
                for (CheckResult result : attempt.getReport().getResultsList()) {
                    out.println(String.format("  %-16s%s", result.getVerdict(), expectation(result.getExpectation())));
                    if (!result.getReason().isEmpty()) {
                        out.println("    " + result.getReason().replace("\n", "\n    "));
                    }
                }
                if (attempt.getReport().hasDiscovery()) {
                    out.println("  discovered: " + attempt.getReport().getDiscovery().getWrappersCount()
                            + " ABI wrapper(s), " + attempt.getReport().getDiscovery().getStubsCount()
                            + " resolver stub(s) (job --json shows them)");
                }
                hazards(out, attempt.getReport());
            }
        }
    }

    /** Each user hazard with the stub that fixes it; the toolchain's are counted. */
    private static void hazards(PrintStream out, CheckReport report) {
        if (!report.getHazardsScanned()) {
            return;
        }
        if (report.hasHazardsError()) {
            out.println("  the hazard scan failed: " + report.getHazardsError());
            return;
        }
        long user = report.getHazardsList().stream().filter(h -> h.getScope().equals("user")).count();
        out.println("  hazards: " + user + " user, " + (report.getHazardsCount() - user) + " toolchain");
        for (Hazard h : report.getHazardsList()) {
            if (h.getScope().equals("user")) {
                out.println(String.format("  %-16s%s taken in %s", "HAZARD", h.getFunction(),
                        String.join(", ", h.getTakenInList())));
                out.println("    fix: " + h.getFix().getStub() + "(), then " + String.join("  ",
                        h.getFix().getExpectationsList()) + " (job --json has the stub's code)");
            }
        }
    }

    /** {@code resolve R=T} or {@code copy R=T@END}, as the nightly matrix names an expectation too. */
    public static String expectation(Expectation e) {
        String kind = e.getKind().name().toLowerCase(Locale.ROOT);
        try {
            return kind + " " + ExpectationWire.read(e).spelling();
        } catch (ContractException unreadable) {
            return kind + " " + e.getResolver() + "=" + e.getTarget() + " (" + unreadable.getMessage() + ")";
        }
    }

    public static String artifact(Job job) {
        return job.getArtifact().hasHostPath() ? job.getArtifact().getHostPath().getPath()
                : "sha256:" + job.getArtifact().getSha256();
    }

    public static String architecture(Job job) {
        return job.getArchitecture().name().toLowerCase(Locale.ROOT);
    }

    public static String time(Timestamp at) {
        return TIME.format(Instant.ofEpochSecond(at.getSeconds(), at.getNanos()));
    }
}
