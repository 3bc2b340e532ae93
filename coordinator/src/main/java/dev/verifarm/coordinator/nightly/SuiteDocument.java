package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.Expectation;
import dev.verifarm.contract.Words;
import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.artifact.HostPaths;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.problem.ContractInput;
import dev.verifarm.coordinator.problem.InvalidInputException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The document form of a suite, the same in a YAML configuration file, a REST body and the database:
 * <pre>
 * name: go-stubs
 * schedule: "0 0 2 * * ?"          # Quartz cron, seconds first, UTC
 * deadline: 1h                     # optional: 90s, 30m, 2h or ISO-8601 (PT2H); default 1h
 * entries:
 *   - artifact: {sha256: ...}  |  {hostPath: {path: /opt/x, architecture: ARM64}}  |  {hostPath: /opt/x, architecture: ARM64}
 *     mode: STATIC | NATIVE        # default STATIC
 *     discover: false
 *     hazards: false               # scan for func values of assembly functions; a new user hazard regresses
 *     expectations: [{resolve: RESOLVER=TARGET}, {copy: RESOLVER=TARGET[@END]}]
 * </pre>
 * An expectation may also be spelled as in the jobs API: {@code {kind, resolver, target, endRule}}. Every error
 * names the field, e.g. {@code entries[1].expectations[0].copy}; unknown fields are refused, not ignored.
 */
public final class SuiteDocument {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    private SuiteDocument() {
    }

