package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.quarantine.AuditEntry;
import dev.verifarm.coordinator.quarantine.Quarantine;
import dev.verifarm.proto.v1.QuarantineEvent;

/** Quarantines and their audit trail as their wire messages. */
final class QuarantineWire {
    private QuarantineWire() {
    }

    static dev.verifarm.proto.v1.Quarantine quarantine(Quarantine q) {
        return dev.verifarm.proto.v1.Quarantine.newBuilder()
                .setAgentName(q.agentName())
                .setArchitecture(WireMapping.architecture(q.architecture()))
                .setAutomatic(q.automatic())
                .setBy(q.actor())
                .setReason(q.reason())
                .setSince(WireMapping.timestamp(q.since()))
                .build();
    }

    static QuarantineEvent event(AuditEntry e) {
        return QuarantineEvent.newBuilder()
                .setAgentName(e.agentName())
                .setArchitecture(WireMapping.architecture(e.architecture()))
                .setAction(switch (e.action()) {
                    case QUARANTINED -> QuarantineEvent.Action.QUARANTINED;
                    case READMITTED -> QuarantineEvent.Action.READMITTED;
                })
                .setAutomatic(e.automatic())
                .setBy(e.actor())
                .setReason(e.reason())
                .setAt(WireMapping.timestamp(e.at()))
                .build();
    }
}
