package dev.verifarm.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fixture running in probe mode ({@code VERIFARM_PROBE=1}), parsed by the
 * test itself: it starts the program, reads its protocol lines up to
 * {@code verifarm ready}, and leaves it blocked on stdin so that its
 * {@code /proc/PID/maps} and {@code /proc/PID/mem} can be read.
 * {@link #finish} closes stdin to let it exit; {@link #close} always kills it.
 */
public final class ProbeProcess implements AutoCloseable {
    public static final String PROTOCOL_LINE = "verifarm probe 1";
    public static final String READY_LINE = "verifarm ready";
    private static final String EOF = "\0eof";

    private final Process process;
    private final List<String> lines;
    private final StringBuffer stderr;

    /** One {@code verifarm copy NAME 0xSRC 0xDST LEN} line. */
    public record Copy(String name, long source, long destination, int length) {
    }

    private ProbeProcess(Process process, List<String> lines, StringBuffer stderr) {
        this.process = process;
        this.lines = lines;
        this.stderr = stderr;
    }

    /**
     * Starts {@code command} with {@code VERIFARM_PROBE=1} plus {@code env} and
     * waits up to {@code timeout} for {@code verifarm ready}.
     */
    public static ProbeProcess start(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("VERIFARM_PROBE", "1");
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        StringBuffer stderr = new StringBuffer();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        daemon("probe-stdout", () -> pump(process.getInputStream(), queue::add));
        daemon("probe-stderr", () -> pump(process.getErrorStream(), l -> {
            if (!l.equals(EOF)) {
                stderr.append(l).append('\n');
            }
        }));
        List<String> lines = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(EOF)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command)
                            + (line == null ? " did not report ready within " + timeout : " ended before reporting ready")
                            + "; stdout:\n" + String.join("\n", lines) + "\nstderr:\n" + stderr);
                }
                lines.add(line);
                if (line.equals(READY_LINE)) {
                    return new ProbeProcess(process, List.copyOf(lines), stderr);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the probe", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The stdout lines up to and including {@code verifarm ready}. */
    public List<String> lines() {
        return lines;
    }

    /** The {@code verifarm resolve NAME 0xADDR} lines, by name, in order. */
    public Map<String, Long> resolved() {
        Map<String, Long> resolved = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length == 4 && f[0].equals("verifarm") && f[1].equals("resolve")) {
                resolved.put(f[2], parseHex(f[3], line));
            }
        }
        return resolved;
    }

    /** The {@code verifarm copy} lines, in order. */
    public List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length == 6 && f[0].equals("verifarm") && f[1].equals("copy")) {
                copies.add(new Copy(f[2], parseHex(f[3], line), parseHex(f[4], line), Integer.parseInt(f[5])));
            }
        }
        return copies;
    }

    /** The process's {@code /proc/PID/maps}. */
    public List<String> maps() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid()), "maps"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read maps of probe " + pid(), e);
        }
    }

    /**
     * Runtime address minus file address: the start of the binary's mapping at
     * file offset 0 in {@code /proc/PID/maps}, less the virtual address of the
     * PT_LOAD segment at file offset 0. Zero for a non-PIE executable.
     */
    public long loadBias(Path binary) {
        String path;
        try {
            path = binary.toRealPath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long fileVaddr = ToolchainTruth.loadSegments(binary).stream()
                .filter(s -> s.offset() == 0).findFirst()
                .orElseThrow(() -> new IllegalStateException("no PT_LOAD at offset 0 in " + binary))
                .vaddr();
        for (String line : maps()) {
            // start-end perms offset dev inode path
            String[] f = line.trim().split("\\s+", 6);
            if (f.length == 6 && f[5].equals(path) && Long.parseUnsignedLong(f[2], 16) == 0) {
                long start = Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16);
                return start - fileVaddr;
            }
        }
        throw new IllegalStateException("no mapping of " + path + " at offset 0 in maps of " + pid() + ":\n"
                + String.join("\n", maps()));
    }

    /** {@code length} bytes of the process's memory at {@code address}, from {@code /proc/PID/mem}. */
    public byte[] readMemory(long address, int length) {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid() + "/mem", "r")) {
            byte[] bytes = new byte[length];
            mem.seek(address);
            mem.readFully(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + length + " bytes at 0x" + Long.toHexString(address)
                    + " of probe " + pid(), e);
        }
    }

    /** Closes stdin so the probe exits, and returns its exit code. */
    public int finish(Duration timeout) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("probe " + pid() + " did not exit within " + timeout
                        + " after stdin closed; stderr:\n" + stderr);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for probe " + pid(), e);
        }
    }

    /** What the probe wrote to stderr so far. */
    public String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static long parseHex(String field, String line) {
        if (!field.startsWith("0x")) {
            throw new IllegalStateException("probe address is not 0x-prefixed hex: " + line);
        }
        return Long.parseUnsignedLong(field.substring(2), 16);
    }

    private static void pump(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process was killed: end of its output
        } finally {
            sink.accept(EOF);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
