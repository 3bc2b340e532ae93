package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.Lease;

/** The way to one connected agent; implemented by the transport that carries its stream. */
public interface AgentChannel {

    void lease(Lease lease);

    void cancel(String leaseId, String reason);

    /** Asks the agent to prove the architecture with its self-checks now; the answer comes in its heartbeats. */
    void selfCheck(Architecture architecture, String reason);

    /** Ends the stream with the reason: the agent reconnects and registers afresh. */
    void close(String reason);
}
