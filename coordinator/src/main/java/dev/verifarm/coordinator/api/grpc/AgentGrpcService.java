package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.AgentRegistration;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.logging.LogContext;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.scheduling.LeaseKeeper;
import dev.verifarm.coordinator.security.AgentAccess;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactChunk;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.DownloadArtifactRequest;
import dev.verifarm.proto.v1.Registered;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The agents' API: one stream per agent for registration, heartbeats, leases and results; artifact downloads. */
@GrpcService
@Blocking
public class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
    private static final Logger LOG = Logger.getLogger(AgentGrpcService.class);

    private final Fleet fleet;
    private final JobService jobs;
    private final ArtifactStore artifacts;
    private final LeaseKeeper leases;
    private final AgentAccess access;
    private final Duration heartbeatInterval;

    @Inject
    AgentGrpcService(Fleet fleet, JobService jobs, ArtifactStore artifacts, LeaseKeeper leases, AgentAccess access,
                     CoordinatorConfig config) {
        this.fleet = fleet;
        this.jobs = jobs;
        this.artifacts = artifacts;
        this.leases = leases;
        this.access = access;
        this.heartbeatInterval = config.agent().heartbeatInterval();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<CoordinatorMessage> responses) {
        StreamAgentChannel channel = new StreamAgentChannel(responses);
        return new StreamObserver<>() {
            private ConnectedAgent agent;

            @Override
            public void onNext(AgentMessage message) {
                try (LogContext context = LogContext.agent(agent == null ? null : agent.id())) {
                    handle(message);
                } catch (RuntimeException e) {
                    LOG.warnf("closing the stream of agent %s: %s", agent, e.getMessage());
                    disconnect();
                    channel.fail(GrpcErrors.status(e));
                }
            }

            private void handle(AgentMessage message) {
                if (message.hasRegister()) {
                    if (agent != null) {
                        throw new InvalidInputException("register", "the agent is already registered");
                    }
                    AgentRegistration registration = WireMapping.registration(message.getRegister());
                    Optional<String> resumed = resumable(message.getRegister().getAgentId(), registration.name());
                    String id = resumed.orElseGet(() -> UUID.randomUUID().toString());
                    Set<String> held = resumed.map(previous -> leases.resume(previous, registration.name()))
                            .orElse(Set.of());
                    channel.send(CoordinatorMessage.newBuilder().setRegistered(Registered.newBuilder()
                            .setAgentId(id)
                            .setHeartbeatIntervalMillis((int) heartbeatInterval.toMillis())).build());
                    agent = fleet.register(id, registration, WireMapping.health(message.getRegister().getHealthList(),
                            message.getRegister().getCacheHealth()), channel, held);
                    try (LogContext context = LogContext.agent(id)) {
                        LOG.infof("agent %s %s as %s%s", agent, resumed.isPresent() ? "reconnected" : "registered",
                                id, held.isEmpty() ? "" : ", holding " + held.size() + " lease(s)");
                    }
                    return;
                }
                if (agent == null) {
                    throw new InvalidInputException("register", "the first message of a stream must be Register");
                }
                switch (message.getKindCase()) {
                    case HEARTBEAT -> {
                        fleet.heartbeat(agent.id(), WireMapping.health(message.getHeartbeat().getHealthList(),
                                message.getHeartbeat().getCacheHealth()));
                        leases.heartbeat(agent, message.getHeartbeat().getRunningLeaseIdsList(), stale ->
                                channel.cancel(stale, "the lease is no longer this agent's: it was cancelled, timed"
                                        + " out or requeued"));
                    }
                    case DRAIN -> {
                        LOG.infof("agent %s is draining: %s", agent, message.getDrain().getReason());
                        fleet.drain(agent);
                    }
                    case PROGRESS -> jobs.progress(agent.id(), message.getProgress().getLeaseId(),
                            message.getProgress().getMessage());
                    case RESULT -> jobs.finished(agent.id(), message.getResult().getLeaseId(),
                            WireMapping.outcome(message.getResult()));
                    default -> throw new InvalidInputException("kind", "an empty agent message");
                }
            }

            @Override
            public void onError(Throwable error) {
                disconnect();
            }

            @Override
            public void onCompleted() {
                disconnect();
                channel.complete();
            }

            private void disconnect() {
                if (agent != null) {
                    try (LogContext context = LogContext.agent(agent.id())) {
                        LOG.infof("agent %s disconnected", agent);
                    }
                    fleet.disconnect(agent);
                }
            }
        };
    }

    /**
     * The id an agent had before its stream broke, unless it is malformed or an agent of another name holds it. An
     * agent keeps one stream, so a stream still registered under the id and the name is a dead one: it is
     * replaced.
     */
    private Optional<String> resumable(String previousId, String name) {
        if (previousId.isEmpty()) {
            return Optional.empty();
        }
        try {
            UUID.fromString(previousId);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("register.agent_id", "not an agent id: '" + previousId + "'");
        }
        Optional<ConnectedAgent> current = fleet.find(previousId);
        if (current.isPresent()) {
            if (!current.get().registration().name().equals(name)) {
                return Optional.empty();
            }
            fleet.disconnect(current.get());
            current.get().channel().close("replaced by a newer connection of the same agent");
        }
        return Optional.of(previousId);
    }

    @Override
    public void downloadArtifact(DownloadArtifactRequest request, StreamObserver<ArtifactChunk> response) {
        try {
            artifacts.get("sha256", request.getSha256());
            access.requireDownload(GrpcCaller.current(), request.getSha256());
            new ArtifactDownload(artifacts.cached(request.getSha256()),
                    (ServerCallStreamObserver<ArtifactChunk>) response).start();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.status(e));
        }
    }
}
