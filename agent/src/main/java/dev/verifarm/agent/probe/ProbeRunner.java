package dev.verifarm.agent.probe;

import dev.verifarm.agent.check.Cancellation;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ProgramHeader;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs an artifact in probe mode inside the sandbox, natively or under qemu-user, waits for
 * {@code verifarm ready}, then reads the load bias from /proc/PID/maps and each copy's destination from
 * /proc/PID/mem while the probe blocks on its stdin, and finally lets it exit.
 */
final class ProbeRunner {

    private static final int MAX_COPY_BYTES = 1 << 20;
    private static final int MAX_STDERR_BYTES = 4096;

    private final Sandbox sandbox;

    ProbeRunner(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    ProbeSession run(ElfFile elf, Cancellation cancellation) throws ProbeException {
        Optional<Emulator> emulator = Emulator.forArtifact(elf.architecture());
        Path scratch = null;
        Process process = null;
        try {
            scratch = Files.createTempDirectory("verifarm-probe-");
            Path program = scratch.resolve("artifact");
            Files.copy(elf.path(), program, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("r-x------"));
            if (Sandbox.dropsPrivileges()) {
                // the probe runs as nobody: it owns its scratch directory and its copy of the artifact
                for (Path p : List.of(scratch, program)) {
                    Files.setAttribute(p, "unix:uid", Sandbox.UNPRIVILEGED_ID);
                    Files.setAttribute(p, "unix:gid", Sandbox.UNPRIVILEGED_ID);
                }
            }
            process = sandbox.builder(program, scratch, emulator).start();
            Process started = process;
            try (AutoCloseable kill = cancellation.onCancel(() -> kill(started))) {
                CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
                ProbeOutput output = readUntilReady(process, stderr);
                return observe(elf, process, program, output, emulator.isPresent());
            } catch (ProbeException e) {
                throw cancellation.cancelled() ? new ProbeException("cancelled: the probe was killed") : e;
            }
        } catch (ProbeException e) {
            throw e;
        } catch (Exception e) {
            throw new ProbeException("could not run the probe: " + e.getMessage());
        } finally {
            if (process != null) {
                finish(process);
            }
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    private ProbeOutput readUntilReady(Process process, CompletableFuture<byte[]> stderr) throws ProbeException {
        ProbeOutput output = new ProbeOutput();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; !output.ready() && (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.accept(line);
                    }
                }
            } catch (IOException e) {
                // the probe closed its output; what it printed so far stands
            }
        });
        long limit = sandbox.policy().timeLimit().toMillis();
        try {
            reading.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ProbeException("the probe did not print 'verifarm ready' within " + limit + " ms and was killed");
        } catch (ExecutionException e) {
            throw new ProbeException("reading the probe's output failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while waiting for the probe");
        }
        synchronized (output) {
            if (!output.ready()) {
                // the tail first: killing the process closes its streams, and what stderr still held with them
                String err = stderrTail(stderr);
                process.destroyForcibly();
                throw new ProbeException(output.greeted()
                        ? "the probe exited before printing 'verifarm ready'" + err
                        : "the artifact does not speak the probe protocol: it never printed 'verifarm probe 1' "
                        + "when run with VERIFARM_PROBE=1" + err);
            }
            return output;
        }
    }

    private static String stderrTail(CompletableFuture<byte[]> stderr) {
        try {
            byte[] b = stderr.get(2, TimeUnit.SECONDS);
            String s = new String(b, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "" : "; its stderr ends: " + s;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            return "";
        }
    }

    private ProbeSession observe(ElfFile elf, Process process, Path program, ProbeOutput output, boolean emulated) {
        ProcessMemory memory = new ProcessMemory(process.pid());
        Optional<String> limitation = Optional.empty();
        long bias = 0;
        try {
            Optional<ProcessMemory.Mapping> image = memory.imageOf(program);
            long firstLoad = elf.segments().stream().filter(ProgramHeader::isLoad).mapToLong(ProgramHeader::vaddr)
                    .min().orElse(0) & ~0xfffL;
            if (image.isPresent()) {
                bias = image.get().start() - firstLoad;
            } else {
                limitation = Optional.of("the artifact's image was not found in /proc/PID/maps; load bias assumed 0");
            }
        } catch (IOException e) {
            limitation = Optional.of("could not read /proc/PID/maps (" + e.getMessage() + "); load bias assumed 0");
        }
        OptionalLong uid = OptionalLong.empty();
        try {
            uid = memory.uid();
        } catch (IOException e) {
            // the uid is evidence about the sandbox only; the checks do not need it
        }
        Map<String, byte[]> destinations = new HashMap<>();
        for (String name : output.reportedNames()) {
            if (!name.startsWith("copy ")) {
                continue;
            }
            ProbeOutput.Copy copy = output.copy(name.substring(5)).orElseThrow();
            if (copy.length() <= 0 || copy.length() > MAX_COPY_BYTES) {
                continue; // judged from the file; the length itself is reported as wrong by the check
            }
            try {
                destinations.put(copy.name(), memory.read(copy.destination(), (int) copy.length()));
            } catch (IOException e) {
                limitation = Optional.of((emulated ? "under qemu-user the destination is in the emulator's address "
                        + "space and " : "") + "could not be read from /proc/PID/mem (" + e.getMessage()
                        + "); copied bytes were compared from the file at the source address");
            }
        }
        if (emulated && limitation.isEmpty()) {
            limitation = Optional.of("ran under qemu-user: addresses and copies are the emulated guest's (qemu maps "
                    + "the guest 1:1 here), but the host CPU did not execute the code, so instruction-level "
                    + "behaviour of the real architecture (caches, memory ordering, faults) is not checked");
        }
        return new ProbeSession(output, bias, emulated, destinations, limitation, uid);
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        // a thread of its own: on a small host the common pool may be busy with the stdout reader until the end
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (out.size() < MAX_STDERR_BYTES * 4) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // stderr is evidence only
            }
            byte[] all = out.toByteArray();
            int from = Math.max(0, all.length - MAX_STDERR_BYTES);
            return java.util.Arrays.copyOfRange(all, from, all.length);
        }, task -> {
            Thread t = new Thread(task, "verifarm-probe-stderr");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Kills the probe and whatever it started: under qemu-user or a wrapper the probe is not alone. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void finish(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover scratch directory under the temp dir is harmless
        }
    }
}
