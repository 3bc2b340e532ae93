package dev.verifarm.cli.command;

import dev.verifarm.cli.Args;
import dev.verifarm.cli.ExitStatus;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.cli.render.Table;
import dev.verifarm.proto.v1.AgentInfo;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.ListAgentsResponse;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The agents connected to the coordinator. */
public final class AgentsCommand implements Command {
    @Override
    public String name() {
        return "agents";
    }

    @Override
    public String usage() {
        return "agents [--arch amd64|arm64]\n    the connected agents (with --arch, those serving it, emulated ones"
                + " included)";
    }

    @Override
    public Set<String> options() {
        return Set.of("arch");
    }

    @Override
    public int run(Args args, Session session) {
        args.none("agents");
        ListAgentsRequest.Builder request = ListAgentsRequest.newBuilder();
        args.value("arch").ifPresent(a -> request.setArchitecture(Wire.architecture(a)));
        ListAgentsResponse agents = session.connection().call(() -> session.connection().submission()
                .listAgents(request.build()));
        Table table = new Table("NAME", "ARCH", "SERVES", "RUNNING", "HOST", "KERNEL", "SINCE");
        for (AgentInfo agent : agents.getAgentsList()) {
            table.add(agent.getName(), agent.getArchitecture().name().toLowerCase(Locale.ROOT),
                    agent.getServesList().stream().map(a -> a.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(",")),
                    agent.getRunning() + "/" + agent.getMaxConcurrency(), agent.getHostname(), agent.getKernel(),
                    JobText.time(agent.getConnectedAt()));
        }
        table.print(session.out());
        return ExitStatus.OK;
    }
}
