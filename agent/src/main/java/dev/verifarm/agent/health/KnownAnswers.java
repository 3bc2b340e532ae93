package dev.verifarm.agent.health;

import dev.verifarm.agent.check.vocabulary.CheckKind;
import dev.verifarm.agent.check.vocabulary.EndRule;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.elf.Architecture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The self-check's questions and their fixed answers, and the programs they are asked of: the tests' stubs
 * program ({@code agent/src/test/go/stubs}) built for each architecture at package time and carried in the jar
 * ({@code src/build/known-answer-programs.sh}). Each question covers one path of the engine a job takes: a
 * resolver stub, a Go func value, a relocatable copy and one that is not.
 */
final class KnownAnswers {

    /** One expectation and the verdict a host that answers rightly gives it. */
    record Question(Expectation expectation, Verdict answer) {

        /** The check's name in an unhealthy report, spelled as the check command takes it. */
        String name(ExecutionMode mode) {
            Expectation e = expectation;
            return mode.name().toLowerCase() + " " + e.kind().name().toLowerCase() + " " + e.resolver() + "="
                    + e.target() + (e.kind() == CheckKind.COPY ? "@" + e.endRule() : "");
        }
    }

    static final List<Question> QUESTIONS = List.of(
            new Question(Expectation.resolve("main.addrOfMemcpyish", "main.memcpyish"), Verdict.MATCH),
            new Question(Expectation.resolve("funcvalue:main.memcpyish", "main.memcpyish"), Verdict.WRAPPER),
            new Question(Expectation.copy("main.addrOfMemcpyish", "main.memcpyish", EndRule.pclntabEnd()),
                    Verdict.MATCH),
            new Question(Expectation.copy("main.addrOfEscaping", "main.escaping", EndRule.pclntabEnd()),
                    Verdict.NOT_RELOCATABLE));

    private KnownAnswers() {
    }

    /** Copies {@code architecture}'s program out of the jar into {@code dir}; an agent built without Go has none. */
    static Path extract(Architecture architecture, Path dir) throws IOException {
        String name = "known-answers-" + architecture.goName();
        try (InputStream in = KnownAnswers.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("this agent jar carries no self-check program for " + architecture.goName()
                        + " (" + name + "): it was built without Go; rebuild it after deploy/install-test-deps.sh");
            }
            Path program = dir.resolve(name);
            Files.copy(in, program, StandardCopyOption.REPLACE_EXISTING);
            return program;
        }
    }
}
