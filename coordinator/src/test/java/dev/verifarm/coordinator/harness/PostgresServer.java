package dev.verifarm.coordinator.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} binaries (installed by
 * deploy/install-test-deps.sh), a fresh cluster in a temporary directory on a free loopback port, stopped on
 * close. PostgreSQL refuses to run as root, so under root it runs as the {@code postgres} user the package made.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String USER = "verifarm";

    private final Path bin;
    private final Path dir;
    private final int port;
    private String adminToken;  // made by the first coordinator on this database

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static PostgresServer start() {
        Path bin = binaries();
        try {
            Path dir = Files.createDirectories(Farm.workDir().resolve("postgres-" + UUID.randomUUID()));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (runsAsRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
            PostgresServer server = new PostgresServer(bin, dir, port);
            run(server.asOwner(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync"), true);
            run(server.asOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w",
                    "-l", dir.resolve("postgres.log").toString(), "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c max_connections=200", "start"), true);
            run(server.asOwner(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p",
                    String.valueOf(port), "-U", USER, "verifarm"), true);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/verifarm";
    }

    /** The first coordinator on this database made the admin token; later ones use it too. */
    synchronized void shareAdminToken(Farm farm) {
        if (adminToken == null) {
            adminToken = farm.adminToken();
        } else {
            farm.useAdminToken(adminToken);
        }
    }

    String user() {
        return USER;
    }

    /** Runs one SQL statement with psql and returns its unaligned output. */
    public String query(String sql) {
        return run(asOwner(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                USER, "-d", "verifarm", "-At", "-c", sql), true);
    }

    /** The server's postmaster process, parent of every backend. */
    public ProcessHandle postmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).strip());
            return ProcessHandle.of(pid).orElseThrow(
                    () -> new IllegalStateException("PostgreSQL's postmaster " + pid + " is gone"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PostgreSQL's postmaster.pid", e);
        }
    }

    /** Waits until no job is queued or running; fails after {@code limit} with the count per state. */
    public void awaitAllJobsFinished(Duration limit, String context) {
        Instant deadline = Instant.now().plus(limit);
        while (!query("select count(*) from job where state in ('QUEUED', 'LEASED', 'RUNNING')").equals("0")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("jobs unfinished after " + limit + ": "
                        + query("select state, count(*) from job group by state") + "; " + context);
            }
            Farm.sleep(Duration.ofMillis(200));
        }
    }

    @Override
    public void close() {
        run(asOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                "stop"), false);
    }

    private List<String> asOwner(String... command) {
        List<String> full = new ArrayList<>();
        if (runsAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String run(List<String> command, boolean mustSucceed) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (mustSucceed && process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ": " + output);
            }
            return output.strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The newest Debian PostgreSQL installed; install-test-deps.sh installs the package. */
    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql, or run"
                    + " deploy/install-test-deps.sh): " + e.getMessage());
        }
    }
}
