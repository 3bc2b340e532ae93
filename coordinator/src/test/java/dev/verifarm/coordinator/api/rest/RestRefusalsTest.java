package dev.verifarm.coordinator.api.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Every refusal of the REST face is a status with {@code {"error", "field"}}, over real HTTP. */
@QuarkusTest
class RestRefusalsTest {

    @Test
    void aBodyThatIsNotJsonIsA400NamingTheBody() {
        admin().contentType(ContentType.JSON).body("{\"artifact\": ").post("/api/v1/jobs")
                .then().statusCode(400).body("field", equalTo("body"))
                .body("error", startsWith("unreadable JSON: Unexpected end-of-input"));
    }

    @Test
    void aLimitOutOfRangeIsA400NotA404() {
        admin().get("/api/v1/jobs?limit=99999999999").then().statusCode(400).body("field", equalTo("limit"))
                .body("error", equalTo("limit must be between 1 and 1000, got 99999999999"));
        admin().get("/api/v1/suites/nightly-arm64/runs?limit=0").then().statusCode(400)
                .body("field", equalTo("limit")).body("error", equalTo("limit must be between 1 and 1000, got 0"));
    }

    @Test
    void aLimitThatIsNotANumberIsA400() {
        admin().get("/api/v1/jobs?limit=ten").then().statusCode(400).body("field", equalTo("limit"))
                .body("error", equalTo("limit must be a whole number between 1 and 1000, got 'ten'"));
    }

    @Test
    void anUnknownQueryParameterIsA400NamingIt() {
        admin().get("/api/v1/jobs?sort=newest").then().statusCode(400).body("field", equalTo("sort"))
                .body("error", equalTo("unknown query parameter 'sort'; this endpoint takes architecture, artifact,"
                        + " limit, state"));
        admin().get("/api/v1/agents?limit=5").then().statusCode(400).body("field", equalTo("limit"))
                .body("error", equalTo("unknown query parameter 'limit'; this endpoint takes architecture"));
    }

    @Test
    void aBodyOfTheWrongMediaTypeIsA415NamingTheContentType() {
        admin().contentType(ContentType.TEXT).body("{}").post("/api/v1/jobs").then().statusCode(415)
                .body("field", equalTo("Content-Type"));
    }

    @Test
    void anElfCutOffInsideItsProgramHeaderTableIsRefusedAtUploadWithTheOffset() throws IOException {
        byte[] cut = Arrays.copyOf(hostExecutable(), 100);
        upload(cut).then().statusCode(400).body("field", equalTo("artifact"))
                .body("error", startsWith("malformed ELF at offset 0x20: the program header table claims file bytes"
                        + " [0x40, +0x"));
    }

    @Test
    void anElfCutOffBeforeItsSectionHeaderTableIsRefusedAtUploadWithTheOffset() throws IOException {
        byte[] whole = hostExecutable();
        long shoff = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
        upload(Arrays.copyOf(whole, (int) shoff)).then().statusCode(400).body("field", equalTo("artifact"))
                .body("error", startsWith("malformed ELF at offset 0x28: the section header table claims file bytes"
                        + " [0x" + Long.toHexString(shoff) + ", +0x"));
    }

    @Test
    void theWholeElfIsAccepted() throws IOException {
        upload(hostExecutable()).then().statusCode(201);
    }

    private static io.restassured.response.Response upload(byte[] bytes) {
        return admin().contentType(ContentType.BINARY).body(bytes).post("/api/v1/artifacts?name=cut");
    }

    /** A real 64-bit ELF executable of this host's architecture: the running JVM's launcher. */
    private static byte[] hostExecutable() throws IOException {
        return Files.readAllBytes(Path.of(ProcessHandle.current().info().command().orElseThrow()));
    }
}
