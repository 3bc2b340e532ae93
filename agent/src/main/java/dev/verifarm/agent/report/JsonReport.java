package dev.verifarm.agent.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.verifarm.agent.check.Report;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The report as JSON: every verdict with its evidence, for machines. */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT)
            // a hazard's scope is spelled as users write it (user, toolchain); no other enum overrides toString
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);

    private JsonReport() {
    }

    public static String render(Report report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
