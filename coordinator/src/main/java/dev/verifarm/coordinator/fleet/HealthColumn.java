package dev.verifarm.coordinator.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verifarm.coordinator.job.Architecture;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How an agent's health is kept in its fleet row: a JSON text, {@code {"architectures": [{"architecture": "ARM64",
 * "state": "UNHEALTHY", "check": ..., "reason": ..., "checkedAt": "2026-12-05T05:55:00Z"}], "cache": {...}}}, with
 * the names the API gives. A row without one (written by a coordinator older than health) reads as unreported.
 */
final class HealthColumn {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthColumn() {
    }

    static String written(AgentHealth health) {
        ObjectNode root = JSON.createObjectNode();
        health.architectures().forEach((architecture, h) -> node(root.withArray("architectures").addObject(), h)
                .put("architecture", architecture.name()));
        node(root.putObject("cache"), health.cache());
        return root.toString();
    }

    static AgentHealth read(String column) {
        if (column == null) {
            return AgentHealth.UNREPORTED;
        }
        JsonNode root;
        try {
            root = JSON.readTree(column);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an agent's health in the fleet is not JSON: " + column, e);
        }
        Map<Architecture, Health> architectures = new EnumMap<>(Architecture.class);
        root.path("architectures").forEach(a -> architectures.put(Architecture.valueOf(a.get("architecture").asText()),
                health(a)));
        return new AgentHealth(architectures, health(root.get("cache")));
    }

    private static ObjectNode node(ObjectNode node, Health health) {
        node.put("state", health.state().name()).put("check", health.check()).put("reason", health.reason());
        health.checkedAt().ifPresent(at -> node.put("checkedAt", at.toString()));
        return node;
    }

    private static Health health(JsonNode node) {
        return new Health(Health.State.valueOf(node.get("state").asText()), node.get("check").asText(),
                node.get("reason").asText(), Optional.ofNullable(node.get("checkedAt")).map(at -> Instant.parse(
                at.asText())));
    }
}
