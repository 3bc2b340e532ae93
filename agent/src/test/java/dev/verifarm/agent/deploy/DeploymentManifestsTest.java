package dev.verifarm.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.cli.RunArguments;
import dev.verifarm.agent.testing.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.verifarm.agent.deploy.DeployTree.base;
import static dev.verifarm.agent.deploy.DeployTree.container;
import static dev.verifarm.agent.deploy.DeployTree.document;
import static dev.verifarm.agent.deploy.DeployTree.externalPostgres;
import static dev.verifarm.agent.deploy.DeployTree.find;
import static dev.verifarm.agent.deploy.DeployTree.named;
import static dev.verifarm.agent.deploy.DeployTree.option;
import static dev.verifarm.agent.deploy.DeployTree.podSpec;
import static dev.verifarm.agent.deploy.DeployTree.render;
import static dev.verifarm.agent.deploy.DeployTree.require;
import static dev.verifarm.agent.deploy.DeployTree.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/ as a specification: the Kubernetes manifests, the systemd units and the container recipes agree
 * with each other and with the agent's and coordinator's real options. Where kubectl, node (with the
 * validator's packages) or systemd-analyze are on the machine, their verdicts are asked for too.
 */
class DeploymentManifestsTest {
    private static final String AGENT_JAR = "/opt/verifarm/agent/verifarm-agent.jar";
    private static final String COORDINATOR_JAR = "/opt/verifarm/coordinator/quarkus-app/quarkus-run.jar";
    /** The options of {@code verifarm-agent run} that take a value, as its command line declares them. */
    private static final Set<String> RUN_OPTIONS = RunArguments.optionsTakingValues();
    /** What a probe's sandbox takes of root; see verifarm-agent.service for why each. */
    private static final Set<String> PROBE_CAPABILITIES =
            Set.of("SYS_ADMIN", "SYS_PTRACE", "SETUID", "SETGID", "CHOWN", "DAC_OVERRIDE", "KILL");

    private static final List<JsonNode> BASE = render(base());

    private static JsonNode agent(String arch) {
        return require(BASE, "DaemonSet", "agent-" + arch);
    }

    private static JsonNode coordinator() {
        return require(BASE, "Deployment", "coordinator");
    }

    private static JsonNode coordinatorService() {
        return require(BASE, "Service", "coordinator");
    }

    private static JsonNode servicePort(JsonNode service, String name) {
        return named(service.path("spec").path("ports"), name)
                .orElseThrow(() -> new AssertionError("Service has no port " + name));
    }

    @Test
    void everyKubernetesYamlFileParsesIntoObjectsWithKindAndName() {
        List<Path> files = DeployTree.kubernetesYamlFiles();
        assertTrue(files.size() >= 10, "found only " + files);
        for (Path file : files) {
            List<JsonNode> docs = DeployTree.documents(file);
            assertFalse(docs.isEmpty(), file + " is empty");
            for (JsonNode doc : docs) {
                boolean kustomization = file.getFileName().toString().equals("kustomization.yaml");
                assertTrue(doc.hasNonNull("apiVersion") && doc.hasNonNull("kind"), file + ": no apiVersion/kind");
                assertTrue(kustomization || doc.path("metadata").hasNonNull("name"), file + ": no metadata.name");
            }
        }
    }

    @Test
    void baseKustomizationListsEveryFileOfItsDirectoryAndNothingElse() {
        List<String> listed = strings(DeployTree.kustomization(base()).path("resources"));
        assertEquals(new TreeSet<>(DeployTree.yamlFilesIn(base())), new TreeSet<>(listed));
        assertEquals(listed.size(), new HashSet<>(listed).size(), "a resource is listed twice: " + listed);
        assertEquals("verifarm", DeployTree.kustomization(base()).path("namespace").asText());
        assertEquals("verifarm", require(BASE, "Namespace", "verifarm").path("metadata").path("name").asText());
    }

    @Test
    void externalPostgresOverlayBuildsOnTheBaseAndReferencesEveryFileOfItsDirectory() {
        JsonNode kustomization = DeployTree.kustomization(externalPostgres());
        assertEquals(List.of("../../base"), strings(kustomization.path("resources")));
        assertTrue(Files.isRegularFile(externalPostgres().resolve("../../base/kustomization.yaml").normalize()));
        List<String> patches = new ArrayList<>();
        kustomization.path("patches").forEach(p -> patches.add(p.path("path").asText()));
        assertEquals(new TreeSet<>(DeployTree.yamlFilesIn(externalPostgres())), new TreeSet<>(patches));
    }

    @Test
    void externalPostgresOverlayDeletesExactlyTheDatabaseAndPatchesOnlyWhatTheBaseHas() {
        Set<String> deleted = new TreeSet<>();
        for (String file : DeployTree.yamlFilesIn(externalPostgres())) {
            JsonNode patch = document(externalPostgres().resolve(file));
            String kind = patch.path("kind").asText();
            String name = patch.path("metadata").path("name").asText();
            assertTrue(find(BASE, kind, name).isPresent(), file + " patches " + kind + " " + name + ", not in the base");
            if (patch.path("$patch").asText().equals("delete")) {
                deleted.add(kind + "/" + name);
            }
        }
        assertEquals(Set.of("StatefulSet/postgres", "Service/postgres"), deleted);

        JsonNode patched = container(document(externalPostgres().resolve("coordinator-database.yaml")), "coordinator");
        String url = named(patched.path("env"), "QUARKUS_DATASOURCE_JDBC_URL").orElseThrow().path("value").asText();
        assertTrue(url.startsWith("jdbc:postgresql://") && !url.contains("//postgres:"), url);
        assertTrue(named(container(coordinator(), "coordinator").path("env"), "QUARKUS_DATASOURCE_JDBC_URL").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void agentDaemonSetRunsOnlyOnNodesOfItsArchitectureAndServesIt(String arch) {
        JsonNode agent = agent(arch);
        assertEquals(Map.of("kubernetes.io/arch", arch),
                DeployTree.JSON.convertValue(podSpec(agent).path("nodeSelector"), Map.class));
        assertEquals(arch, option(container(agent, "agent"), "--architectures"));
        assertEquals("ghcr.io/verifarm/agent:0.1.0", container(agent, "agent").path("image").asText());
    }

    @Test
    void agentDaemonSetsDifferOnlyInTheirArchitecture() {
        String amd64 = agent("amd64").toString();
        String arm64AsAmd64 = agent("arm64").toString().replace("amd64", "\0").replace("arm64", "amd64")
                .replace("\0", "arm64");
        assertEquals(amd64, arm64AsAmd64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void agentRunsWithOnlyRealRunOptionsAndReachesTheCoordinatorServiceGrpcPort(String arch) {
        JsonNode agent = container(agent(arch), "agent");
        List<String> args = strings(agent.path("args"));
        assertEquals("run", args.get(0));
        for (int i = 1; i < args.size(); i += 2) {
            assertTrue(RUN_OPTIONS.contains(args.get(i)), "not a run option: " + args.get(i) + " in " + args);
        }
        String coordinator = option(agent, "--coordinator");
        String host = coordinator.substring(0, coordinator.lastIndexOf(':'));
        int port = Integer.parseInt(coordinator.substring(coordinator.lastIndexOf(':') + 1));
        JsonNode service = coordinatorService();
        String serviceName = service.path("metadata").path("name").asText();
        assertTrue(host.equals(serviceName) || host.startsWith(serviceName + ".verifarm."), host);
        assertEquals(servicePort(service, "grpc").path("port").asInt(), port);
        assertEquals(9090, port, "the coordinator's quarkus.grpc.server.port");
        assertTrue(Integer.parseInt(option(agent, "--max-concurrency")) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void agentCacheVolumeIsMountedWhereCacheDirPointsAndLivesOnTheNode(String arch) {
        JsonNode agent = agent(arch);
        String cacheDir = option(container(agent, "agent"), "--cache-dir");
        JsonNode mount = null;
        for (JsonNode m : container(agent, "agent").path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(cacheDir)) {
                mount = m;
            }
        }
        assertTrue(mount != null, "nothing is mounted at --cache-dir " + cacheDir);
        assertFalse(mount.path("readOnly").asBoolean(), "the cache must be writable");
        JsonNode volume = named(podSpec(agent).path("volumes"), mount.path("name").asText()).orElseThrow();
        assertEquals("/var/lib/verifarm/agent/cache", volume.path("hostPath").path("path").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void agentMayCreateNetworkNamespacesAndDropProbesToNobodyAsRoot(String arch) {
        JsonNode security = container(agent(arch), "agent").path("securityContext");
        assertEquals(0, security.path("runAsUser").asInt());
        assertEquals(List.of("ALL"), strings(security.path("capabilities").path("drop")));
        assertEquals(PROBE_CAPABILITIES, new TreeSet<>(strings(security.path("capabilities").path("add"))));
        // the API server refuses SYS_ADMIN together with allowPrivilegeEscalation: false
        assertNotEquals("false", security.path("allowPrivilegeEscalation").asText());
        assertEquals("privileged", require(BASE, "Namespace", "verifarm").path("metadata").path("labels")
                .path("pod-security.kubernetes.io/enforce").asText());
    }

    @Test
    void coordinatorProbesHitTheQuarkusHealthEndpointsOnTheServiceHttpPort() {
        JsonNode coordinator = container(coordinator(), "coordinator");
        assertEquals("/q/health/ready", coordinator.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", coordinator.path("livenessProbe").path("httpGet").path("path").asText());
        int http = containerPort(coordinator, servicePort(coordinatorService(), "http").path("targetPort").asText());
        assertEquals(8080, http, "the coordinator's quarkus.http.port");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertEquals(http, containerPort(coordinator, coordinator.path(probe).path("httpGet").path("port").asText()),
                    probe + " is not on the Service's http port");
        }
        assertEquals(9090, containerPort(coordinator,
                servicePort(coordinatorService(), "grpc").path("targetPort").asText()));
        assertEquals("ghcr.io/verifarm/coordinator:0.1.0", coordinator.path("image").asText());
    }

    @Test
    void everyServiceTargetsPortsThatTheContainersItSelectsDeclare() {
        for (JsonNode service : BASE.stream().filter(o -> o.path("kind").asText().equals("Service")).toList()) {
            Map<?, ?> selector = DeployTree.JSON.convertValue(service.path("spec").path("selector"), Map.class);
            List<JsonNode> selected = BASE.stream().filter(o -> podSpec(o).has("containers"))
                    .filter(o -> DeployTree.JSON.convertValue(o.path("spec").path("template").path("metadata")
                            .path("labels"), Map.class).entrySet().containsAll(selector.entrySet())).toList();
            String name = service.path("metadata").path("name").asText();
            assertEquals(1, selected.size(), "Service " + name + " selects " + selected.size() + " workloads");
            for (JsonNode port : service.path("spec").path("ports")) {
                String target = port.path("targetPort").asText();
                boolean declared = false;
                for (JsonNode c : podSpec(selected.get(0)).path("containers")) {
                    declared |= containerPortIfAny(c, target).isPresent();
                }
                assertTrue(declared, "Service " + name + " targets " + target + ", which no container declares");
            }
        }
    }

    @Test
    void everySecretConfigMapAndClaimThatPodsUseExistsOrIsAnOptionalPlaceholder() {
        Set<String> optionalSecrets = new TreeSet<>();
        for (JsonNode workload : BASE.stream().filter(o -> podSpec(o).has("containers")).toList()) {
            for (JsonNode volume : podSpec(workload).path("volumes")) {
                if (volume.has("secret")) {
                    String secret = volume.path("secret").path("secretName").asText();
                    if (volume.path("secret").path("optional").asBoolean()) {
                        optionalSecrets.add(secret);
                    } else {
                        require(BASE, "Secret", secret);
                    }
                }
                if (volume.has("configMap")) {
                    require(BASE, "ConfigMap", volume.path("configMap").path("name").asText());
                }
                if (volume.has("persistentVolumeClaim")) {
                    require(BASE, "PersistentVolumeClaim", volume.path("persistentVolumeClaim").path("claimName").asText());
                }
            }
            for (JsonNode c : podSpec(workload).path("containers")) {
                c.findValues("secretKeyRef").forEach(ref -> {
                    JsonNode secret = require(BASE, "Secret", ref.path("name").asText());
                    assertTrue(secret.path("stringData").has(ref.path("key").asText()), "no key " + ref);
                });
                c.path("envFrom").forEach(ref -> require(BASE, "Secret", ref.path("secretRef").path("name").asText()));
            }
        }
        assertEquals(Set.of("verifarm-agent-token", "verifarm-agent-tls", "verifarm-coordinator-tls"), optionalSecrets);
        optionalSecrets.forEach(s -> assertTrue(find(BASE, "Secret", s).isEmpty(), s + " must stay a placeholder"));
    }

    @Test
    void coordinatorReadsTheNightlySuitesWhereTheConfigMapIsMounted() {
        JsonNode coordinator = container(coordinator(), "coordinator");
        String dir = named(coordinator.path("env"), "VERIFARM_NIGHTLY_SUITES_DIR").orElseThrow().path("value").asText();
        assertEquals("/etc/verifarm/suites", dir);
        JsonNode mount = named(coordinator.path("volumeMounts"), "nightly-suites").orElseThrow();
        assertEquals(dir, mount.path("mountPath").asText());
        String data = named(coordinator.path("env"), "VERIFARM_DATA_DIR").orElseThrow().path("value").asText();
        assertEquals(data, named(coordinator.path("volumeMounts"), "data").orElseThrow().path("mountPath").asText());
    }

    @Test
    void nightlySuitesAreWellFormedWithExpectationsTheAgentParses() {
        JsonNode suites = require(BASE, "ConfigMap", "verifarm-nightly-suites").path("data");
        assertTrue(suites.size() > 0);
        Set<String> modes = new HashSet<>(Arrays.stream(ExecutionMode.values()).map(Enum::name).toList());
        suites.fields().forEachRemaining(file -> {
            assertTrue(file.getKey().endsWith(".yaml"), file.getKey());
            JsonNode suite = DeployTree.yaml(file.getValue().asText());
            assertFalse(suite.path("name").asText().isBlank(), file.getKey() + ": no name");
            int cronFields = suite.path("schedule").asText().trim().split("\\s+").length;
            assertTrue(cronFields == 6 || cronFields == 7, file.getKey() + ": not a Quartz cron expression");
            assertTrue(suite.path("entries").size() > 0, file.getKey() + ": no entries");
            for (JsonNode entry : suite.path("entries")) {
                JsonNode artifact = entry.path("artifact");
                assertEquals(1, artifact.size(), "one of sha256 or hostPath: " + artifact);
                if (artifact.has("sha256")) {
                    assertTrue(artifact.path("sha256").asText().matches("[0-9a-f]{64}"), artifact.toString());
                } else {
                    JsonNode hostPath = artifact.path("hostPath");
                    assertTrue(hostPath.path("path").asText().startsWith("/"), hostPath.toString());
                    assertTrue(Set.of("AMD64", "ARM64").contains(hostPath.path("architecture").asText()), hostPath.toString());
                }
                assertTrue(modes.contains(entry.path("mode").asText()), "mode " + entry.path("mode"));
                assertTrue(entry.path("expectations").size() > 0);
                for (JsonNode expectation : entry.path("expectations")) {
                    assertEquals(1, expectation.size(), expectation.toString());
                    String kind = expectation.fieldNames().next();
                    dev.verifarm.contract.Expectation.parse(
                            dev.verifarm.contract.CheckKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)),
                            expectation.path(kind).asText());
                }
            }
        });
    }

    @Test
    void systemdUnitsStartTheJarsWhereTheReadmeInstallsThem() throws IOException {
        String readme = Files.readString(DeployTree.dir().resolve("README.md"));
        Map<String, String> jars = Map.of("verifarm-agent.service", AGENT_JAR,
                "verifarm-coordinator.service", COORDINATOR_JAR);
        for (var unitAndJar : jars.entrySet()) {
            var unit = DeployTree.unit(DeployTree.dir().resolve("systemd").resolve(unitAndJar.getKey()));
            assertEquals(Set.of("Unit", "Service", "Install"), unit.keySet(), unitAndJar.getKey());
            Map<String, List<String>> service = unit.get("Service");
            String exec = single(service, "ExecStart");
            assertTrue(exec.startsWith("/usr/bin/java ") && exec.contains(" -jar " + unitAndJar.getValue() + " ")
                    || exec.endsWith(" -jar " + unitAndJar.getValue()), exec);
            assertTrue(readme.contains(unitAndJar.getValue()), "the README does not install " + unitAndJar.getValue());
            assertTrue(readme.contains(unitAndJar.getKey()), "the README does not install " + unitAndJar.getKey());
            assertEquals("always", single(service, "Restart"));
            assertEquals(List.of("multi-user.target"), unit.get("Install").get("WantedBy"));
        }
    }

    @Test
    void agentUnitRunsAsRootWithExactlyTheProbeCapabilitiesAndCachesUnderItsStateDirectory() {
        Map<String, List<String>> service = DeployTree.unit(DeployTree.dir().resolve("systemd/verifarm-agent.service"))
                .get("Service");
        assertEquals("root", single(service, "User"));
        Set<String> bounding = new TreeSet<>();
        for (String cap : single(service, "CapabilityBoundingSet").split("\\s+")) {
            bounding.add(cap.replaceFirst("^CAP_", ""));
        }
        assertEquals(PROBE_CAPABILITIES, bounding);
        assertEquals("net", single(service, "RestrictNamespaces"), "unshare --net must stay allowed");
        assertFalse(service.containsKey("PrivateNetwork"));
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "the JIT and qemu-user need W+X memory");
        String exec = single(service, "ExecStart");
        List<String> words = List.of(exec.split("\\s+"));
        String cacheDir = words.get(words.indexOf("--cache-dir") + 1);
        assertEquals("/var/lib/" + single(service, "StateDirectory") + "/cache", cacheDir);
        assertEquals(cacheDir, option(container(agent("amd64"), "agent"), "--cache-dir"),
                "bare-metal and Kubernetes agents keep their cache at the same host path");
        assertTrue(exec.contains(" run --coordinator ${VERIFARM_COORDINATOR} "), exec);
        assertEquals(option(container(agent("amd64"), "agent"), "--host-path-root"),
                words.get(words.indexOf("--host-path-root") + 1),
                "bare-metal and Kubernetes agents read host paths under the same directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void suitesNameHostPathsOnlyUnderTheAgentsRootWhichIsTheMountedArtifactsDirectory(String arch) {
        JsonNode container = container(agent(arch), "agent");
        String root = option(container, "--host-path-root");
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertTrue(mounts.contains(root), root + " is not mounted: " + mounts);
        require(BASE, "ConfigMap", "verifarm-nightly-suites").path("data").forEach(file -> {
            for (JsonNode entry : DeployTree.yaml(file.asText()).path("entries")) {
                String path = entry.path("artifact").path("hostPath").path("path").asText(root + "/");
                assertTrue(path.startsWith(root + "/"), path + " is outside the agents' --host-path-root " + root);
            }
        });
    }

    @Test
    void coordinatorUnitRunsAsItsOwnUserWithItsDataInItsStateDirectory() {
        Map<String, List<String>> service =
                DeployTree.unit(DeployTree.dir().resolve("systemd/verifarm-coordinator.service")).get("Service");
        assertEquals("verifarm", single(service, "User"));
        assertEquals("", single(service, "CapabilityBoundingSet"));
        assertEquals("yes", single(service, "NoNewPrivileges"));
        assertTrue(service.get("Environment").contains(
                "VERIFARM_DATA_DIR=/var/lib/" + single(service, "StateDirectory")), service.get("Environment").toString());
    }

    @Test
    void containerRecipesInstallTheJarsWhereTheUnitsAndManifestsExpectThem() throws IOException {
        String agent = Files.readString(DeployTree.dir().resolve("container/Containerfile.agent"));
        String coordinator = Files.readString(DeployTree.dir().resolve("container/Containerfile.coordinator"));
        assertTrue(agent.contains("COPY --chown=root:root agent/target/verifarm-agent.jar " + AGENT_JAR), agent);
        // the image runs on the manifests' PostgreSQL, so it carries the coordinator built for it
        assertTrue(coordinator.contains("COPY --chown=root:root coordinator/target/postgresql/"
                + " /opt/verifarm/coordinator/quarkus-app/"), coordinator);
        for (String pkg : List.of("openjdk-17-jre-headless", "libcapstone4", "util-linux", "qemu-user-static")) {
            assertTrue(agent.contains(pkg), "the agent image lacks " + pkg);
        }
        assertTrue(agent.startsWith("#") && agent.contains("FROM debian:bookworm-slim"));
        assertTrue(coordinator.contains("FROM debian:bookworm-slim"));
        String uid = String.valueOf(podSpec(coordinator()).path("securityContext").path("runAsUser").asInt());
        assertTrue(coordinator.contains("--uid " + uid), "the image's user is not the pod's runAsUser " + uid);
    }

    @Test
    void thePostgresqlCoordinatorRunsWithC1OnlyInTheImageAndTheManifests() throws IOException {
        // on PostgreSQL the coordinator's own code is glue, and C2 costs more CPU than it saves (docs/scaling.md)
        String image = Files.readString(DeployTree.dir().resolve("container/Containerfile.coordinator"));
        assertTrue(image.contains("JAVA_OPTS=\"-XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1\""), image);
        String options = named(container(coordinator(), "coordinator").path("env"), "JAVA_OPTS").orElseThrow()
                .path("value").asText();
        assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1"), List.of(options.split(" ")));
    }

    @Test
    void baseObjectsMatchTheKubernetesSchemas(@TempDir Path tmp) throws IOException {
        KubernetesTools.validateWithSchemas(BASE, tmp);
    }

    @Test
    void kubectlKustomizeRendersTheBaseAsListedAndTheOverlayWithoutTheDatabase(@TempDir Path tmp) throws IOException {
        Optional<Path> kubectl = ExternalCommand.onPath("kubectl");
        assertTrue(kubectl.isPresent(), "kubectl (with its built-in kustomize v5) is not installed; Debian's "
                + "kubernetes-client 1.20 is too old for these kustomizations");
        List<JsonNode> base = KubernetesTools.kustomize(kubectl.get(), base());
        assertEquals(KubernetesTools.kindsAndNames(BASE), KubernetesTools.kindsAndNames(base));
        List<JsonNode> overlay = KubernetesTools.kustomize(kubectl.get(), externalPostgres());
        Set<String> expected = KubernetesTools.kindsAndNames(BASE);
        expected.removeAll(Set.of("StatefulSet/postgres", "Service/postgres"));
        assertEquals(expected, KubernetesTools.kindsAndNames(overlay));
        String url = named(container(require(overlay, "Deployment", "coordinator"), "coordinator").path("env"),
                "QUARKUS_DATASOURCE_JDBC_URL").orElseThrow().path("value").asText();
        assertTrue(url.startsWith("jdbc:postgresql://db.example.internal:"), url);
        KubernetesTools.validateWithSchemas(overlay, tmp);
    }

    @Test
    void systemdAnalyzeFindsNothingWrongWithTheUnits() {
        Optional<Path> analyze = ExternalCommand.onPath("systemd-analyze");
        assertTrue(analyze.isPresent(), "systemd-analyze is not installed: apt-get install systemd");
        for (String unit : List.of("verifarm-agent.service", "verifarm-coordinator.service")) {
            Path file = DeployTree.dir().resolve("systemd").resolve(unit);
            var result = ExternalCommand.run(List.of(analyze.get().toString(), "verify", file.toString()), null,
                    Map.of(), Duration.ofMinutes(1));
            // verify exits 0 even for unknown keys; what it says on stderr is the finding
            assertTrue(result.succeeded() && result.stderr().isBlank(), result.describe());
        }
    }

    private static String single(Map<String, List<String>> section, String key) {
        List<String> values = section.get(key);
        assertTrue(values != null && values.size() == 1, key + " is not given exactly once: " + values);
        return values.get(0);
    }

    private static int containerPort(JsonNode container, String nameOrNumber) {
        return containerPortIfAny(container, nameOrNumber).orElseThrow(() -> new AssertionError(
                container.path("name").asText() + " declares no port " + nameOrNumber));
    }

    private static Optional<Integer> containerPortIfAny(JsonNode container, String nameOrNumber) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(nameOrNumber)
                    || String.valueOf(port.path("containerPort").asInt()).equals(nameOrNumber)) {
                return Optional.of(port.path("containerPort").asInt());
            }
        }
        return Optional.empty();
    }
}
