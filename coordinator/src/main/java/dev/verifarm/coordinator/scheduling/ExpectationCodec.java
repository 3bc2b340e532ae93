package dev.verifarm.coordinator.scheduling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.EndRule;
import dev.verifarm.contract.Expectation;

import java.util.List;

/** The JSON form in which a job row keeps its expectations: {@code {kind, resolver, target, endRule}}, spelled. */
final class ExpectationCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Stored>> LIST = new TypeReference<>() {
    };

    private record Stored(CheckKind kind, String resolver, String target, String endRule) {
    }

    private ExpectationCodec() {
    }

    static String encode(List<Expectation> expectations) {
        try {
            return JSON.writeValueAsString(expectations.stream().map(e -> new Stored(e.kind(), e.resolver(),
                    e.target(), e.endRule().map(EndRule::spelling).orElse(null))).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("expectations are plain records and always serialise", e);
        }
    }

    static List<Expectation> decode(String json) {
        try {
            return JSON.readValue(json, LIST).stream()
                    .map(s -> Expectation.of(s.kind(), s.resolver(), s.target(), s.endRule())).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored job has unreadable expectations: " + json, e);
        }
    }
}
