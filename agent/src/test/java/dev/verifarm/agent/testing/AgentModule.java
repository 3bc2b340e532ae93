package dev.verifarm.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the agent module and its build directory are, whatever directory the tests run from. */
public final class AgentModule {
    private static final Path GO_SOURCES = Path.of("src", "test", "go");

    private AgentModule() {
    }

    /**
     * The agent module's directory. Maven runs tests with the module as working
     * directory; IDEs and hand runs may start anywhere inside the repository, so
     * walk up until a directory holds {@code src/test/go} (or {@code agent/src/test/go}).
     */
    public static Path dir() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve(GO_SOURCES)) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
            Path agent = d.resolve("agent");
            if (Files.isDirectory(agent.resolve(GO_SOURCES))) {
                return agent;
            }
        }
        throw new IllegalStateException("cannot find the agent module (a directory with "
                + GO_SOURCES + ") at or above " + start);
    }

    /** The module's Maven build directory, {@code agent/target}. */
    public static Path target() {
        return dir().resolve("target");
    }

    /** The probe library for Go programs, {@code probe/go} beside the agent module; the fixtures use it. */
    public static Path goProbeLibrary() {
        return dir().getParent().resolve("probe").resolve("go");
    }

    /** The Go fixture programs' sources, {@code agent/src/test/go}. */
    public static Path goSources() {
        return dir().resolve(GO_SOURCES);
    }
}
