package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.verifarm.coordinator.problem.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Suites declared as YAML files ({@code *.yaml}, {@code *.yml}) in one directory, one suite per file. A bad file is
 * refused with its path and the field that is wrong; the other files still load.
 */
public final class SuiteFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The suites that loaded, and one message per file that did not. */
    public record Loaded(List<Suite> suites, List<String> problems) {
    }

    private SuiteFiles() {
    }

    public static Loaded load(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new Loaded(List.of(), List.of(dir + ": not a directory; no suites loaded from it"));
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            // Kubernetes mounts ConfigMap keys through ..data symlinks; the visible names are the files
            files = listing.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return new Loaded(List.of(), List.of(dir + ": cannot list: " + e.getMessage()));
        }
        List<Suite> suites = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Path> declaredIn = new HashMap<>();
        for (Path file : files) {
            try {
                Suite suite = read(file);
                Path earlier = declaredIn.putIfAbsent(suite.name(), file);
                if (earlier != null) {
                    problems.add(file + ": name: suite '" + suite.name() + "' is already declared in " + earlier);
                } else {
                    suites.add(suite);
                }
            } catch (InvalidInputException e) {
                problems.add(file + ": " + e.field() + ": " + e.getMessage());
            }
        }
        return new Loaded(suites, problems);
    }

    private static Suite read(Path file) {
        JsonNode document;
        try {
            document = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("(document)", "not YAML: " + e.getOriginalMessage()
                    + Optional.ofNullable(e.getLocation()).map(l -> " at line " + l.getLineNr()).orElse(""));
        } catch (IOException e) {
            throw new InvalidInputException("(document)", "cannot read: " + e.getMessage());
        }
        return SuiteDocument.read(document, Optional.of(file.toString()));
    }
}
