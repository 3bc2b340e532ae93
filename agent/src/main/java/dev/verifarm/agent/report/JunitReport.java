package dev.verifarm.agent.report;

import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.check.vocabulary.Verdict;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The report as JUnit XML for CI systems: one test case per expectation (failing unless MATCH, an error when the
 * check could not be carried out) and one per user hazard; a hazard scan that finds none is one passing case, so a
 * gate shows that it ran.
 */
public final class JunitReport {

    private JunitReport() {
    }

    public static String render(Report report, Path file) {
        List<Hazard> user = report.userHazards();
        boolean scanCase = report.hazards().isPresent() && user.isEmpty() || report.hazardsError().isPresent();
        long failures = report.results().stream().filter(r -> !r.verdict().passed() && r.verdict() != Verdict.ERROR)
                .count() + user.size();
        long errors = report.results().stream().filter(r -> r.verdict() == Verdict.ERROR).count()
                + (report.hazardsError().isPresent() ? 1 : 0) + (report.error().isPresent() && report.results().isEmpty() ? 1 : 0);
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "verifarm check " + file);
            xml.writeAttribute("tests", String.valueOf(report.results().size() + user.size() + (scanCase ? 1 : 0)
                    + (report.error().isPresent() && report.results().isEmpty() ? 1 : 0)));
            xml.writeAttribute("failures", String.valueOf(failures));
            xml.writeAttribute("errors", String.valueOf(errors));
            if (report.error().isPresent() && report.results().isEmpty()) {
                testcase(xml, "verifarm.artifact", file.toString(), "error", "unreadable", report.error().get());
            }
            for (CheckResult r : report.results()) {
                String kind = r.expectation().kind().name().toLowerCase(Locale.ROOT);
                String name = r.expectation().resolver() + "=" + r.expectation().target();
                String outcome = r.verdict().passed() ? "" : r.verdict() == Verdict.ERROR ? "error" : "failure";
                testcase(xml, "verifarm." + kind, name, outcome, r.verdict().name(), r.reason());
            }
            for (Hazard h : user) {
                testcase(xml, "verifarm.hazards", h.function(), "failure", "hazard", h.function()
                        + " is taken as a Go func value in " + String.join(", ", h.takenIn()) + ": that value is its"
                        + " ABI wrapper " + h.wrapper() + ", not its body " + h.body()
                        + h.usedAsAddress().map(u -> "\nused as an address: " + u).orElse("")
                        + h.fix().map(f -> "\nfix: " + f.stub() + "(); prove with " + String.join("  ", f.expectations()))
                        .orElse(""));
            }
            if (scanCase) {
                testcase(xml, "verifarm.hazards", "no user hazards", report.hazardsError().isPresent() ? "error" : "",
                        "hazard scan", report.hazardsError().orElse(""));
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return out.toString() + "\n";
    }

    /** A test case; {@code outcome} is {@code failure}, {@code error} or empty for a pass. */
    private static void testcase(XMLStreamWriter xml, String className, String name, String outcome, String type,
                                 String message) throws XMLStreamException {
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", className);
        xml.writeAttribute("name", name);
        if (!outcome.isEmpty()) {
            xml.writeStartElement(outcome);
            xml.writeAttribute("type", type);
            xml.writeAttribute("message", message.lines().findFirst().orElse(""));
            xml.writeCharacters(message);
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
}
