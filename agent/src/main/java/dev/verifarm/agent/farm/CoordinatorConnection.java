package dev.verifarm.agent.farm;

import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.Drain;
import dev.verifarm.proto.v1.SelfCheck;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's one long-lived stream to a coordinator: registers, heartbeats, hands leases to the runner and
 * carries its messages back. When the stream breaks it reconnects with backoff, to the next of its coordinators,
 * and re-registers under the id it had, so the leases it still runs stay its own (they are in the database all
 * the coordinators share); results finished while disconnected are kept and delivered after
 * the next registration. When the agent's health changes it registers again the same way, on a new stream (a
 * stream registers once), so the architectures it serves follow its self-checks and its leases stay its own.
 */
final class CoordinatorConnection implements Consumer<AgentMessage> {
    private static final System.Logger LOG = System.getLogger(CoordinatorConnection.class.getName());

    private final Coordinators coordinators;
    private final Advertisement advertisement;
    private final Consumer<SelfCheck> selfCheckRequests;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15));
    private final Deque<AgentMessage> undeliveredResults = new ArrayDeque<>();
    private LeaseRunner runner;
    private StreamObserver<AgentMessage> stream;   // null while not registered
    private StreamObserver<AgentMessage> opening;  // the stream waiting for Registered
    private ScheduledFuture<?> heartbeats;
    private String agentId = "";  // empty until the first registration
    private Optional<String> draining = Optional.empty();
    private boolean closed;

    /** {@code selfCheckRequests}: what to do when the coordinator asks for a self-check. */
    CoordinatorConnection(Coordinators coordinators, Advertisement advertisement,
                          Consumer<SelfCheck> selfCheckRequests, ScheduledExecutorService scheduler) {
        this.coordinators = coordinators;
        this.advertisement = advertisement;
        this.selfCheckRequests = selfCheckRequests;
        this.scheduler = scheduler;
    }

    synchronized void start(LeaseRunner runner) {
        this.runner = runner;
        open();
    }

    /** Sends a message; a result that cannot be sent now is kept for the next connection, anything else dropped. */
    @Override
    public synchronized void accept(AgentMessage message) {
        if (stream != null) {
            stream.onNext(message);
        } else if (message.hasResult()) {
            undeliveredResults.add(message);
        }
    }

    /** Tells the coordinator, now and after any reconnect, to send no new leases. */
    synchronized void drain(String reason) {
        draining = Optional.of(reason);
        if (stream != null) {
            stream.onNext(drainMessage(reason));
        }
    }

    /**
     * Registers again under the same id with what the agent now advertises: closes the stream and opens a new one
     * at once. Results finished meanwhile wait for the new stream; the coordinator replaces the old one.
     */
    synchronized void reregister() {
        if (closed || runner == null) {
            return;
        }
        StreamObserver<AgentMessage> current = stream != null ? stream : opening;
        if (current == null) {
            return;  // a reconnect is scheduled, and will register with what is advertised then
        }
        stream = null;
        opening = null;
        stopHeartbeats();
        current.onCompleted();
        open();
    }

    private static AgentMessage drainMessage(String reason) {
        return AgentMessage.newBuilder().setDrain(Drain.newBuilder().setReason(reason)).build();
    }

    synchronized void close() {
        closed = true;
        stopHeartbeats();
        StreamObserver<AgentMessage> current = stream != null ? stream : opening;
        stream = null;
        opening = null;
        if (current != null) {
            current.onCompleted();
        }
    }

    private synchronized void open() {
        if (closed) {
            return;
        }
        Responses responses = new Responses();
        opening = AgentServiceGrpc.newStub(coordinators.channel()).connect(responses);
        responses.requests = opening;
        opening.onNext(AgentMessage.newBuilder()
                .setRegister(advertisement.register().toBuilder().setAgentId(agentId)).build());
    }

    private synchronized void registered(StreamObserver<AgentMessage> requests, String agentId, int heartbeatMillis) {
        if (requests != opening) {
            return;
        }
        opening = null;
        stream = requests;
        backoff.reset();
        LOG.log(Level.INFO, "registered with the coordinator at {0} as agent {1}", coordinators.address(), agentId);
        this.agentId = agentId;
        draining.or(advertisement::nothingHealthy).ifPresent(reason -> stream.onNext(drainMessage(reason)));
        while (!undeliveredResults.isEmpty()) {
            stream.onNext(undeliveredResults.poll());
        }
        long period = Math.max(heartbeatMillis, 100);
        heartbeats = scheduler.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void heartbeat() {
        if (stream != null) {
            stream.onNext(AgentMessage.newBuilder()
                    .setHeartbeat(advertisement.heartbeat().addAllRunningLeaseIds(runner.runningLeaseIds()))
                    .build());
        }
    }

    private synchronized void lost(StreamObserver<AgentMessage> requests, Status status) {
        if (requests != stream && requests != opening) {
            return;
        }
        stream = null;
        opening = null;
        stopHeartbeats();
        if (closed) {
            return;
        }
        Duration delay = backoff.next();
        CoordinatorAddress lostAddress = coordinators.address();
        // any coordinator serves this agent: try the next one, which may be up while this one is not
        CoordinatorAddress next = coordinators.next();
        LOG.log(Level.WARNING, "connection to the coordinator at {0} lost ({1}); reconnecting to {2} in {3} ms",
                lostAddress, status.getCode() + (status.getDescription() == null ? "" : ": "
                        + status.getDescription()), next, delay.toMillis());
        scheduler.schedule(this::open, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
    }

    /** The coordinator's side of one stream; messages of a stream already replaced are ignored. */
    private final class Responses implements StreamObserver<CoordinatorMessage> {
        private StreamObserver<AgentMessage> requests;

        @Override
        public void onNext(CoordinatorMessage message) {
            switch (message.getKindCase()) {
                case REGISTERED -> registered(requests, message.getRegistered().getAgentId(),
                        message.getRegistered().getHeartbeatIntervalMillis());
                case LEASE -> runner.accept(message.getLease());
                case CANCEL -> runner.cancel(message.getCancel().getLeaseId(), message.getCancel().getReason());
                case SELF_CHECK -> selfCheckRequests.accept(message.getSelfCheck());
                case KIND_NOT_SET -> LOG.log(Level.WARNING, "ignoring an empty message from the coordinator");
            }
        }

        @Override
        public void onError(Throwable error) {
            lost(requests, Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            lost(requests, Status.UNAVAILABLE.withDescription("the coordinator closed the stream"));
        }
    }
}
