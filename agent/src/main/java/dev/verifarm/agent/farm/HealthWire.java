package dev.verifarm.agent.farm;

import dev.verifarm.agent.wire.CheckWire;
import com.google.protobuf.Timestamp;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.health.Health;
import dev.verifarm.proto.v1.ArchitectureHealth;

import java.util.List;
import java.util.Map;

/** Health between the agent's records and the wire's messages. */
final class HealthWire {

    private HealthWire() {
    }

    static dev.verifarm.proto.v1.Health health(Health health) {
        dev.verifarm.proto.v1.Health.Builder wire = dev.verifarm.proto.v1.Health.newBuilder()
                .setState(switch (health.state()) {
                    case UNKNOWN -> dev.verifarm.proto.v1.Health.State.UNKNOWN;
                    case HEALTHY -> dev.verifarm.proto.v1.Health.State.HEALTHY;
                    case UNHEALTHY -> dev.verifarm.proto.v1.Health.State.UNHEALTHY;
                })
                .setCheck(health.check())
                .setReason(health.reason());
        health.checkedAt().ifPresent(at -> wire.setCheckedAt(Timestamp.newBuilder()
                .setSeconds(at.getEpochSecond()).setNanos(at.getNano())));
        return wire.build();
    }

    static List<ArchitectureHealth> architectures(Map<Architecture, Health> health) {
        return health.entrySet().stream().map(e -> ArchitectureHealth.newBuilder()
                .setArchitecture(CheckWire.architecture(e.getKey()))
                .setHealth(health(e.getValue())).build()).toList();
    }
}
