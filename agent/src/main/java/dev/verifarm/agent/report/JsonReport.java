package dev.verifarm.agent.report;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.wire.CheckWire;

/**
 * The report as JSON, for machines: verifarm.v1.CheckReport in the proto's canonical JSON mapping, the one JSON of
 * every face (the report in a job's attempt over REST, {@code verifarm job --json}): enum values by their proto names,
 * 64-bit numbers as strings, every list and plain field written even when empty.
 */
public final class JsonReport {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    private JsonReport() {
    }

    public static String render(Report report) {
        try {
            return PRINTER.print(CheckWire.report(report));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a report's wire message has no Any fields and always prints", e);
        }
    }
}
