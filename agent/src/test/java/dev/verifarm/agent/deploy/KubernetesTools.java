package dev.verifarm.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.agent.testing.ExternalCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The tools the manifests are checked with: {@code kubectl kustomize} and the offline schema validator. */
final class KubernetesTools {

    private KubernetesTools() {
    }

    static List<JsonNode> kustomize(Path kubectl, Path dir) {
        var result = ExternalCommand.run(List.of(kubectl.toString(), "kustomize", dir.toString()), null, Map.of(),
                Duration.ofMinutes(2));
        assertTrue(result.succeeded(), result.describe());
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = DeployTree.YAML.getFactory().createParser(result.stdout())) {
            DeployTree.YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
        } catch (IOException e) {
            fail("kubectl kustomize printed unreadable YAML", e);
        }
        return objects;
    }

    /** Asks the offline schema validator (deploy/kubernetes/validate), when its packages are installed. */
    static void validateWithSchemas(List<JsonNode> objects, Path tmp) throws IOException {
        Path validator = DeployTree.kubernetes().resolve("validate");
        Optional<Path> node = ExternalCommand.onPath("node");
        assertTrue(node.isPresent() && Files.isDirectory(validator.resolve("node_modules/kubernetes-models")),
                "the schema validator is not installed: run deploy/install-test-deps.sh (npm ci --prefix deploy/kubernetes/validate)");
        Path input = tmp.resolve("objects.json");
        DeployTree.JSON.writeValue(input.toFile(), objects);
        var result = ExternalCommand.run(List.of(node.get().toString(), "validate.mjs", input.toString()), validator,
                Map.of(), Duration.ofMinutes(2));
        assertTrue(result.succeeded(), result.stdout() + result.describe());
        assertEquals(objects.size(), result.stdout().lines().filter(l -> l.startsWith("ok ")).count(), result.stdout());
    }

    static Set<String> kindsAndNames(List<JsonNode> objects) {
        Set<String> out = new TreeSet<>();
        objects.forEach(o -> out.add(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()));
        return out;
    }
}
