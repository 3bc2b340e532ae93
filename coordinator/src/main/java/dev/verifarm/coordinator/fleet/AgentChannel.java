package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Lease;

/** The way to one connected agent; implemented by the transport that carries its stream. */
public interface AgentChannel {

    void lease(Lease lease);

    void cancel(String leaseId, String reason);

    /** Ends the stream with the reason: the agent reconnects and registers afresh. */
    void close(String reason);
}
