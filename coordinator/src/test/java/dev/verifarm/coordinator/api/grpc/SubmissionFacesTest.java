package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.AdminRequests;
import dev.verifarm.coordinator.job.ExpectationWire;
import dev.verifarm.proto.v1.AgentQuarantines;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.EndRule;
import dev.verifarm.proto.v1.EndRuleKind;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.QuarantineAgentRequest;
import dev.verifarm.proto.v1.QuarantineEvent;
import dev.verifarm.proto.v1.QuarantineHistoryRequest;
import dev.verifarm.proto.v1.ReadmitAgentRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The submission service over a real gRPC socket of its own, with the coordinator's own service and authentication
 * beans: every spelled form comes back as it went in, and a refusal names the field and says the words REST says.
 */
@QuarkusTest
class SubmissionFacesTest {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    @GrpcService
    SubmissionGrpcService service;
    @Inject
    GrpcAuthentication authentication;

    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        server = ServerBuilder.forPort(0).addService(ServerInterceptors.intercept(service, authentication)).build()
                .start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub stub() {
        return stub(AdminRequests.token());
    }

    private static SubmitJobRequest job(dev.verifarm.proto.v1.Expectation expectation) {
        return SubmitJobRequest.newBuilder().setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder()
                .setPath("/opt/verifarm/artifacts/stubs").setArchitecture(Architecture.ARM64)))
                .addExpectations(expectation).build();
    }

    @Test
    void everySpelledFormComesBackAsWritten() {
        for (String spelling : List.of("main.addrOfMemcpyish=main.memcpyish@pclntab-end",
                "data:main.slot=main.memcpyish@symbol-size", "funcvalue:main.memcpyish=main.memcpyish@symbol:main.end")) {
            Job submitted = stub().submitJob(job(ExpectationWire.expectation(Expectation.parse(CheckKind.COPY,
                    spelling))));
            Job read = stub().getJob(GetJobRequest.newBuilder().setJobId(submitted.getId()).build());
            assertEquals(spelling, ExpectationWire.expectation("", read.getExpectations(0)).spelling());
            assertEquals(Job.State.QUEUED, read.getState());
        }
        Job resolve = stub().submitJob(job(ExpectationWire.expectation(Expectation.resolve("symbol:x", "main.f"))));
        assertEquals("symbol:x=main.f", ExpectationWire.expectation("", resolve.getExpectations(0)).spelling());
    }

    @Test
    void anEndSymbolWithoutItsSymbolIsRefusedNamingTheField() {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub().submitJob(job(
                dev.verifarm.proto.v1.Expectation.newBuilder().setKind(dev.verifarm.proto.v1.CheckKind.COPY)
                        .setResolver("a").setTarget("b")
                        .setEndRule(EndRule.newBuilder().setKind(EndRuleKind.END_SYMBOL)).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals("expectations[0].endRule: an END_SYMBOL end rule names its symbol: symbol:NAME",
                refused.getStatus().getDescription());
    }

    @Test
    void aMissingTargetGetsTheWordsRestGives() {
        String rest = admin().contentType(ContentType.JSON).body("""
                        {"artifact": {"hostPath": "/opt/x", "architecture": "ARM64"},
                         "expectations": [{"kind": "RESOLVE", "resolver": "a", "target": " "}]}""")
                .post("/api/v1/jobs").then().statusCode(400).extract().path("error");
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub().submitJob(job(
                dev.verifarm.proto.v1.Expectation.newBuilder().setKind(dev.verifarm.proto.v1.CheckKind.RESOLVE)
                        .setResolver("a").setTarget(" ").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals("expectations[0].target: " + rest, refused.getStatus().getDescription());
    }

    @Test
    void aHostPathThatIsNotNormalGetsTheWordsRestGives() {
        String rest = admin().contentType(ContentType.JSON).body("""
                        {"artifact": {"hostPath": "/opt/x/../y", "architecture": "ARM64"}, "discover": true}""")
                .post("/api/v1/jobs").then().statusCode(400).extract().path("error");
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub().submitJob(
                SubmitJobRequest.newBuilder().setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder()
                        .setPath("/opt/x/../y").setArchitecture(Architecture.ARM64))).setDiscover(true).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals("artifact.hostPath.path: " + rest, refused.getStatus().getDescription());
    }

    @Test
    void aRequestWithoutATokenIsRefused() {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> SubmissionServiceGrpc
                .newBlockingStub(channel).getJob(GetJobRequest.newBuilder().setJobId("x").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    }

    @Test
    void anAdminQuarantinesAndReadmitsOverGrpcAndAReaderMayOnlyReadTheTrail() {
        AgentQuarantines put = stub().quarantineAgent(QuarantineAgentRequest.newBuilder().setAgentName("grpc-a")
                .setArchitecture(Architecture.ARM64).setReason("bad qemu").build());
        assertEquals(List.of("ARM64 bad qemu"), put.getQuarantinesList().stream()
                .map(q -> q.getArchitecture() + " " + q.getReason()).toList());
        String reader = admin().contentType(ContentType.JSON).body(java.util.Map.of("name", "grpc-reader", "role",
                "READER")).post("/api/v1/tokens").then().statusCode(201).extract().path("token");

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub(reader)
                .readmitAgent(ReadmitAgentRequest.newBuilder().setAgentName("grpc-a").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertEquals(List.of(QuarantineEvent.Action.QUARANTINED), stub(reader).quarantineHistory(
                QuarantineHistoryRequest.newBuilder().setAgentName("grpc-a").build()).getEventsList().stream()
                .map(QuarantineEvent::getAction).toList());

        assertEquals(0, stub().readmitAgent(ReadmitAgentRequest.newBuilder().setAgentName("grpc-a").build())
                .getQuarantinesCount());
        StatusRuntimeException none = assertThrows(StatusRuntimeException.class, () -> stub().readmitAgent(
                ReadmitAgentRequest.newBuilder().setAgentName("grpc-a").build()));
        assertEquals(Status.Code.NOT_FOUND, none.getStatus().getCode());
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub stub(String secret) {
        Metadata token = new Metadata();
        token.put(AUTHORIZATION, "Bearer " + secret);
        return SubmissionServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
