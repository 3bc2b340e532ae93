package dev.verifarm.coordinator.nightly.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON in which a finished run keeps its report: the same shape the REST API serves. */
public final class ReportCodec {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ReportCodec() {
    }

    public static String encode(NightlyReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report is plain records and always serialises", e);
        }
    }

    public static NightlyReport decode(String json) {
        try {
            return JSON.readValue(json, NightlyReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored nightly report is unreadable", e);
        }
    }
}
