package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.security.TokenStore;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.NightlyServiceGrpc;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every call to a verifarm service carries {@code authorization: Bearer <token>} in its metadata, with a role that
 * covers the method. Agents also need TLS (unless the operator opts out), register only under the name their token
 * was enrolled for, and lose their stream at their next message once their token is revoked.
 */
@GlobalInterceptor
@ApplicationScoped
@Priority(1000)
public class GrpcAuthentication implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(GrpcAuthentication.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    /** The role each submitter's method needs; any other method (changing suites, for one) needs admin. */
    private static final Map<String, Role> SUBMISSION = Map.ofEntries(
            Map.entry(NightlyServiceGrpc.getGetSuiteMethod().getFullMethodName(), Role.READER),
            Map.entry(NightlyServiceGrpc.getListSuitesMethod().getFullMethodName(), Role.READER),
            Map.entry(NightlyServiceGrpc.getListRunsMethod().getFullMethodName(), Role.READER),
            Map.entry(NightlyServiceGrpc.getGetReportMethod().getFullMethodName(), Role.READER),
            Map.entry(NightlyServiceGrpc.getGetJunitReportMethod().getFullMethodName(), Role.READER),
            Map.entry(SubmissionServiceGrpc.getUploadArtifactMethod().getFullMethodName(), Role.SUBMITTER),
            Map.entry(SubmissionServiceGrpc.getSubmitJobMethod().getFullMethodName(), Role.SUBMITTER),
            Map.entry(SubmissionServiceGrpc.getCancelJobMethod().getFullMethodName(), Role.SUBMITTER),
            Map.entry(SubmissionServiceGrpc.getGetJobMethod().getFullMethodName(), Role.READER),
            Map.entry(SubmissionServiceGrpc.getWatchJobMethod().getFullMethodName(), Role.READER),
            Map.entry(SubmissionServiceGrpc.getListJobsMethod().getFullMethodName(), Role.READER),
            Map.entry(SubmissionServiceGrpc.getListAgentsMethod().getFullMethodName(), Role.READER),
            Map.entry(SubmissionServiceGrpc.getQuarantineHistoryMethod().getFullMethodName(), Role.READER));

    private final TokenStore tokens;
    private final boolean allowPlaintextAgents;

    GrpcAuthentication(TokenStore tokens, CoordinatorConfig config) {
        this.tokens = tokens;
        this.allowPlaintextAgents = config.security().allowPlaintextAgents();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        String service = call.getMethodDescriptor().getServiceName();
        if (service == null || !service.startsWith("verifarm.")) {
            return next.startCall(call, headers);  // gRPC health and reflection stay open, like /q/health
        }
        boolean agentCall = AgentServiceGrpc.SERVICE_NAME.equals(service);
        if (agentCall && !allowPlaintextAgents && call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION) == null) {
            LOG.warnf("refused agent call %s from %s: not over TLS", method, remote(call));
            return refuse(call, Status.UNAUTHENTICATED, "agents must connect over TLS (the coordinator's gRPC"
                    + " server needs quarkus.grpc.server.ssl.*; verifarm.security.allow-plaintext-agents=true opts"
                    + " out)");
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (agentCall) {
                LOG.warnf("refused agent call %s from %s: no token", method, remote(call));
            }
            return refuse(call, Status.UNAUTHENTICATED, "an API token is required: metadata 'authorization:"
                    + " Bearer <token>'");
        }
        String secret = header.substring(7).strip();
        Optional<Caller> found = tokens.authenticate(secret);
        if (found.isEmpty()) {
            LOG.warnf("refused %s from %s: unknown or revoked token", method, remote(call));
            return refuse(call, Status.UNAUTHENTICATED, "the token is unknown or revoked");
        }
        Caller caller = found.get();
        boolean allowed = agentCall ? caller.is(Role.AGENT) || caller.is(Role.ADMIN)
                : caller.is(SUBMISSION.getOrDefault(method, Role.ADMIN));
        if (!allowed) {
            Role needed = agentCall ? Role.AGENT : SUBMISSION.getOrDefault(method, Role.ADMIN);
            return refuse(call, Status.PERMISSION_DENIED, caller + " may not call " + method + "; it needs a "
                    + needed.name().toLowerCase(Locale.ROOT) + " token");
        }
        ServerCall.Listener<Q> listener = Contexts.interceptCall(Context.current().withValue(GrpcCaller.KEY, caller),
                call, headers, next);
        if (method.equals(AgentServiceGrpc.getConnectMethod().getFullMethodName())) {
            return new AgentStream<>(listener, call, caller, secret);
        }
        return listener;
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, String why) {
        call.close(status.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static String remote(ServerCall<?, ?> call) {
        return String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    }

    /** An agent's stream: its Register must name an agent its token enrols, and its token must stay valid. */
    private final class AgentStream<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final ServerCall<Q, R> call;
        private final Caller caller;
        private final String secret;
        private boolean first = true;
        private boolean closed;

        AgentStream(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Caller caller, String secret) {
            super(delegate);
            this.call = call;
            this.caller = caller;
            this.secret = secret;
        }

        @Override
        public void onMessage(Q message) {
            if (closed) {
                return;
            }
            if (first) {
                first = false;
                AgentMessage agentMessage = (AgentMessage) message;
                if (agentMessage.hasRegister() && !caller.mayBeAgent(agentMessage.getRegister().getName())) {
                    LOG.warnf("refused agent '%s' from %s: its token %s enrols '%s'",
                            agentMessage.getRegister().getName(), remote(call), caller.tokenId(), caller.name());
                    closed = true;
                    call.close(Status.PERMISSION_DENIED.withDescription("register.name: this token enrols agent '"
                            + caller.name() + "', not '" + agentMessage.getRegister().getName() + "'"),
                            new Metadata());
                    return;
                }
            } else if (tokens.authenticate(secret).isEmpty()) {
                LOG.warnf("closing the stream of agent token %s (%s) from %s: the token was revoked",
                        caller.tokenId(), caller.name(), remote(call));
                closed = true;
                super.onCancel();  // the service forgets the agent and takes its leases back
                call.close(Status.UNAUTHENTICATED.withDescription("the token was revoked"), new Metadata());
                return;
            }
            super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            if (!closed) {
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!closed) {
                super.onReady();
            }
        }
    }
}
