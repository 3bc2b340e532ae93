package dev.verifarm.coordinator.harness;

import com.google.protobuf.ByteString;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.UploadArtifactRequest;
import dev.verifarm.proto.v1.UploadHeader;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A real farm on loopback for tests: the packaged coordinator and agent jars as child processes, on free ports,
 * with a fresh data directory. Logs go to files beside the data, named in failures. Security is on as in
 * production: gRPC over TLS with a test CA, each agent with its own enrolment token, and REST and gRPC calls made
 * with the admin token the coordinator wrote at its first start.
 */
public final class Farm implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Path dir;
    private final int httpPort;
    private final int grpcPort;
    private final List<String> coordinatorCommand;
    private final TestCertificates certificates;
    private Process coordinator;
    private final List<Process> agents = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagedChannel channel;
    private String adminToken;

    private Farm(Path dir, int httpPort, int grpcPort, List<String> coordinatorCommand,
                 TestCertificates certificates) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.coordinatorCommand = List.copyOf(coordinatorCommand);
        this.certificates = certificates;
    }

    /** Starts the coordinator jar; {@code properties} are extra {@code -Dkey=value} settings. */
    public static Farm start(String... properties) {
        return start("verifarm.coordinator.jar", properties);
    }

    /**
     * Starts the PostgreSQL build of the coordinator on {@code database} with {@code artifactDir} as its artifact
     * cache (coordinators sharing a database share nothing else, so each may have its own), and the admin token
     * the first coordinator on the database made. It runs with the JIT option its deployments ship (C1 only,
     * docs/scaling.md); a later {@code -XX:TieredStopAtLevel} in {@code properties} overrides it.
     */
    public static Farm startOnPostgres(PostgresServer database, Path artifactDir, String... properties) {
        List<String> all = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1",
                "-Dquarkus.datasource.jdbc.url=" + database.jdbcUrl(),
                "-Dquarkus.datasource.username=" + database.user(), "-Dverifarm.artifact.dir=" + artifactDir));
        all.addAll(List.of(properties));
        Farm farm = start("verifarm.coordinator.postgresql.jar", all.toArray(String[]::new));
        database.shareAdminToken(farm);
        return farm;
    }

    private static Farm start(String jarProperty, String... properties) {
        try {
            Path dir = Files.createDirectories(workDir().resolve("farm-" + UUID.randomUUID()));
            int http = freePort();
            int grpc = freePort();
            TestCertificates certificates = TestCertificates.in(workDir().resolve("tls"));
            List<String> command = new ArrayList<>(List.of("java", "-Xmx512m",
                    "-Dverifarm.data-dir=" + dir.resolve("data"),
                    "-Dquarkus.http.port=" + http, "-Dquarkus.grpc.server.port=" + grpc,
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.grpc.server.host=127.0.0.1",
                    "-Dquarkus.grpc.server.ssl.certificate=" + certificates.crt(),
                    "-Dquarkus.grpc.server.ssl.key=" + certificates.key()));
            command.addAll(List.of(properties));
            command.addAll(List.of("-jar", jar(jarProperty).toString()));
            Farm farm = new Farm(dir, http, grpc, command, certificates);
            farm.startCoordinator();
            Path token = dir.resolve("data").resolve("admin.token");
            // a coordinator joining a database that already has tokens makes none; see startOnPostgres
            farm.adminToken = Files.exists(token) ? Files.readString(token).strip() : null;
            return farm;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the coordinator", e);
        }
    }

    private void startCoordinator() throws IOException {
        coordinator = new ProcessBuilder(coordinatorCommand).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("coordinator.log").toFile())).start();
        awaitReady();
    }

    /** Kills the coordinator with SIGKILL, as a crash would, and waits for it to be gone. */
    public void crashCoordinator() {
        coordinator.destroyForcibly();
        try {
            coordinator.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the coordinator again on the same ports, data and database. */
    public void restartCoordinator() {
        try {
            startCoordinator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the coordinator", e);
        }
    }

    /** Starts {@code java -jar verifarm-agent.jar run} serving {@code architectures}, with its own agent token. */
    public Process startAgent(String name, String architectures) {
        return startAgent(name, architectures, createToken(name, "agent"));
    }

    /** Starts an agent with its own token that runs up to {@code maxConcurrency} leases at once. */
    public Process startAgent(String name, String architectures, int maxConcurrency) {
        return startAgent(name, architectures, createToken(name, "agent"), "--max-concurrency",
                String.valueOf(maxConcurrency));
    }

    /**
     * Starts an agent that presents {@code token}: over TLS, trusting the farm's test CA, reading host paths under
     * the work directory; {@code extraArguments} come last and so override the defaults (2 leases at once) or add
     * host-path roots.
     */
    public Process startAgent(String name, String architectures, String token, String... extraArguments) {
        return launch(name, agentCommand(name, architectures, token, extraArguments));
    }

    /**
     * Starts an agent as if on a host of its own: in a private mount namespace where {@code hostDir} is bind-mounted
     * on {@code mountPoint}, so agents on this one machine see different files at the same path, and it reads host
     * paths under {@code mountPoint}. Needs root.
     */
    public Process startAgentOnHost(String name, String architectures, Path mountPoint, Path hostDir) {
        return startAgentThrough(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount --bind \"$0\" \"$1\" && shift && exec \"$@\"", hostDir.toString(),
                mountPoint.toString()), name, architectures, "--host-path-root", mountPoint.toString());
    }

    /** Starts an agent with its own token through {@code wrapper}, a command that ends by running the one it is given. */
    public Process startAgentThrough(List<String> wrapper, String name, String architectures, String... extraArguments) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(agentCommand(name, architectures, createToken(name, "agent"), extraArguments));
        return launch(name, command);
    }

    private List<String> agentCommand(String name, String architectures, String token, String... extraArguments) {
        Path tokenFile = dir.resolve("token-" + name);
        try {
            Files.writeString(tokenFile, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token of agent " + name, e);
        }
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar",
                jar("verifarm.agent.jar").toString(), "run",
                "--coordinator", "127.0.0.1:" + grpcPort, "--name", name, "--max-concurrency", "2",
                "--architectures", architectures, "--cache-dir", dir.resolve("cache-" + name).toString(),
                "--tls-ca", certificates.ca().toString(), "--token-file", tokenFile.toString(),
                // the tests' host-path artifacts are made under the work directory
                "--host-path-root", workDir().toString()));
        command.addAll(List.of(extraArguments));
        return command;
    }

    private Process launch(String name, List<String> command) {
        try {
            Process agent = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(agentLog(name).toFile()).start();
            agents.add(agent);
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent " + name, e);
        }
    }

    public Path agentLog(String name) {
        return dir.resolve("agent-" + name + ".log");
    }

    public Path coordinatorLog() {
        return dir.resolve("coordinator.log");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    void useAdminToken(String token) {
        adminToken = token;
    }

    public String adminToken() {
        return adminToken;
    }

    /** Creates a token through the admin API and returns its secret. */
    public String createToken(String name, String role) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(rest("/api/v1/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}"))
                .build());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("cannot create token " + name + ": " + r.statusCode() + " " + r.body());
        }
        int start = r.body().indexOf("\"token\":\"") + "\"token\":\"".length();
        return r.body().substring(start, r.body().indexOf('"', start));
    }

    public URI rest(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** Sends a request with the admin token, unless it carries an Authorization header of its own. */
    public HttpResponse<String> send(HttpRequest request) {
        return request.headers().firstValue("Authorization").isPresent() ? sendAsIs(request)
                : sendAsIs(HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Bearer " + adminToken).build());
    }

    /** Sends a request exactly as built: with no token unless it has one. */
    public HttpResponse<String> sendAsIs(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A TLS channel whose calls carry the admin token. */
    public synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = channel(adminToken);
        }
        return channel;
    }

    /** A new TLS channel whose calls carry {@code token} (none when null); closed with the farm. */
    public synchronized ManagedChannel channel(String token) {
        return keep(tlsChannel(grpcPort, certificates, token).build());
    }

    /**
     * A new TLS channel with {@code token}, its own TCP connection, on {@code group}'s threads and calling back on
     * {@code executor}: many light agents in one test process share both; closed with the farm.
     */
    public synchronized ManagedChannel channel(String token, EventLoopGroup group, Executor executor) {
        return keep(tlsChannel(grpcPort, certificates, token).eventLoopGroup(group)
                .channelType(NioSocketChannel.class).executor(executor).build());
    }

    private ManagedChannel keep(ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }

    /** A channel builder to {@code port} on loopback over TLS trusting the test CA, with {@code token} if any. */
    public static NettyChannelBuilder tlsChannel(int port, TestCertificates certificates, String token) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port, tls(certificates));
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return builder;
    }

    /**
     * Uploads over gRPC with the admin token: the header, then the bytes in chunks of 256 KiB. A refusal is thrown
     * as the {@link io.grpc.StatusRuntimeException} the coordinator answered.
     */
    public ArtifactRef upload(UploadHeader header, byte[] bytes) {
        CompletableFuture<ArtifactRef> result = new CompletableFuture<>();
        StreamObserver<UploadArtifactRequest> upload = SubmissionServiceGrpc.newStub(channel())
                .uploadArtifact(new StreamObserver<>() {
                    @Override
                    public void onNext(ArtifactRef ref) {
                        result.complete(ref);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        upload.onNext(UploadArtifactRequest.newBuilder().setHeader(header).build());
        for (int off = 0; off < bytes.length; off += 256 * 1024) {
            upload.onNext(UploadArtifactRequest.newBuilder()
                    .setChunk(ByteString.copyFrom(bytes, off, Math.min(256 * 1024, bytes.length - off))).build());
        }
        upload.onCompleted();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (Exception e) {
            throw new IllegalStateException("the upload did not finish; " + describe(), e);
        }
    }

    private static ChannelCredentials tls(TestCertificates certificates) {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(certificates.ca().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** The CA certificate (PEM) the coordinator's gRPC certificate chains to. */
    public Path ca() {
        return certificates.ca();
    }

    /** The test CA and the coordinator's certificate and key. */
    public TestCertificates certificates() {
        return certificates;
    }

    /** The process id of the running coordinator, for tools that attach to it (jcmd, jstat, /proc). */
    public long coordinatorPid() {
        return coordinator.pid();
    }

    /** The agents this farm started that still run, for tools that measure them. */
    public List<ProcessHandle> liveAgents() {
        return agents.stream().filter(Process::isAlive).map(Process::toHandle).toList();
    }

    public String describe() {
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

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path workDir() {
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
        channels.forEach(ManagedChannel::shutdownNow);
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
