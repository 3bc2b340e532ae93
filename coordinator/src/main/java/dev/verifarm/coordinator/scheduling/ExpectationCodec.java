package dev.verifarm.coordinator.scheduling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

import java.util.List;

/** The JSON form in which a job row keeps its expectations. */
final class ExpectationCodec {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());
    private static final TypeReference<List<Expectation>> LIST = new TypeReference<>() {
    };

    private ExpectationCodec() {
    }

    static String encode(List<Expectation> expectations) {
        try {
            return JSON.writeValueAsString(expectations);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("expectations are plain records and always serialise", e);
        }
    }

    static List<Expectation> decode(String json) {
        try {
            return JSON.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored job has unreadable expectations: " + json, e);
        }
    }
}
