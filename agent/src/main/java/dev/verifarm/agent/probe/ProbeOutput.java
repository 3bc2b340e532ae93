package dev.verifarm.agent.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a probe printed, in the line protocol documented in docs/checks.md:
 * <pre>
 * verifarm probe 1
 * verifarm resolve NAME 0xADDR
 * verifarm copy NAME 0xSRC 0xDST LEN
 * verifarm net ok|refused ADDR [ERROR]
 * verifarm ready
 * </pre>
 * Lines not starting with {@code verifarm } are the program's own output and are ignored; malformed
 * protocol lines are kept as problems so a broken probe is reported, not silently half-read.
 */
public final class ProbeOutput {

    /** A copy the probe made: LEN bytes from runtime address SRC to the fresh mapping at DST. */
    public record Copy(String name, long source, long destination, long length) {
    }

    private final Map<String, Long> resolves = new LinkedHashMap<>();
    private final Map<String, Copy> copies = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> network = new ArrayList<>();
    private boolean greeted;
    private boolean ready;

    /** Takes one line of the probe's stdout. */
    public void accept(String line) {
        if (!line.startsWith("verifarm ")) {
            return;
        }
        String[] f = line.trim().split("\\s+");
        try {
            switch (f[1]) {
                case "probe" -> {
                    if (f.length != 3 || !f[2].equals("1")) {
                        problems.add("unsupported protocol version line: " + line);
                    }
                    greeted = true;
                }
                case "resolve" -> {
                    expect(f, 4, line);
                    resolves.put(f[2], hex(f[3]));
                }
                case "copy" -> {
                    expect(f, 6, line);
                    copies.put(f[2], new Copy(f[2], hex(f[3]), hex(f[4]), Long.parseLong(f[5])));
                }
                case "net" -> network.add(line.substring("verifarm net ".length()));
                case "ready" -> ready = true;
                default -> problems.add("unknown probe line: " + line);
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    private static void expect(String[] fields, int count, String line) {
        if (fields.length != count) {
            throw new IllegalArgumentException("malformed probe line (expected " + count + " fields): " + line);
        }
    }

    private static long hex(String s) {
        if (!s.startsWith("0x")) {
            throw new IllegalArgumentException("address '" + s + "' is not 0x-prefixed hex");
        }
        return Long.parseUnsignedLong(s.substring(2), 16);
    }

    public boolean greeted() {
        return greeted;
    }

    public boolean ready() {
        return ready;
    }

    public Optional<Long> resolved(String name) {
        return Optional.ofNullable(resolves.get(name));
    }

    public Optional<Copy> copy(String name) {
        return Optional.ofNullable(copies.get(name));
    }

    /** What the probe saw when it tried the network: evidence that the sandbox cut it off. */
    public List<String> network() {
        return List.copyOf(network);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Names the probe reported, for telling a user what it did report when an expected one is missing. */
    public List<String> reportedNames() {
        List<String> out = new ArrayList<>(resolves.keySet());
        copies.keySet().forEach(n -> out.add("copy " + n));
        return out;
    }
}
