package dev.verifarm.coordinator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the coordinator process holds, read from outside it: the Java heap in use right after a full GC and the heap
 * committed (jcmd GC.run, then jstat -gc), its resident set and its thread count (/proc/PID/status). The resident
 * set also grows with heap the JVM commits under load and seldom gives back, so its growth is an upper bound of what
 * connections cost outside the heap.
 *
 * @param heapKiB      heap in use after GC: survivor, eden and old spaces, KiB
 * @param committedKiB heap committed, KiB
 * @param rssKiB       resident set size, KiB
 * @param threads      the process's threads
 */
record CoordinatorMemory(double heapKiB, double committedKiB, long rssKiB, int threads) {
    private static final List<String> USED = List.of("S0U", "S1U", "EU", "OU");
    private static final List<String> COMMITTED = List.of("S0C", "S1C", "EC", "OC");

    static CoordinatorMemory of(long pid) throws IOException, InterruptedException {
        run(jdkTool("jcmd"), String.valueOf(pid), "GC.run");
        List<String> gc = run(jdkTool("jstat"), "-gc", String.valueOf(pid));
        List<String> columns = List.of(gc.get(0).strip().split("\\s+"));
        String[] values = gc.get(1).strip().split("\\s+");
        List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"));
        return new CoordinatorMemory(sum(columns, values, USED), sum(columns, values, COMMITTED),
                Long.parseLong(field(status, "VmRSS:").replace("kB", "").strip()),
                Integer.parseInt(field(status, "Threads:")));
    }

    private static double sum(List<String> columns, String[] values, List<String> wanted) {
        return wanted.stream().mapToDouble(c -> Double.parseDouble(values[columns.indexOf(c)])).sum();
    }

    /** What each of {@code agents} agents added to {@code idle}, the coordinator without agents. */
    String perAgent(CoordinatorMemory idle, int agents) {
        return String.format("per agent: %.1f KiB heap after GC, %.1f KiB RSS (heap committed meanwhile included),"
                + " %.2f threads", (heapKiB - idle.heapKiB) / agents, (double) (rssKiB - idle.rssKiB) / agents,
                (double) (threads - idle.threads) / agents);
    }

    @Override
    public String toString() {
        return String.format("heap after GC %.1f MiB (%.0f MiB committed), RSS %.1f MiB, %d threads", heapKiB / 1024,
                committedKiB / 1024, rssKiB / 1024.0, threads);
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> l.substring(name.length()).strip())
                .orElseThrow(() -> new IllegalStateException("no " + name + " in /proc/PID/status"));
    }

    private static String jdkTool(String name) {
        Path tool = Path.of(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(tool) ? tool.toString() : name;
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out.lines().toList();
    }
}
