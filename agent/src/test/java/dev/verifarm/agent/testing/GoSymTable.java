package dev.verifarm.agent.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Go binary's pclntab as the Go standard library's {@code debug/gosym} reads it, through the
 * {@code gosymdump} tool in {@code agent/src/test/go/gosymdump}: the independent view of stripped
 * binaries, where {@code go tool nm} lists nothing.
 */
public final class GoSymTable {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private GoSymTable() {
    }

    /**
     * One function: its name and its entry's distance from the first function's entry (the tool cannot
     * know an externally linked file's text start, so absolute entries are not comparable).
     */
    public record Function(long entryOffset, String name) {
    }

    /** Every function of the binary's pclntab, in table order. */
    public static List<Function> functions(Path binary) {
        GoArch host = GoArch.host().orElseThrow(() -> new IllegalStateException(
                "gosymdump runs on an amd64 or arm64 host, not " + System.getProperty("os.arch")));
        Path tool = GoFixtures.build("gosymdump", host, BuildVariant.DEFAULT);
        ExternalCommand.Result r = ExternalCommand.run(List.of(tool.toString(), binary.toString()), null, Map.of(),
                TIMEOUT);
        if (!r.succeeded()) {
            throw new IllegalStateException("gosymdump failed on " + binary + ": " + r.describe());
        }
        String[] lines = r.stdout().split("\n");
        int count = Integer.parseInt(lines[0].substring("functions ".length()));
        List<Function> functions = new ArrayList<>(count);
        for (int i = 1; i < lines.length; i++) {
            int space = lines[i].indexOf(' ');
            functions.add(new Function(Long.parseLong(lines[i].substring(0, space)), lines[i].substring(space + 1)));
        }
        if (functions.size() != count) {
            throw new IllegalStateException("gosymdump announced " + count + " functions of " + binary
                    + " but listed " + functions.size());
        }
        return List.copyOf(functions);
    }
}
