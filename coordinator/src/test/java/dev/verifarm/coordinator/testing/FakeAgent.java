package dev.verifarm.coordinator.testing;

import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.Drain;
import dev.verifarm.proto.v1.Heartbeat;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Progress;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.Verdict;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An agent scripted by a test, speaking the agent protocol on one stream: it registers, heartbeats at the interval
 * the coordinator names with the leases it holds (a lease is held from its arrival until the test reports on it or
 * the coordinator cancels it), and reports only what the test tells it to. Every message from the coordinator is
 * kept, in order, for the test to read.
 */
public final class FakeAgent implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String name;
    private final List<CoordinatorMessage> received = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Lease> leases = new LinkedBlockingQueue<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<String> agentId = new CompletableFuture<>();
    private final CompletableFuture<Status> ended = new CompletableFuture<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean silent;
    private ClientCallStreamObserver<AgentMessage> stream;

    private FakeAgent(String name) {
        this.name = name;
    }

    /**
     * Connects and registers an agent of {@code architecture} that reads host paths and serves {@code serves}
     * (its own architecture when empty; any other must be emulated, as a real agent's must).
     */
    static FakeAgent connect(Channel channel, String name, Architecture architecture, int maxConcurrency,
                             boolean hostPaths, Architecture... serves) {
        FakeAgent agent = new FakeAgent(name);
        AgentServiceGrpc.newStub(channel).connect(agent.new Responses());
        Capabilities.Builder capabilities = Capabilities.newBuilder().setHostPaths(hostPaths);
        for (Architecture served : serves) {
            capabilities.addServes(served);
            if (served != architecture) {
                capabilities.addEmulated(served);
            }
        }
        agent.send(AgentMessage.newBuilder().setRegister(Register.newBuilder().setName(name).setHostname(name)
                .setArchitecture(architecture).setKernel("6.1.0-test").setCpu("fake").setAgentVersion("test")
                .setMaxConcurrency(maxConcurrency).setCapabilities(capabilities)).build());
        agent.agentId.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return agent;
    }

    public String name() {
        return name;
    }

    /** The id the coordinator gave this agent. */
    public String id() {
        return agentId.join();
    }

    /** The next lease the coordinator sends; fails the test if none comes. */
    public Lease nextLease() {
        try {
            Lease lease = leases.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (lease == null) {
                throw new AssertionError(name + " was sent no lease within " + WAIT.toSeconds() + " s; it received "
                        + received);
            }
            return lease;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a lease", e);
        }
    }

    /** Every lease sent to this agent so far. */
    public List<Lease> leasesReceived() {
        return received.stream().filter(CoordinatorMessage::hasLease).map(CoordinatorMessage::getLease).toList();
    }

    /** The reason of the coordinator's Cancel for {@code leaseId}, once it has come. */
    public String cancelReason(String leaseId) {
        return Poll.until(name + " is told to cancel " + leaseId, () -> received.stream()
                .filter(m -> m.hasCancel() && m.getCancel().getLeaseId().equals(leaseId))
                .map(m -> m.getCancel().getReason()).findFirst());
    }

    /** How the coordinator ended this agent's stream, once it has. */
    public Status streamEnd() {
        return ended.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public void progress(Lease lease, String message) {
        send(AgentMessage.newBuilder().setProgress(Progress.newBuilder().setLeaseId(lease.getLeaseId())
                .setMessage(message)).build());
    }

    /** Reports {@code verdict} for every expectation of {@code lease}, and holds it no longer. */
    public void report(Lease lease, Verdict verdict) {
        CheckReport.Builder report = CheckReport.newBuilder().setMode(lease.getMode());
        lease.getExpectationsList().forEach(e -> report.addResults(CheckResult.newBuilder().setExpectation(e)
                .setVerdict(verdict).setReason("scripted " + verdict)));
        result(lease, Result.newBuilder().setReport(report));
    }

    /** Reports that infrastructure failed {@code lease}, and holds it no longer. */
    public void fail(Lease lease, InfrastructureFailure.Kind kind, String message) {
        result(lease, Result.newBuilder().setFailure(InfrastructureFailure.newBuilder().setKind(kind)
                .setMessage(message)));
    }

    private void result(Lease lease, Result.Builder result) {
        held.remove(lease.getLeaseId());
        send(AgentMessage.newBuilder().setResult(result.setLeaseId(lease.getLeaseId())
                .setAttempt(lease.getAttempt())).build());
    }

    public void drain(String reason) {
        send(AgentMessage.newBuilder().setDrain(Drain.newBuilder().setReason(reason)).build());
    }

    /** Stops heartbeating and keeps the stream open, as a frozen host does. */
    public void goSilent() {
        silent = true;
    }

    /** Breaks the stream off from the agent's side, as a crashed agent or a cut network does. */
    public void breakOff() {
        heartbeats.shutdownNow();
        synchronized (this) {
            stream.cancel("the test breaks the stream off", null);
        }
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        synchronized (this) {
            if (!ended.isDone()) {
                stream.onCompleted();
            }
        }
    }

    private synchronized void send(AgentMessage message) {
        stream.onNext(message);
    }

    private void heartbeat() {
        if (!silent && !ended.isDone()) {
            send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().addAllRunningLeaseIds(held)).build());
        }
    }

    /** The coordinator's side of the stream. */
    private final class Responses implements ClientResponseObserver<AgentMessage, CoordinatorMessage> {
        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requests) {
            stream = requests;
        }

        @Override
        public void onNext(CoordinatorMessage message) {
            received.add(message);
            switch (message.getKindCase()) {
                case REGISTERED -> {
                    long period = Math.max(10, message.getRegistered().getHeartbeatIntervalMillis());
                    heartbeats.scheduleAtFixedRate(FakeAgent.this::heartbeat, period, period, TimeUnit.MILLISECONDS);
                    agentId.complete(message.getRegistered().getAgentId());
                }
                case LEASE -> {
                    held.add(message.getLease().getLeaseId());
                    leases.add(message.getLease());
                }
                case CANCEL -> held.remove(message.getCancel().getLeaseId());
                default -> {
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            end(Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            end(Status.OK);
        }

        private void end(Status status) {
            heartbeats.shutdownNow();
            ended.complete(status);
            agentId.completeExceptionally(new AssertionError(name + "'s stream ended before it registered: "
                    + status));
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
