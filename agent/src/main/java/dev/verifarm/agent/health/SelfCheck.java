package dev.verifarm.agent.health;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.elf.Architecture;

import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Asks one architecture's known-answer program every question, statically and then natively (in the probe
 * sandbox, under qemu-user for an emulated architecture), through the engine real jobs go through: a host that
 * gets any answer wrong would get users' answers wrong the same way.
 */
public final class SelfCheck implements AutoCloseable {

    private final CheckEngine engine;
    private final List<ExecutionMode> modes;
    private final Path programs;
    private final Clock clock;

    /** {@code programs}: a private directory the known-answer programs are copied into from the jar. */
    SelfCheck(CheckEngine engine, List<ExecutionMode> modes, Path programs, Clock clock) {
        this.engine = engine;
        this.modes = List.copyOf(modes);
        this.programs = programs;
        this.clock = clock;
    }

    /**
     * Self-checks in the probe sandbox {@code policy} describes, the one the agent's leases run in; with
     * {@code staticOnly}, of an agent that runs no probes, the static checks alone.
     */
    public static SelfCheck inSandbox(SandboxPolicy policy, boolean staticOnly) throws IOException {
        return new SelfCheck(new CheckEngine(new NativeChecks(policy)), staticOnly ? List.of(ExecutionMode.STATIC)
                : List.of(ExecutionMode.STATIC, ExecutionMode.NATIVE),
                Files.createTempDirectory("verifarm-self-check-"), Clock.systemUTC());
    }

    public Health run(Architecture architecture) {
        Instant started = clock.instant();
        Path program;
        try {
            program = KnownAnswers.extract(architecture, programs);
        } catch (IOException e) {
            return Health.unhealthy("self-check program", e.getMessage(), started);
        }
        List<KnownAnswers.Question> questions = KnownAnswers.QUESTIONS;
        for (ExecutionMode mode : modes) {
            Report report = engine.check(program, new CheckRequest(
                    questions.stream().map(KnownAnswers.Question::expectation).toList(), false, mode));
            for (int i = 0; i < questions.size(); i++) {
                KnownAnswers.Question question = questions.get(i);
                CheckResult got = report.results().get(i);
                if (got.verdict() != question.answer()) {
                    return Health.unhealthy(question.name(mode), "expected " + question.answer() + ", got "
                            + got.verdict() + ": " + got.reason() + hint(mode, got), clock.instant());
                }
            }
        }
        return Health.healthy(clock.instant());
    }

    /** The engine's reason speaks of a user's artifact; this one is known to be sound, so the host is at fault. */
    private static String hint(ExecutionMode mode, CheckResult got) {
        return mode == ExecutionMode.NATIVE && got.verdict() == Verdict.ERROR
                ? " (the known-answer program speaks the probe protocol: this host's sandbox or emulator failed)" : "";
    }

    /** Deletes the copies of the programs. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.list(programs)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(programs);
        } catch (IOException e) {
            // a leftover directory under the temp dir is harmless
        }
    }
}
