package dev.verifarm.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.verifarm.agent.testing.AgentModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The repository's {@code deploy/} directory, read as data: YAML documents, kustomizations, systemd units.
 * Kustomize itself is not reproduced; {@link #render} lists a plain kustomization's resources with its
 * namespace set, which is all the base uses.
 */
final class DeployTree {
    static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployTree() {
    }

    /** {@code deploy/} beside the agent module. */
    static Path dir() {
        return AgentModule.dir().resolveSibling("deploy");
    }

    static Path kubernetes() {
        return dir().resolve("kubernetes");
    }

    static Path base() {
        return kubernetes().resolve("base");
    }

    static Path externalPostgres() {
        return kubernetes().resolve("overlays").resolve("external-postgres");
    }

    static Path severalCoordinators() {
        return kubernetes().resolve("overlays").resolve("several-coordinators");
    }

    /** Every YAML file of the Kubernetes manifests (the validator's node_modules excluded). */
    static List<Path> kubernetesYamlFiles() {
        try (Stream<Path> files = Files.walk(kubernetes())) {
            return files.filter(p -> !p.toString().contains("node_modules"))
                    .filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The YAML files of one kustomization directory, not counting kustomization.yaml. */
    static List<String> yamlFilesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a (possibly multi-document) YAML file. */
    static List<JsonNode> documents(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode document(Path file) {
        List<JsonNode> docs = documents(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " has " + docs.size() + " documents, expected one");
        }
        return docs.get(0);
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode kustomization(Path dir) {
        return document(dir.resolve("kustomization.yaml"));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The objects a plain kustomization yields: its resources' documents, in its namespace. */
    static List<JsonNode> render(Path dir) {
        JsonNode kustomization = kustomization(dir);
        String namespace = kustomization.path("namespace").asText();
        List<JsonNode> objects = new ArrayList<>();
        for (String resource : strings(kustomization.path("resources"))) {
            for (JsonNode doc : documents(dir.resolve(resource))) {
                ObjectNode copy = doc.deepCopy();
                if (!namespace.isEmpty() && !copy.path("kind").asText().equals("Namespace")) {
                    ((ObjectNode) copy.get("metadata")).put("namespace", namespace);
                }
                objects.add(copy);
            }
        }
        return objects;
    }

    static Optional<JsonNode> find(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind))
                .filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    static JsonNode require(List<JsonNode> objects, String kind, String name) {
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static JsonNode container(JsonNode workload, String name) {
        for (JsonNode c : podSpec(workload).path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(workload.path("metadata").path("name").asText() + " has no container " + name);
    }

    /** A list's element whose {@code name} is {@code name}, as Kubernetes keys ports, env and volumes. */
    static Optional<JsonNode> named(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.path("name").asText().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The value following {@code option} in a container's args. */
    static String option(JsonNode container, String option) {
        List<String> args = strings(container.path("args"));
        int i = args.indexOf(option);
        if (i < 0 || i + 1 >= args.size()) {
            throw new AssertionError("no " + option + " VALUE in " + args);
        }
        return args.get(i + 1);
    }

    /**
     * A systemd unit as sections of keys, each key with every value it was given. Comments and blank lines
     * are skipped; anything else that is neither {@code [Section]} nor {@code Key=Value} is an error.
     */
    static Map<String, Map<String, List<String>>> unit(Path file) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0 || line.endsWith("\\")) {
                throw new AssertionError(file.getFileName() + ":" + (i + 1) + ": not Key=Value in a section: " + line);
            }
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return sections;
    }
}
