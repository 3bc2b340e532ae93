package dev.verifarm.agent.cli;

import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.farm.HostFacts;
import dev.verifarm.agent.farm.RunCommand;
import dev.verifarm.agent.health.Health;
import dev.verifarm.agent.health.SelfCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code verifarm-agent self-check}: proves this host with the known-answer checks an agent runs, for every
 * architecture it can run (or those asked for), and prints one line each. Operators run it after an upgrade.
 */
@Command(name = "self-check", sortOptions = false,
        description = "Prove this host with the known-answer checks an agent runs, one line per architecture.",
        footer = {"", "Exit status: 0 every architecture is HEALTHY, 1 some is UNHEALTHY, 2 bad usage."})
final class SelfCheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--arch", paramLabel = "amd64,arm64", split = ",", completionCandidates = GoNames.class,
            description = "the architectures to check (default: every one this host runs, natively or through"
                    + " qemu-user)")
    private List<String> arch = new ArrayList<>();

    @Option(names = "--allow-probe-network", description = "run the native checks even where no network namespace"
            + " can be made, as an agent run with the same option does")
    private boolean allowProbeNetwork;

    @Option(names = "--static-only", description = "the static checks alone, as an agent run with --static-only"
            + " asks them")
    private boolean staticOnly;

    @Override
    public Integer call() {
        Set<Architecture> architectures = architectures();
        PrintWriter out = spec.commandLine().getOut();
        boolean allHealthy = true;
        try (SelfCheck selfCheck = SelfCheck.inSandbox(RunCommand.probeSandbox(allowProbeNetwork), staticOnly)) {
            out.printf("%-12s %-10s %-21s %s%n", "ARCHITECTURE", "STATE", "CHECKED", "FAILING CHECK: REASON");
            for (Architecture a : architectures) {
                Health h = selfCheck.run(a);
                allHealthy &= h.healthy();
                out.printf("%-12s %-10s %-21s %s%n", a.goName(), h.state(),
                        h.checkedAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
                        h.healthy() ? "" : h.explanation());
                out.flush();
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println(spec.qualifiedName()
                    + ": cannot make a directory for the self-check programs: " + e);
            return Main.ERROR;
        }
        return allHealthy ? 0 : 1;
    }

    private Set<Architecture> architectures() {
        Set<Architecture> architectures = GoNames.architectures(spec, "--arch", arch);
        if (architectures.isEmpty()) {
            try {
                architectures.addAll(HostFacts.detect().runnable());
            } catch (IllegalStateException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return architectures;
    }
}
