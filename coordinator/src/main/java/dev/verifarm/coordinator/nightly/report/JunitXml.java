package dev.verifarm.coordinator.nightly.report;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A report as JUnit XML, the shape CI systems ingest: one {@code <testsuite>} per suite entry, one
 * {@code <testcase>} per agent × expectation, {@code <failure>} for a verdict other than MATCH, {@code <error>} for
 * a check that could not be judged and for an agent that was expected but absent.
 */
public final class JunitXml {

    private JunitXml() {
    }

    public static String write(NightlyReport report) {
        Map<String, List<MatrixRow>> byEntry = new LinkedHashMap<>();
        report.matrix().forEach(row -> byEntry.computeIfAbsent(row.entryLabel(), k -> new ArrayList<>())
                .add(row));
        report.absent().forEach(a -> byEntry.computeIfAbsent(a.entryLabel(), k -> new ArrayList<>()));
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "verifarm nightly " + report.suite());
            xml.writeAttribute("tests", String.valueOf(report.matrix().size() + report.absent().size()));
            xml.writeAttribute("failures", String.valueOf(report.summary().failed()));
            xml.writeAttribute("errors", String.valueOf(report.summary().errors() + report.absent().size()));
            xml.writeAttribute("time", seconds(report));
            xml.writeAttribute("timestamp", report.startedAt().toString());
            for (Map.Entry<String, List<MatrixRow>> entry : byEntry.entrySet()) {
                testsuite(xml, report, entry.getKey(), entry.getValue());
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void testsuite(XMLStreamWriter xml, NightlyReport report, String entryLabel, List<MatrixRow> rows)
            throws XMLStreamException {
        List<AbsentAgent> absent = report.absent().stream().filter(a -> a.entryLabel().equals(entryLabel)).toList();
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", report.suite() + " " + entryLabel);
        xml.writeAttribute("tests", String.valueOf(rows.size() + absent.size()));
        xml.writeAttribute("failures", String.valueOf(rows.stream().filter(r -> r.outcome().failed()).count()));
        xml.writeAttribute("errors", String.valueOf(rows.stream().filter(r -> r.outcome().errored()).count()
                + absent.size()));
        xml.writeAttribute("skipped", "0");
        xml.writeAttribute("time", seconds(report));
        xml.writeAttribute("timestamp", report.startedAt().toString());
        xml.writeStartElement("properties");
        property(xml, "verifarm.run", report.runId());
        property(xml, "verifarm.trigger", report.trigger());
        property(xml, "verifarm.scheduled-for", report.scheduledFor().toString());
        xml.writeEndElement();
        for (MatrixRow row : rows) {
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", report.suite() + "." + entryLabel);
            xml.writeAttribute("name", row.agent().map(a -> a + " (" + row.agentArchitecture().map(JunitXml::goName)
                            .orElse("?") + ")")
                    .orElse("no agent") + ": " + row.expectation());
            xml.writeAttribute("time", "0");
            if (!row.outcome().passed()) {
                xml.writeStartElement(row.outcome().failed() ? "failure" : "error");
                xml.writeAttribute("type", row.outcome().name());
                xml.writeAttribute("message", annotation(report, row) + row.outcome() + ": " + row.reason());
                xml.writeCharacters(row.reason() + row.jobId().map(id -> "\njob " + id).orElse("")
                        + row.artifactSha256().map(sha -> "\nartifact sha256 " + sha).orElse(""));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        for (AbsentAgent a : absent) {
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", report.suite() + "." + entryLabel);
            xml.writeAttribute("name", a.agent() + " (" + goName(a.agentArchitecture()) + "): absent");
            xml.writeAttribute("time", "0");
            xml.writeStartElement("error");
            xml.writeAttribute("type", "ABSENT");
            xml.writeAttribute("message", "agent " + a.agent() + " took part in run " + a.lastSeenRunId()
                    + " but was not live for this run");
            xml.writeEndElement();
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    /** Says in the message whether the cell regressed or is flaky, which CI users look for first. */
    private static String annotation(NightlyReport report, MatrixRow row) {
        String agent = row.agent().orElse(null);
        if (report.regressions().stream().anyMatch(c -> matches(c, row, agent))) {
            return "REGRESSION: ";
        }
        return report.flaky().stream().anyMatch(c -> matches(c, row, agent)) ? "FLAKY: " : "";
    }

    private static boolean matches(Change change, MatrixRow row, String agent) {
        return change.entryLabel().equals(row.entryLabel()) && Objects.equals(change.agent(), agent)
                && change.expectation().equals(row.expectation());
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", value);
    }

    private static String seconds(NightlyReport report) {
        Duration took = Duration.between(report.startedAt(), report.finishedAt().orElseGet(Instant::now));
        return String.format(Locale.ROOT, "%.3f", took.toMillis() / 1000.0);
    }

    /**
     * A test's name keeps Go's spelling of the architecture ({@code amd64}), which the report spells by its proto name
     * ({@code AMD64}) since 2026-12-05, so that a CI system's history of each test carries over.
     */
    private static String goName(String architecture) {
        return architecture.toLowerCase(Locale.ROOT);
    }
}
