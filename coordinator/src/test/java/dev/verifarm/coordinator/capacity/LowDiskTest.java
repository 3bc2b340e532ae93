package dev.verifarm.coordinator.capacity;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** A coordinator whose artifact directory has less free space than it asks for (a petabyte, here). */
@QuarkusTest
@TestProfile(LowDiskTest.PetabyteFree.class)
class LowDiskTest {
    static final String PETABYTE = String.valueOf(1L << 50);

    public static class PetabyteFree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verifarm.capacity.min-free", PETABYTE);
        }
    }

    @Test
    void uploadsAreRefusedSayingWhy() throws IOException {
        byte[] elf = Files.readAllBytes(Path.of(ProcessHandle.current().info().command().orElseThrow()));
        admin().contentType(ContentType.BINARY).body(elf).post("/api/v1/artifacts?name=full").then()
                .statusCode(507)
                .body("field", equalTo("artifact"))
                .body("error", containsString("the coordinator refuses uploads while the artifact directory"))
                .body("error", containsString("less than verifarm.capacity.min-free (" + PETABYTE + " bytes)"));
    }

    @Test
    void readinessIsDownSayingWhy() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.name", hasItem("Artifact disk space"))
                .body("checks.find { it.name == 'Artifact disk space' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Artifact disk space' }.data.reason",
                        containsString("bytes free, less than verifarm.capacity.min-free"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
