package dev.verifarm.agent.cli;

import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.farm.HostFacts;
import dev.verifarm.agent.farm.RunCommand;
import dev.verifarm.agent.health.Health;
import dev.verifarm.agent.health.SelfCheck;

import java.io.IOException;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code verifarm-agent self-check}: proves this host with the known-answer checks an agent runs, for every
 * architecture it can run (or those asked for), and prints one line each. Operators run it after an upgrade.
 */
final class SelfCheckCommand {

    static final String USAGE = """
            usage: verifarm-agent self-check [--arch amd64,arm64] [--allow-probe-network] [--static-only]
              --arch                 the architectures to check (default: every one this host runs, natively or
                                     through qemu-user)
              --allow-probe-network  run the native checks even where no network namespace can be made, as an agent
                                     run with the same option does
              --static-only          the static checks alone, as an agent run with --static-only asks them
            Exit status: 0 every architecture is HEALTHY, 1 some is UNHEALTHY, 2 bad usage.
            """;

    private SelfCheckCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Set<Architecture> architectures = EnumSet.noneOf(Architecture.class);
        boolean allowProbeNetwork = false;
        boolean staticOnly = false;
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--allow-probe-network" -> allowProbeNetwork = true;
                    case "--static-only" -> staticOnly = true;
                    case "--arch" -> {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --arch needs a value");
                        }
                        for (String name : args.get(++i).split(",")) {
                            String n = name.strip().toLowerCase(Locale.ROOT);
                            architectures.add(Architecture.ofGoName(n).orElseThrow(() -> new UsageException(
                                    "--arch: unknown architecture '" + n + "' (known: amd64, arm64)")));
                        }
                    }
                    default -> throw new UsageException("unknown option '" + args.get(i) + "'");
                }
            }
            if (architectures.isEmpty()) {
                architectures.addAll(HostFacts.detect().runnable());
            }
        } catch (UsageException | IllegalStateException e) {
            err.println("verifarm-agent self-check: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        boolean allHealthy = true;
        try (SelfCheck selfCheck = SelfCheck.inSandbox(RunCommand.probeSandbox(allowProbeNetwork),
                staticOnly)) {
            out.printf("%-12s %-10s %-21s %s%n", "ARCHITECTURE", "STATE", "CHECKED", "FAILING CHECK: REASON");
            for (Architecture a : architectures) {
                Health h = selfCheck.run(a);
                allHealthy &= h.healthy();
                out.printf("%-12s %-10s %-21s %s%n", a.goName(), h.state(),
                        h.checkedAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
                        h.healthy() ? "" : h.explanation());
            }
        } catch (IOException e) {
            err.println("verifarm-agent self-check: cannot make a directory for the self-check programs: " + e);
            return 2;
        }
        return allHealthy ? 0 : 1;
    }
}
