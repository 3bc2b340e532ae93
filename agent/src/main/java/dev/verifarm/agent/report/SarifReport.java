package dev.verifarm.agent.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.check.vocabulary.HazardScope;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.Verdict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report as SARIF 2.1.0, the static-analysis format code-scanning services ingest: a rule per hazard scope and
 * per failing verdict, one result per user hazard and per expectation that is not MATCH, located in the binary at
 * the function (a logical location) and its address (a physical one).
 */
public final class SarifReport {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One rule: its id, what it flags and how loudly. */
    private record Rule(String id, String name, String description, String level) {
    }

    private static final List<Rule> RULES = rules();

    private SarifReport() {
    }

    private static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        out.add(new Rule(ruleId(HazardScope.USER), "FuncValueOfAssemblyFunction", "Go code takes the func value of an "
                + "assembly function: the value is the ABI wrapper's entry, not the body's, wrong for a fault range or "
                + "a copy's source", "error"));
        out.add(new Rule(ruleId(HazardScope.TOOLCHAIN), "ToolchainFuncValueOfAssemblyFunction", "Go's own packages "
                + "take the func value of one of their assembly functions, to call it", "note"));
        for (Verdict v : Verdict.values()) {
            if (!v.passed()) {
                out.add(new Rule(ruleId(v), v.name(), "an expectation's verdict is " + v.name(),
                        v == Verdict.ERROR || v == Verdict.UNRESOLVED ? "warning" : "error"));
            }
        }
        return List.copyOf(out);
    }

    private static String ruleId(HazardScope scope) {
        return "hazard/" + scope;
    }

    private static String ruleId(Verdict verdict) {
        return "verdict/" + verdict.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static String render(Report report, Path file) {
        ObjectNode root = MAPPER.createObjectNode().put("$schema", SCHEMA).put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver").put("name", "verifarm");
        ArrayNode rules = driver.putArray("rules");
        for (Rule r : RULES) {
            ObjectNode rule = rules.addObject().put("id", r.id()).put("name", r.name());
            rule.putObject("shortDescription").put("text", r.description());
            rule.putObject("defaultConfiguration").put("level", r.level());
        }
        String uri = uri(file);
        ObjectNode artifact = run.putArray("artifacts").addObject();
        artifact.putObject("location").put("uri", uri);
        report.artifact().ifPresent(a -> artifact.putObject("hashes").put("sha-256", a.sha256()));
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", report.error().isEmpty() && report.hazardsError().isEmpty());
        ArrayNode notes = invocation.putArray("toolExecutionNotifications");
        report.error().ifPresent(e -> notes.addObject().put("level", "error").putObject("message").put("text", e));
        report.hazardsError().ifPresent(e -> notes.addObject().put("level", "error").putObject("message").put("text", e));
        ArrayNode results = run.putArray("results");
        for (Hazard h : report.userHazards()) {
            String text = h.function() + " is taken as a Go func value in " + String.join(", ", h.takenIn())
                    + ": that value is its ABI wrapper at " + h.wrapper() + ", not its body at " + h.body()
                    + h.usedAsAddress().map(u -> "; used as an address: " + u).orElse("")
                    + h.fix().map(f -> ". Fix: a resolver stub " + f.stub() + "(), proven by " + f.expectations().get(0))
                    .orElse("");
            result(results, ruleId(HazardScope.USER), "error", text, uri, h.function(), Optional.of(h.wrapper()));
        }
        for (CheckResult r : report.results()) {
            if (!r.verdict().passed()) {
                String name = r.expectation().kind().name().toLowerCase(Locale.ROOT) + " " + r.expectation().resolver()
                        + "=" + r.expectation().target();
                result(results, ruleId(r.verdict()), r.verdict() == Verdict.ERROR ? "warning" : "error",
                        name + ": " + r.verdict() + ": " + r.reason(), uri, r.expectation().target(),
                        r.evidence().resolved());
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    private static void result(ArrayNode results, String ruleId, String level, String text, String uri,
                               String function, Optional<Location> address) {
        ObjectNode result = results.addObject().put("ruleId", ruleId)
                .put("ruleIndex", RULES.stream().map(Rule::id).toList().indexOf(ruleId)).put("level", level);
        result.putObject("message").put("text", text);
        ObjectNode location = result.putArray("locations").addObject();
        ObjectNode physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri).put("index", 0);
        address.ifPresent(at -> {
            ObjectNode a = physical.putObject("address").put("absoluteAddress", at.address()).put("kind", "function");
            at.symbol().ifPresent(s -> a.put("fullyQualifiedName", s.toString()));
        });
        location.putArray("logicalLocations").addObject().put("fullyQualifiedName", function).put("kind", "function");
    }

    /** The artifact as a URI: a file URI when absolute, else relative to where the tool ran, as SARIF allows. */
    private static String uri(Path file) {
        return file.isAbsolute() ? file.toUri().toString() : file.toString().replace('\\', '/');
    }
}