    /** Reads a suite; {@code origin} is the file that declares it, if any. */
    public static Suite read(JsonNode document, Optional<String> origin) {
        ObjectNode root = object("", document, Set.of("name", "schedule", "deadline", "entries"));
        String name = requireName("name", text("name", root.get("name")));
        CronSchedule schedule = CronSchedule.parse("schedule", text("schedule", root.get("schedule")));
        Duration deadline = root.hasNonNull("deadline") ? duration("deadline", text("deadline", root.get("deadline")))
                : Suite.DEFAULT_DEADLINE;
        JsonNode entries = root.get("entries");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw new InvalidInputException("entries", "a suite needs at least one entry (a list under entries)");
        }
        List<SuiteEntry> read = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            read.add(entry("entries[" + i + "]", entries.get(i)));
        }
        return new Suite(name, schedule, deadline, read, origin);
    }

    /** A suite name: what reports, URLs and JUnit class names carry. */
    public static String requireName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(field, "a suite name is 1 to 64 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit; got '" + name + "'");
        }
        return name;
    }

    /** The document of {@code suite}, which {@link #read} reads back to an equal suite. */
    public static ObjectNode write(Suite suite) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", suite.name());
        root.put("schedule", suite.schedule().expression());
        root.put("deadline", suite.deadline().toString());
        ArrayNode entries = root.putArray("entries");
        suite.entries().forEach(entry -> writeEntry(entries.addObject(), entry));
        return root;
    }

    /**
     * Writes one entry as {@link #read} reads it; a host path's architecture is left out when the entry has none, so
     * that reading the document refuses it with the field.
     */
    public static void writeEntry(ObjectNode e, SuiteEntry entry) {
        ObjectNode artifact = e.putObject("artifact");
        if (entry.artifact() instanceof ArtifactSource.Uploaded uploaded) {
            artifact.put("sha256", uploaded.sha256());
        } else {
            ObjectNode host = artifact.putObject("hostPath")
                    .put("path", ((ArtifactSource.HostPath) entry.artifact()).path());
            entry.architecture().ifPresent(a -> host.put("architecture", a.name()));
        }
        e.put("mode", entry.mode().name());
        e.put("discover", entry.discover());
        e.put("hazards", entry.hazards());
        ArrayNode expectations = e.putArray("expectations");
        entry.expectations().forEach(x -> expectations.addObject()
                .put(x.kind().name().toLowerCase(Locale.ROOT), x.spelling()));
    }

    private static SuiteEntry entry(String field, JsonNode node) {
        ObjectNode entry = object(field, node, Set.of("artifact", "mode", "discover", "hazards", "expectations"));
        ObjectNode artifact = object(field + ".artifact", entry.get("artifact"),
                Set.of("sha256", "hostPath", "architecture"));
        ArtifactSource source;
        Optional<Architecture> architecture = Optional.empty();
        if (artifact.has("architecture") && !(artifact.has("hostPath") && artifact.get("hostPath").isTextual())) {
            throw new InvalidInputException(field + ".artifact.architecture", "architecture goes beside a hostPath"
                    + " given as a path, or inside {path, architecture}");
        }
        if (artifact.has("sha256") == artifact.has("hostPath")) {
            throw new InvalidInputException(field + ".artifact", "give exactly one of sha256 (an uploaded artifact)"
                    + " and hostPath (a file on every agent's host)");
        } else if (artifact.has("sha256")) {
            String sha = text(field + ".artifact.sha256", artifact.get("sha256"));
            ArtifactStore.requireSha256(field + ".artifact.sha256", sha);
            source = new ArtifactSource.Uploaded(sha);
        } else {
            String hostField = field + ".artifact.hostPath";
            // a job's spelling, {hostPath: /path, architecture: arm64}, is taken too
            boolean jobForm = artifact.get("hostPath").isTextual();
            ObjectNode host = jobForm ? artifact : object(hostField, artifact.get("hostPath"), Set.of("path",
                    "architecture"));
            String pathField = jobForm ? hostField : hostField + ".path";
            String archField = jobForm ? field + ".artifact.architecture" : hostField + ".architecture";
            // the same rule as a job's, so a suite is refused when it is put, not when a nightly run fans it out
            String path = HostPaths.require(pathField, text(pathField, host.get(jobForm ? "hostPath" : "path")));
            String arch = text(archField, host.get("architecture"));
            if (arch == null) {
                throw HostPaths.architectureMissing(archField);
            }
            architecture = Optional.of(enumValue(Architecture.class, archField, arch));
            source = new ArtifactSource.HostPath(path);
        }
        ExecutionMode mode = entry.hasNonNull("mode") ? mode(field + ".mode", text(field + ".mode", entry.get("mode")))
                : ExecutionMode.STATIC;
        boolean discover = flag(field, entry, "discover");
        boolean hazards = flag(field, entry, "hazards");
        JsonNode expectationsNode = entry.get("expectations");
        if (expectationsNode != null && !expectationsNode.isNull() && !expectationsNode.isArray()) {
            throw new InvalidInputException(field + ".expectations", "expectations is a list");
        }
        List<Expectation> expectations = new ArrayList<>();
        for (int i = 0; expectationsNode != null && i < expectationsNode.size(); i++) {
            expectations.add(expectation(field + ".expectations[" + i + "]", expectationsNode.get(i)));
        }
        if (expectations.isEmpty() && !discover && !hazards) {
            throw new InvalidInputException(field + ".expectations", "an entry needs at least one expectation,"
                    + " or discover: true, or hazards: true");
        }
        return new SuiteEntry(source, architecture, mode, discover, expectations, hazards);
    }

    /** An optional true/false field of an entry; absent is false. */
    private static boolean flag(String field, ObjectNode entry, String name) {
        JsonNode node = entry.get(name);
        if (node != null && !node.isNull() && !node.isBoolean()) {
            throw new InvalidInputException(field + "." + name, name + " is true or false, got " + node);
        }
        return node != null && node.asBoolean();
    }

    private static Expectation expectation(String field, JsonNode node) {
        ObjectNode e = object(field, node, Set.of("resolve", "copy", "kind", "resolver", "target", "endRule"));
        if (e.has("kind")) {
            String kindText = text(field + ".kind", e.get("kind"));
            CheckKind kind = kindText == null ? null : enumValue(CheckKind.class, field + ".kind", kindText);
            String resolver = text(field + ".resolver", e.get("resolver"));
            String target = text(field + ".target", e.get("target"));
            String endRule = text(field + ".endRule", e.get("endRule"));
            return ContractInput.at(field, () -> Expectation.of(kind, resolver, target, endRule));
        }
        if (e.size() != 1 || !(e.has("resolve") || e.has("copy"))) {
            throw new InvalidInputException(field, "an expectation is {resolve: RESOLVER=TARGET} or"
                    + " {copy: RESOLVER=TARGET[@END]}");
        }
        CheckKind kind = e.has("resolve") ? CheckKind.RESOLVE : CheckKind.COPY;
        String spellingField = field + "." + kind.name().toLowerCase(Locale.ROOT);
        String spelling = text(spellingField, e.get(kind == CheckKind.RESOLVE ? "resolve" : "copy"));
        return ContractInput.at(spellingField, () -> Expectation.parse(kind, spelling));
    }

    private static ExecutionMode mode(String field, String text) {
        return enumValue(ExecutionMode.class, field, text);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String field, String text) {
        return ContractInput.at(field, () -> Words.parse(type, text));
    }

    private static Duration duration(String field, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        var shortForm = SHORT_DURATION.matcher(t);
        try {
            d = shortForm.matches() ? switch (shortForm.group(2)) {
                case "s" -> Duration.ofSeconds(Long.parseLong(shortForm.group(1)));
                case "m" -> Duration.ofMinutes(Long.parseLong(shortForm.group(1)));
                case "h" -> Duration.ofHours(Long.parseLong(shortForm.group(1)));
                default -> Duration.ofDays(Long.parseLong(shortForm.group(1)));
            } : Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "not a duration: '" + text + "'; e.g. 90s, 30m, 2h or PT2H");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
            throw new InvalidInputException(field, "a deadline is more than zero and at most 7 days, got " + text);
        }
        return d;
    }

    private static ObjectNode object(String field, JsonNode node, Set<String> known) {
        if (node == null || node.isNull()) {
            throw new InvalidInputException(field.isEmpty() ? "body" : field, (field.isEmpty() ? "the suite" : field)
                    + " is required");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidInputException(field.isEmpty() ? "body" : field, "expected a mapping, got " + node);
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidInputException(field.isEmpty() ? name : field + "." + name,
                        "unknown field; expected one of " + known.stream().sorted().toList());
            }
        }
        return object;
    }

    private static String text(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode() || node.isBinary()) {
            throw new InvalidInputException(field, "expected a single value, got " + node);
        }
        return node.asText();
    }
}
