package dev.verifarm.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.agent.testing.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.verifarm.agent.deploy.DeployTree.base;
import static dev.verifarm.agent.deploy.DeployTree.container;
import static dev.verifarm.agent.deploy.DeployTree.find;
import static dev.verifarm.agent.deploy.DeployTree.named;
import static dev.verifarm.agent.deploy.DeployTree.option;
import static dev.verifarm.agent.deploy.DeployTree.podSpec;
import static dev.verifarm.agent.deploy.DeployTree.require;
import static dev.verifarm.agent.deploy.DeployTree.severalCoordinators;
import static dev.verifarm.agent.deploy.DeployTree.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/overlays/several-coordinators, rendered by kubectl kustomize: two coordinator replicas on the
 * base's PostgreSQL that share no volume, reached by the agents through the one Service name.
 */
class SeveralCoordinatorsOverlayTest {
    private static final List<JsonNode> OVERLAY = render();

    private static List<JsonNode> render() {
        Optional<Path> kubectl = ExternalCommand.onPath("kubectl");
        assertTrue(kubectl.isPresent(), "kubectl (with its built-in kustomize v5) is not installed");
        return KubernetesTools.kustomize(kubectl.get(), severalCoordinators());
    }

    private static JsonNode coordinator() {
        return require(OVERLAY, "Deployment", "coordinator");
    }

    @Test
    void theOverlayBuildsOnTheBaseAndUsesEveryFileOfItsDirectory() {
        JsonNode kustomization = DeployTree.kustomization(severalCoordinators());
        List<String> resources = strings(kustomization.path("resources"));
        assertEquals("../../base", resources.get(0));
        List<String> used = new ArrayList<>(resources.subList(1, resources.size()));
        kustomization.path("patches").forEach(p -> used.add(p.path("path").asText()));
        assertEquals(new TreeSet<>(DeployTree.yamlFilesIn(severalCoordinators())), new TreeSet<>(used));
    }

    @Test
    void twoCoordinatorReplicasRollOneAtATimeAndKeepNoVolumeTheOtherNeeds() {
        JsonNode deployment = coordinator();
        assertEquals(2, deployment.path("spec").path("replicas").asInt());
        assertEquals("RollingUpdate", deployment.path("spec").path("strategy").path("type").asText());
        for (JsonNode volume : podSpec(deployment).path("volumes")) {
            assertFalse(volume.has("persistentVolumeClaim"), "a coordinator volume is a claim: " + volume);
        }
        JsonNode data = named(podSpec(deployment).path("volumes"), "data").orElseThrow();
        assertTrue(data.has("emptyDir"), "the data directory is a cache: " + data);
        String dataDir = named(container(deployment, "coordinator").path("env"), "VERIFARM_DATA_DIR").orElseThrow()
                .path("value").asText();
        assertEquals(dataDir, named(container(deployment, "coordinator").path("volumeMounts"), "data").orElseThrow()
                .path("mountPath").asText());
        assertTrue(find(OVERLAY, "PersistentVolumeClaim", "coordinator-data").isEmpty());
        Set<String> kinds = KubernetesTools.kindsAndNames(OVERLAY);
        Set<String> expected = new TreeSet<>(KubernetesTools.kindsAndNames(DeployTree.render(base())));
        expected.remove("PersistentVolumeClaim/coordinator-data");
        expected.add("PodDisruptionBudget/coordinator");
        assertEquals(expected, kinds);
    }

    @Test
    void aDisruptionTakesAtMostOneCoordinatorOfTheNamespace() {
        JsonNode budget = require(OVERLAY, "PodDisruptionBudget", "coordinator");
        assertEquals("verifarm", budget.path("metadata").path("namespace").asText());
        assertEquals(1, budget.path("spec").path("minAvailable").asInt());
        assertEquals(coordinator().path("spec").path("template").path("metadata").path("labels")
                        .path("app.kubernetes.io/name").asText(),
                budget.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText());
    }

    @Test
    void theAgentsReachEveryReplicaThroughTheServiceName() {
        JsonNode service = require(OVERLAY, "Service", "coordinator");
        String selected = service.path("spec").path("selector").path("app.kubernetes.io/name").asText();
        assertEquals(selected, coordinator().path("spec").path("template").path("metadata").path("labels")
                .path("app.kubernetes.io/name").asText());
        for (String arch : List.of("amd64", "arm64")) {
            String dialled = option(container(require(OVERLAY, "DaemonSet", "agent-" + arch), "agent"),
                    "--coordinator");
            assertEquals(service.path("metadata").path("name").asText() + ":9090", dialled);
        }
    }

    @Test
    void theOverlayMatchesTheKubernetesSchemas(@TempDir Path tmp) throws IOException {
        KubernetesTools.validateWithSchemas(OVERLAY, tmp);
    }
}
