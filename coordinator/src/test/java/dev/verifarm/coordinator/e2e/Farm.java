package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real farm on loopback for tests: the packaged coordinator and agent jars as child processes, on free ports,
 * with a fresh data directory. Logs go to files beside the data, named in failures.
 */
final class Farm implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Path dir;
    private final int httpPort;
    private final int grpcPort;
    private final Process coordinator;
    private final List<Process> agents = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagedChannel channel;

    private Farm(Path dir, int httpPort, int grpcPort, Process coordinator) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.coordinator = coordinator;
    }

    /** Starts the coordinator jar; {@code properties} are extra {@code -Dkey=value} settings. */
    static Farm start(String... properties) {
        try {
            Path dir = Files.createDirectories(workDir().resolve("farm-" + UUID.randomUUID()));
            int http = freePort();
            int grpc = freePort();
            List<String> command = new ArrayList<>(List.of("java", "-Xmx512m",
                    "-Dverifarm.data-dir=" + dir.resolve("data"),
                    "-Dquarkus.http.port=" + http, "-Dquarkus.grpc.server.port=" + grpc,
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.grpc.server.host=127.0.0.1"));
            command.addAll(List.of(properties));
            command.addAll(List.of("-jar", jar("verifarm.coordinator.jar").toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("coordinator.log").toFile()).start();
            Farm farm = new Farm(dir, http, grpc, process);
            farm.awaitReady();
            return farm;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the coordinator", e);
        }
    }

    /** Starts {@code java -jar verifarm-agent.jar run} serving {@code architectures}. */
    Process startAgent(String name, String architectures) {
        return start(name, agentCommand(name, architectures));
    }

    /**
     * Starts an agent as if on a host of its own: in a private mount namespace where {@code hostDir} is bind-mounted
     * on {@code mountPoint}, so agents on this one machine see different files at the same path. Needs root.
     */
    Process startAgentOnHost(String name, String architectures, Path mountPoint, Path hostDir) {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh", hostDir.toString(),
                mountPoint.toString()));
        command.addAll(agentCommand(name, architectures));
        return start(name, command);
    }

    private List<String> agentCommand(String name, String architectures) {
        return List.of("java", "-Xmx256m", "-jar", jar("verifarm.agent.jar").toString(), "run",
                "--coordinator", "127.0.0.1:" + grpcPort, "--name", name, "--max-concurrency", "2",
                "--architectures", architectures, "--cache-dir", dir.resolve("cache-" + name).toString());
    }

    private Process start(String name, List<String> command) {
        try {
            Process agent = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent-" + name + ".log").toFile()).start();
            agents.add(agent);
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent " + name, e);
        }
    }

    /** Waits until at least {@code count} agents have registered. */
    void awaitAgents(int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(rest("/api/v1/agents")).build());
            if (r.statusCode() == 200 && agentCount(r.body()) >= count) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new AssertionError(count + " agent(s) did not register; " + describe());
    }

    private static int agentCount(String agentsJson) {
        try {
            return new ObjectMapper().readTree(agentsJson).size();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the agents list is not JSON: " + agentsJson, e);
        }
    }

    URI rest(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        }
        return channel;
    }

    int grpcPort() {
        return grpcPort;
    }

    String describe() {
        return "farm logs in " + dir;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!coordinator.isAlive()) {
                throw new IllegalStateException("the coordinator exited with " + coordinator.exitValue() + "; "
                        + describe());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(rest("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(250));
        }
        close();
        throw new IllegalStateException("the coordinator was not ready within " + STARTUP + "; " + describe());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path workDir() {
        return Path.of(System.getProperty("verifarm.work.dir", "target/e2e")).toAbsolutePath();
    }

    private static Path jar(String property) {
        Path jar = Path.of(System.getProperty(property, "missing-" + property));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(property + " is not a file: " + jar + " (run mvn verify from the root)");
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        for (Process agent : agents) {
            stop(agent);
        }
        stop(coordinator);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
