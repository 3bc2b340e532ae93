package dev.verifarm.agent.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a probe command so it runs with no network (a fresh network namespace through util-linux's
 * {@code unshare}), as the unprivileged user {@code nobody} when the agent is root ({@code setpriv}, with
 * no new privileges), under an address-space and CPU-time limit ({@code prlimit}), with an empty
 * environment but for the probe switch, and in a scratch directory of its own.
 */
final class Sandbox {

    /** nobody:nogroup on Debian; the probe owns nothing else and can write only its scratch directory. */
    static final int UNPRIVILEGED_ID = 65534;

    private final SandboxPolicy policy;
    private final List<String> isolation;

    private Sandbox(SandboxPolicy policy, List<String> isolation) {
        this.policy = policy;
        this.isolation = isolation;
    }

    /** Finds how this host can isolate the network: as root a plain namespace, else a user namespace. */
    static Sandbox detect(SandboxPolicy policy) throws SandboxUnavailableException {
        for (List<String> candidate : List.of(List.of("unshare", "--net", "--"),
                List.of("unshare", "--user", "--map-root-user", "--net", "--"))) {
            if (works(candidate)) {
                return new Sandbox(policy, candidate);
            }
        }
        if (policy.allowNetwork()) {
            return new Sandbox(policy, List.of());
        }
        throw new SandboxUnavailableException("cannot create a network namespace on this host (unshare --net failed "
                + "as this user and in a user namespace); probes are refused. Run the agent as root, enable "
                + "unprivileged user namespaces, or opt out explicitly with --allow-probe-network");
    }

    private static boolean works(List<String> prefix) {
        List<String> command = new ArrayList<>(prefix);
        command.add("true");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether probes run as nobody rather than as the agent's own user, which is root. */
    static boolean dropsPrivileges() {
        return "root".equals(System.getProperty("user.name"));
    }

    SandboxPolicy policy() {
        return policy;
    }

    /**
     * A process builder for the program, sandboxed. The namespace and limit tools exec the program, so the
     * process's pid is the probe's own and its /proc entries are the probe's.
     *
     * @param emulator the qemu-user binary to run the program under, if it needs one; its guest reservation
     *                 takes no address-space limit, and a dynamically linked guest finds its loader and libc
     *                 under the cross-libc prefix Debian's libc6-*-cross packages install
     */
    ProcessBuilder builder(Path program, Path scratch, Optional<Emulator> emulator) {
        List<String> command = new ArrayList<>(isolation);
        if (dropsPrivileges()) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID,
                    "--clear-groups", "--no-new-privs", "--"));
        }
        command.add("prlimit");
        if (emulator.isEmpty()) {
            command.add("--as=" + policy.memoryLimit());
        }
        command.add("--cpu=" + Math.max(1, policy.timeLimit().toSeconds()));
        command.add("--core=0");
        command.add("--");
        emulator.ifPresent(e -> command.add(e.binary().toString()));
        command.add(program.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("VERIFARM_PROBE", "1");
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", scratch.toString());
        env.put("TMPDIR", scratch.toString());
        emulator.flatMap(Emulator::libraryPrefix).ifPresent(prefix -> env.put("QEMU_LD_PREFIX", prefix.toString()));
        return builder;
    }

    static Optional<Path> onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
