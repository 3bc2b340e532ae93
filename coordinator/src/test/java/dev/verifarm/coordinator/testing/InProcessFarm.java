package dev.verifarm.coordinator.testing;

import dev.verifarm.coordinator.AdminRequests;
import dev.verifarm.coordinator.api.grpc.GrpcAuthentication;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CancelJobRequest;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.UploadArtifactRequest;
import dev.verifarm.proto.v1.UploadHeader;
import dev.verifarm.proto.v1.WatchJobRequest;
import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The coordinator of a {@code @QuarkusTest} as its agents and submitters reach it, over grpc-java's in-process
 * transport: its own verifarm gRPC services and their authentication, called with the admin token (which may act
 * as any agent). Agents connect as {@link FakeAgent}s; jobs go in through SubmissionService. Closing it cancels
 * the jobs it submitted and waits until its agents have left the fleet, so that the next test starts from none.
 */
public final class InProcessFarm implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final int CHUNK = 256 * 1024;

    private final Server server;
    private final ManagedChannel channel;
    private final List<FakeAgent> agents = new ArrayList<>();
    private final List<String> jobs = new ArrayList<>();

    private InProcessFarm(Server server, ManagedChannel channel) {
        this.server = server;
        this.channel = channel;
    }

    /** Serves the coordinator's verifarm services, as CDI holds them, on a new in-process server. */
    public static InProcessFarm start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        GrpcAuthentication authentication = Arc.container().instance(GrpcAuthentication.class).get();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
        for (BindableService service : Arc.container().select(BindableService.class, Any.Literal.INSTANCE)) {
            if (service.bindService().getServiceDescriptor().getName().startsWith("verifarm.")) {
                builder.addService(ServerInterceptors.intercept(service, authentication));
            }
        }
        Metadata token = new Metadata();
        token.put(AUTHORIZATION, "Bearer " + AdminRequests.token());
        ClientInterceptor withToken = MetadataUtils.newAttachHeadersInterceptor(token);
        return new InProcessFarm(builder.build().start(),
                InProcessChannelBuilder.forName(name).intercept(withToken).build());
    }

    /** An agent of {@code architecture} serving it alone, reading host paths, running one lease at a time. */
    public FakeAgent agent(String name, Architecture architecture) {
        return agent(name, architecture, 1, true, architecture);
    }

    public FakeAgent agent(String name, Architecture architecture, int maxConcurrency, boolean hostPaths,
                           Architecture... serves) {
        FakeAgent agent = FakeAgent.connect(channel, name, architecture, maxConcurrency, hostPaths, serves);
        agents.add(agent);
        return agent;
    }

    /** Submits a static job of one expectation on a host-path artifact of {@code architecture}. */
    public Job submit(Architecture architecture) {
        return submit(architecture, Optional.empty());
    }

    public Job submit(Architecture architecture, Optional<Duration> timeout) {
        SubmitJobRequest.Builder request = SubmitJobRequest.newBuilder()
                .setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder()
                        .setPath("/opt/verifarm/artifacts/stubs").setArchitecture(architecture)))
                .addExpectations(Expectation.newBuilder().setKind(CheckKind.RESOLVE)
                        .setResolver("main.addrOfMemcpyish").setTarget("main.memcpyish"));
        timeout.ifPresent(t -> request.setTimeout(com.google.protobuf.Duration.newBuilder()
                .setSeconds(t.getSeconds()).setNanos(t.getNano())));
        return submit(request.build());
    }

    public Job submit(SubmitJobRequest request) {
        Job job = submissions().submitJob(request);
        jobs.add(job.getId());
        return job;
    }

    /** Uploads {@code bytes} in chunks; returns their sha256, as the coordinator names the artifact. */
    public String upload(String name, byte[] bytes) throws InterruptedException {
        CompletableFuture<ArtifactRef> stored = new CompletableFuture<>();
        StreamObserver<UploadArtifactRequest> upload = SubmissionServiceGrpc.newStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).uploadArtifact(new StreamObserver<>() {
                    @Override
                    public void onNext(ArtifactRef ref) {
                        stored.complete(ref);
                    }

                    @Override
                    public void onError(Throwable error) {
                        stored.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        upload.onNext(UploadArtifactRequest.newBuilder().setHeader(UploadHeader.newBuilder().setName(name)
                .setSize(bytes.length).setSha256(sha256(bytes))).build());
        for (int offset = 0; offset < bytes.length; offset += CHUNK) {
            upload.onNext(UploadArtifactRequest.newBuilder().setChunk(ByteString.copyFrom(bytes, offset,
                    Math.min(CHUNK, bytes.length - offset))).build());
        }
        upload.onCompleted();
        try {
            return stored.get(60, TimeUnit.SECONDS).getSha256();
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the upload of " + name + " failed", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The channel agents and submitters use, carrying the admin token. */
    public ManagedChannel channel() {
        return channel;
    }

    public Job job(String id) {
        return submissions().getJob(GetJobRequest.newBuilder().setJobId(id).build());
    }

    public Job cancel(String id) {
        return submissions().cancelJob(CancelJobRequest.newBuilder().setJobId(id).build());
    }

    /** The job once {@code condition} holds of it; fails the test, naming {@code what} and the job, if it never does. */
    public Job await(String id, String what, Predicate<Job> condition) {
        return Poll.until(what + " (job " + id + ")", () -> Optional.of(job(id)).filter(condition));
    }

    /** The job's history, which a finished job's watch ends with. */
    public List<JobEvent> history(String id) {
        List<JobEvent> events = new ArrayList<>();
        submissions().watchJob(WatchJobRequest.newBuilder().setJobId(id).build()).forEachRemaining(events::add);
        return events;
    }

    /** The names of the agents the coordinator lists. */
    public List<String> agentNames() {
        return submissions().listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                .map(a -> a.getName()).toList();
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub submissions() {
        return SubmissionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            jobs.forEach(this::cancel);  // a finished job is returned unchanged
            agents.forEach(FakeAgent::close);
            List<String> names = agents.stream().map(FakeAgent::name).toList();
            Poll.until("the test's agents " + names + " have left the fleet",
                    () -> agentNames().stream().noneMatch(names::contains));
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
