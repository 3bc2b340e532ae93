package dev.verifarm.cli.command;

import dev.verifarm.cli.exit.ExitStatus;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.cli.render.Table;
import dev.verifarm.proto.v1.AgentInfo;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.ListAgentsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** The agents connected to the coordinator; with a subcommand, an agent's quarantines. */
@Command(name = "agents", description = "List the connected agents.",
        subcommands = {AgentQuarantineCommands.Quarantine.class, AgentQuarantineCommands.Readmit.class,
                AgentQuarantineCommands.History.class})
final class AgentsCommand implements Callable<Integer> {

    @ParentCommand
    Verifarm verifarm;

    @Option(names = "--arch", paramLabel = "amd64|arm64", completionCandidates = Wire.Architectures.class,
            description = "only those serving it, emulated ones included")
    private Optional<String> arch = Optional.empty();

    @Override
    public Integer call() {
        ListAgentsRequest.Builder request = ListAgentsRequest.newBuilder();
        arch.ifPresent(a -> request.setArchitecture(Wire.architecture(a)));
        try (Session session = verifarm.session()) {
            ListAgentsResponse agents = session.connection().call(() -> session.connection().submission()
                    .listAgents(request.build()));
            Table table = new Table("NAME", "ARCH", "SERVES", "HEALTH", "RUNNING", "HOST", "KERNEL", "SINCE",
                    "QUARANTINED");
            for (AgentInfo agent : agents.getAgentsList()) {
                table.add(agent.getName(), agent.getArchitecture().name().toLowerCase(Locale.ROOT),
                        agent.getServesList().stream().map(a -> a.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(",")),
                        health(agent), agent.getRunning() + "/" + agent.getMaxConcurrency(), agent.getHostname(),
                        agent.getKernel(), JobText.time(agent.getConnectedAt()), quarantines(agent));
            }
            table.print(session.out());
            return ExitStatus.OK;
        }
    }

    /** Each architecture it is kept from and why, e.g. {@code arm64: replacing its disk (alice)}. */
    private static String quarantines(AgentInfo agent) {
        return agent.getQuarantinesList().stream().map(q -> q.getArchitecture().name().toLowerCase(Locale.ROOT)
                + ": " + q.getReason() + " (" + q.getBy() + ")").collect(Collectors.joining("; "));
    }

    /** Each claimed architecture's self-check state, e.g. {@code amd64 HEALTHY, arm64 UNHEALTHY}. */
    private static String health(AgentInfo agent) {
        return agent.getHealthList().stream().map(h -> h.getArchitecture().name().toLowerCase(Locale.ROOT) + " "
                + h.getHealth().getState().name()).collect(Collectors.joining(", "));
    }
}
