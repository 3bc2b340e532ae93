package dev.verifarm.agent.check;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.copy.TextCopy;
import dev.verifarm.agent.check.discover.Discover;
import dev.verifarm.agent.check.hazard.HazardScan;
import dev.verifarm.agent.check.resolve.StubResolution;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.DisassemblerUnavailableException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the native checks on one artifact. Never throws for a bad artifact: an unreadable file becomes a
 * report with an error, a check that cannot be carried out an ERROR verdict with the reason.
 */
public final class CheckEngine {

    private final NativeMode nativeMode;
    private final ArtifactSource artifacts;

    /** An engine that opens each request's artifact afresh. */
    public CheckEngine(NativeMode nativeMode) {
        this(nativeMode, ArtifactSource.FRESH);
    }

    public CheckEngine(NativeMode nativeMode, ArtifactSource artifacts) {
        this.nativeMode = nativeMode;
        this.artifacts = artifacts;
    }

    public Report check(Path path, CheckRequest request) {
        return check(path, request, new Cancellation());
    }

    /** Checks, stopping a native run early when {@code cancellation} comes. */
    public Report check(Path path, CheckRequest request, Cancellation cancellation) {
        ArtifactSource.Use use;
        try {
            use = artifacts.open(path);
        } catch (ElfFormatException e) {
            return failed(request, path + ": " + e.getMessage());
        } catch (IOException e) {
            return failed(request, "cannot read " + path + ": " + e.getMessage());
        } catch (DisassemblerUnavailableException e) {
            return failed(request, e.getMessage());
        }
        try (use) {
            Artifact artifact = use.artifact();
            List<CheckResult> results = new ArrayList<>(request.expectations().size());
            if (request.mode() == ExecutionMode.NATIVE && !request.expectations().isEmpty()) {
                results.addAll(nativeMode.run(artifact, request.expectations(), cancellation));
            } else {
                for (Expectation e : request.expectations()) {
                    results.add(checkStatic(artifact, e));
                }
            }
            Optional<Discovery> discovery = request.discover() ? Optional.of(Discover.run(artifact)) : Optional.empty();
            Optional<List<Hazard>> hazards = Optional.empty();
            Optional<String> hazardsError = Optional.empty();
            if (request.hazards()) {
                try {
                    hazards = Optional.of(HazardScan.run(artifact));
                } catch (ElfFormatException e) {
                    hazardsError = Optional.of(path + ": " + e.getMessage());
                }
            }
            return new Report(Optional.of(artifact.info()), request.mode(), results, discovery, hazards, hazardsError,
                    Optional.empty());
        } catch (RuntimeException e) {
            // a reader bug outside a single check (native run, discovery, hazards) must cost this report, never the agent
            return failed(request, "internal error while checking " + path + ": " + e);
        }
    }

    private static CheckResult checkStatic(Artifact artifact, Expectation expectation) {
        try {
            return switch (expectation.kind()) {
                case RESOLVE -> StubResolution.check(artifact, expectation);
                case COPY -> TextCopy.checkStatic(artifact, expectation);
            };
        } catch (RuntimeException e) {
            // a reader bug must cost one verdict, never the agent
            return CheckResult.error(expectation, "internal error: " + e);
        }
    }

    /** The report on an artifact that could not be read: every expectation an ERROR with the reason. */
    public static Report failed(CheckRequest request, String reason) {
        List<CheckResult> results = request.expectations().stream().map(e -> CheckResult.error(e, reason)).toList();
        return new Report(Optional.empty(), request.mode(), results, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(reason));
    }
}
