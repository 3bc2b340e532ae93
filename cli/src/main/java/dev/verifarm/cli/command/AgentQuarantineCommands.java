package dev.verifarm.cli.command;

import dev.verifarm.cli.exit.ExitStatus;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.cli.render.Table;
import dev.verifarm.proto.v1.AgentQuarantines;
import dev.verifarm.proto.v1.QuarantineAgentRequest;
import dev.verifarm.proto.v1.QuarantineEvent;
import dev.verifarm.proto.v1.QuarantineHistoryRequest;
import dev.verifarm.proto.v1.QuarantineHistoryResponse;
import dev.verifarm.proto.v1.ReadmitAgentRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc.SubmissionServiceBlockingStub;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** An agent's quarantines: admins put and lift them; anyone may read the audit trail. */
final class AgentQuarantineCommands {
    private AgentQuarantineCommands() {
    }

    @Command(name = "quarantine", description = "Keep agent NAME from an architecture's work (by default every"
            + " one's) until an admin readmits it (admin).")
    static final class Quarantine implements Callable<Integer> {
        @ParentCommand
        private AgentsCommand agents;

        @Parameters(paramLabel = "NAME", description = "the agent's name; it need not be connected")
        private String name;

        @Option(names = "--arch", paramLabel = "amd64|arm64", completionCandidates = Wire.Architectures.class,
                description = "only this architecture")
        private Optional<String> arch = Optional.empty();

        @Option(names = "--reason", required = true, description = "why, for the audit trail")
        private String reason;

        @Override
        public Integer call() {
            QuarantineAgentRequest.Builder request = QuarantineAgentRequest.newBuilder().setAgentName(name)
                    .setReason(reason);
            arch.ifPresent(a -> request.setArchitecture(Wire.architecture(a)));
            return change(agents, submission -> submission.quarantineAgent(request.build()));
        }
    }

    @Command(name = "readmit", description = "Lift agent NAME's quarantine for an architecture (by default all of"
            + " them), whoever put it (admin).")
    static final class Readmit implements Callable<Integer> {
        @ParentCommand
        private AgentsCommand agents;

        @Parameters(paramLabel = "NAME", description = "the agent's name")
        private String name;

        @Option(names = "--arch", paramLabel = "amd64|arm64", completionCandidates = Wire.Architectures.class,
                description = "only this architecture")
        private Optional<String> arch = Optional.empty();

        @Option(names = "--reason", description = "why, for the audit trail")
        private String reason = "";

        @Override
        public Integer call() {
            ReadmitAgentRequest.Builder request = ReadmitAgentRequest.newBuilder().setAgentName(name)
                    .setReason(reason);
            arch.ifPresent(a -> request.setArchitecture(Wire.architecture(a)));
            return change(agents, submission -> submission.readmitAgent(request.build()));
        }
    }

    @Command(name = "quarantine-history", description = "Agent NAME's quarantine audit trail, oldest first: who"
            + " quarantined or readmitted it, when and why.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        private AgentsCommand agents;

        @Parameters(paramLabel = "NAME", description = "the agent's name")
        private String name;

        @Override
        public Integer call() {
            try (Session session = agents.verifarm.session()) {
                QuarantineHistoryResponse history = session.connection().call(() -> session.connection()
                        .submission().quarantineHistory(QuarantineHistoryRequest.newBuilder().setAgentName(name)
                                .build()));
                Table table = new Table("AT", "ARCH", "ACTION", "BY", "REASON");
                for (QuarantineEvent e : history.getEventsList()) {
                    table.add(JobText.time(e.getAt()), e.getArchitecture().name().toLowerCase(Locale.ROOT),
                            e.getAction().name(), e.getBy(), e.getReason());
                }
                table.print(session.out());
                return ExitStatus.OK;
            }
        }
    }

    /** Makes a change to an agent's quarantines ({@code call}) and prints the quarantines it leaves. */
    private static int change(AgentsCommand agents, Function<SubmissionServiceBlockingStub, AgentQuarantines> call) {
        try (Session session = agents.verifarm.session()) {
            print(session.out(), session.connection().call(() -> call.apply(session.connection().submission())));
            return ExitStatus.OK;
        }
    }

    /** The agent's quarantines after the change, one line each; nothing when none is left. */
    private static void print(PrintStream out, AgentQuarantines quarantines) {
        quarantines.getQuarantinesList().forEach(q -> out.println(q.getAgentName() + " quarantined for "
                + q.getArchitecture().name().toLowerCase(Locale.ROOT) + " since " + JobText.time(q.getSince())
                + " by " + q.getBy() + ": " + q.getReason()));
    }
}
