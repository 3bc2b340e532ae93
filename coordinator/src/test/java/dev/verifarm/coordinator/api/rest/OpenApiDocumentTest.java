package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.Verdict;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document against the model it describes: each REST record's properties, each enumerated field's values
 * spelled as every face spells the model's enum (its proto name), and the error body of every operation. A field or value added on one
 * side only fails here.
 */
@QuarkusTest
class OpenApiDocumentTest {
    private static final List<Class<? extends Record>> RECORDS = List.of(JobDtos.ArtifactBody.class,
            JobDtos.ExpectationBody.class, JobDtos.SubmitJobBody.class, JobDtos.ResultResponse.class,
            JobDtos.FailureResponse.class, JobDtos.AttemptResponse.class, JobDtos.JobResponse.class,
            JobDtos.EventResponse.class, ArtifactResource.ArtifactResponse.class, AgentResource.AgentResponse.class,
            AgentResource.ArchitectureHealthResponse.class, AgentResource.HealthResponse.class,
            TokenResource.CreateTokenBody.class, TokenResource.TokenResponse.class, ErrorBody.class,
            ArtifactRequest.class);

    private static JsonNode document() throws IOException {
        return new ObjectMapper().readTree(given().get("/openapi?format=json").then().statusCode(200).extract()
                .asString());
    }

    private static <E extends Enum<E>> List<String> spelled(Class<E> type, Function<E, String> spelling) {
        return Arrays.stream(type.getEnumConstants()).map(spelling).toList();
    }

    /** A property's values: its own enum, the enum schema it refers to, or its items' for a list. */
    private static JsonNode enumeration(JsonNode schemas, JsonNode property) {
        if (property.has("items")) {
            return enumeration(schemas, property.path("items"));
        }
        if (property.has("$ref")) {
            return schemas.path(property.path("$ref").asText().substring("#/components/schemas/".length())).path("enum");
        }
        if (property.has("allOf")) {
            return enumeration(schemas, property.path("allOf").path(0));
        }
        return property.path("enum");
    }

    @Test
    void everyEnumeratedFieldListsTheModelsValuesAsTheApiSpellsThem() throws IOException {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("JobResponse.state", spelled(JobState.class, Enum::name));
        expected.put("EventResponse.state", spelled(JobState.class, Enum::name));
        expected.put("AttemptResponse.state", spelled(AttemptState.class, Enum::name));
        expected.put("ResultResponse.verdict", spelled(Verdict.class, Enum::name));
        expected.put("FailureResponse.kind", spelled(FailureKind.class, Enum::name));
        expected.put("ResultResponse.kind", spelled(CheckKind.class, Enum::name));
        expected.put("ExpectationBody.kind", spelled(CheckKind.class, Enum::name));
        expected.put("JobResponse.mode", spelled(ExecutionMode.class, Enum::name));
        expected.put("SubmitJobBody.mode", spelled(ExecutionMode.class, Enum::name));
        for (String schema : List.of("JobResponse", "ArtifactBody", "ArtifactRequest", "ArtifactResponse",
                "AgentResponse", "ArchitectureHealthResponse")) {
            expected.put(schema + ".architecture", spelled(Architecture.class, Enum::name));
        }
        expected.put("AgentResponse.serves", spelled(Architecture.class, Enum::name));
        expected.put("AgentResponse.emulated", spelled(Architecture.class, Enum::name));
        expected.put("ArchitectureHealthResponse.state", spelled(Health.State.class, Enum::name));
        expected.put("HealthResponse.state", spelled(Health.State.class, Enum::name));
        expected.put("CreateTokenBody.role", spelled(Role.class, Enum::name));
        expected.put("TokenResponse.role", spelled(Role.class, Enum::name));
        JsonNode schemas = document().path("components").path("schemas");
        for (Map.Entry<String, List<String>> field : expected.entrySet()) {
            String[] at = field.getKey().split("\\.");
            List<String> documented = new ArrayList<>();
            enumeration(schemas, schemas.path(at[0]).path("properties").path(at[1]))
                    .forEach(v -> documented.add(v.asText()));
            assertEquals(field.getValue(), documented, field.getKey());
        }
    }

    @Test
    void everyRecordOfTheApiIsDocumentedWithExactlyItsFields() throws IOException {
        JsonNode schemas = document().path("components").path("schemas");
        for (Class<? extends Record> type : RECORDS) {
            Set<String> fields = Arrays.stream(type.getRecordComponents()).map(c -> c.getName())
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> documented = new TreeSet<>();
            schemas.path(type.getSimpleName()).path("properties").fieldNames().forEachRemaining(documented::add);
            assertEquals(fields, documented, type.getSimpleName());
        }
    }

    @Test
    void everyOperationDocumentsItsRefusalAsAnErrorBody() throws IOException {
        JsonNode paths = document().path("paths");
        assertTrue(paths.size() > 10, paths.toString());
        paths.fields().forEachRemaining(path -> {
            assertTrue(path.getKey().startsWith("/api/v1/"), "not part of the API: " + path.getKey());
            path.getValue().fields().forEachRemaining(operation -> operation.getValue().path("responses").fields()
                    .forEachRemaining(response -> {
                        if (response.getKey().equals("default") || response.getKey().startsWith("4")) {
                            assertEquals("#/components/schemas/ErrorBody", response.getValue()
                                    .at("/content/application~1json/schema/$ref").asText(), operation.getKey() + " "
                                    + path.getKey() + " " + response.getKey());
                        }
                    }));
            path.getValue().fields().forEachRemaining(operation -> assertTrue(operation.getValue()
                    .at("/responses/default").isObject(), operation.getKey() + " " + path.getKey()));
        });
    }

    /** Each operation documents the status its method answers with: 201 where it creates, 204 where it says nothing. */
    @Test
    void everyOperationDocumentsTheStatusItAnswersWith() throws IOException {
        JsonNode paths = document().path("paths");
        int checked = 0;
        for (Class<?> resource : List.of(JobResource.class, ArtifactResource.class, AgentResource.class,
                TokenResource.class, SuiteResource.class, SuiteRunResource.class)) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                Optional<String> verb = Stream.of(GET.class, POST.class, PUT.class, DELETE.class)
                        .filter(method::isAnnotationPresent).map(v -> v.getSimpleName().toLowerCase(Locale.ROOT))
                        .findFirst();
                if (verb.isEmpty()) {
                    continue;
                }
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                String path = base + (sub == null ? "" : sub.value());
                ResponseStatus declared = method.getAnnotation(ResponseStatus.class);
                String status = String.valueOf(declared != null ? declared.value()
                        : method.getReturnType() == void.class ? 204 : 200);
                JsonNode responses = paths.path(path).path(verb.get()).path("responses");
                assertTrue(responses.has(status), verb.get() + " " + path + " answers " + status + "; documented: "
                        + responses);
                assertTrue(status.equals("200") || !responses.has("200"), verb.get() + " " + path + " never answers"
                        + " 200; documented: " + responses);
                checked++;
            }
        }
        assertTrue(checked > 15, "operations checked: " + checked);
    }
}
