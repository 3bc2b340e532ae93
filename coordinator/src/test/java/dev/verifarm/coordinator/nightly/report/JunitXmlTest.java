package dev.verifarm.coordinator.nightly.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.verifarm.coordinator.nightly.report.Reports.ENTRY;
import static dev.verifarm.coordinator.nightly.report.Reports.report;
import static dev.verifarm.coordinator.nightly.report.Reports.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JunitXmlTest {

    @Test
    void aTestsuitePerEntryATestcasePerAgentAndExpectationWithFailuresAndErrors() throws Exception {
        NightlyReport night1 = report("run-1", List.of(row("a", Outcome.MATCH, "s"), row("b", Outcome.MATCH, "s"),
                row("c", Outcome.MATCH, "s")));
        MatrixRow other = new MatrixRow(1, "sha256:" + "ab".repeat(32), Optional.empty(), Optional.empty(),
                "resolve x=<y>&\"z\"", Outcome.NOT_FINISHED, "no live agent serves arm64", Optional.empty(),
                Optional.empty());
        List<MatrixRow> matrix = List.of(row("a", Outcome.MATCH, "s"), row("b", Outcome.MISMATCH, "t"), other);
        NightlyReport night2 = report("run-2", matrix, RunComparison.compare(matrix,
                Set.of(ENTRY, other.entryLabel()), List.of(night1)));

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(JunitXml.write(night2).getBytes(StandardCharsets.UTF_8)));
        Element root = xml.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("4", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        assertEquals("2", root.getAttribute("errors"));
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(2, suites.getLength());

        Element first = (Element) suites.item(0);
        assertEquals("stubs " + ENTRY, first.getAttribute("name"));
        NodeList cases = first.getElementsByTagName("testcase");
        assertEquals(3, cases.getLength(), "a, b and the absent c");
        assertEquals(0, ((Element) cases.item(0)).getElementsByTagName("failure").getLength());
        Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertEquals("b (amd64): " + Reports.CHECK, ((Element) cases.item(1)).getAttribute("name"));
        assertEquals("MISMATCH", failure.getAttribute("type"));
        assertTrue(failure.getAttribute("message").startsWith("REGRESSION: MISMATCH"), failure.getAttribute("message"));
        Element absent = (Element) ((Element) cases.item(2)).getElementsByTagName("error").item(0);
        assertEquals("ABSENT", absent.getAttribute("type"));
        assertEquals("c (amd64): absent", ((Element) cases.item(2)).getAttribute("name"));

        Element second = (Element) suites.item(1);
        Element unreached = (Element) second.getElementsByTagName("testcase").item(0);
        assertEquals("no agent: resolve x=<y>&\"z\"", unreached.getAttribute("name"));
        assertEquals("NOT_FINISHED", ((Element) unreached.getElementsByTagName("error").item(0)).getAttribute("type"));
    }
}
