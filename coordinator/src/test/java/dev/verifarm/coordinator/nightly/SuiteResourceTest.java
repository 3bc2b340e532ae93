package dev.verifarm.coordinator.nightly;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** The suites API over real HTTP, with the suite files of src/test/resources/nightly-suites. */
@QuarkusTest
class SuiteResourceTest {
    private static final String SUITE = """
            {"schedule": "0 0 2 * * ?", "deadline": "30m", "entries": [{
              "artifact": {"hostPath": {"path": "/opt/verifarm/stubs", "architecture": "arm64"}},
              "mode": "native",
              "expectations": [{"resolve": "main.addrOfMemcpyish=main.memcpyish"}]}]}
            """;

    @Test
    void onlyAnAdminMayChangeSuites() {
        given().contentType(ContentType.JSON).body(SUITE).put("/api/v1/suites/anonymous").then().statusCode(401);
        String submitter = admin().contentType(ContentType.JSON).body("{\"name\": \"suite-submitter\","
                        + " \"role\": \"submitter\"}").post("/api/v1/tokens")
                .then().statusCode(201).body("token", notNullValue()).extract().path("token");
        given().header("Authorization", "Bearer " + submitter).contentType(ContentType.JSON).body(SUITE)
                .put("/api/v1/suites/by-submitter").then().statusCode(403);
        given().header("Authorization", "Bearer " + submitter).post("/api/v1/suites/declared/runs")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + submitter).get("/api/v1/suites").then().statusCode(200);
    }

    @Test
    void aSuiteIsCreatedReadAndDeletedOverRest() {
        admin().contentType(ContentType.JSON).body(SUITE).put("/api/v1/suites/api-made")
                .then().statusCode(200).body("name", equalTo("api-made")).body("readOnly", equalTo(false))
                .body("definition.deadline", equalTo("PT30M"))
                .body("definition.entries[0].expectations[0].resolve", equalTo("main.addrOfMemcpyish=main.memcpyish"));
        admin().get("/api/v1/suites/api-made").then().statusCode(200).body("definition.entries[0].mode",
                equalTo("NATIVE"));
        admin().delete("/api/v1/suites/api-made").then().statusCode(204);
        admin().get("/api/v1/suites/api-made").then().statusCode(404).body("field", equalTo("name"));
    }

    @Test
    void aBadCronExpressionIsA400NamingTheSchedule() {
        admin().contentType(ContentType.JSON).body(SUITE.replace("0 0 2 * * ?", "0 0 2 * *"))
                .put("/api/v1/suites/bad-cron").then().statusCode(400).body("field", equalTo("schedule"));
    }

    @Test
    void anUnknownArchitectureIsA400NamingTheField() {
        admin().contentType(ContentType.JSON).body(SUITE.replace("arm64", "mips"))
                .put("/api/v1/suites/bad-arch").then().statusCode(400)
                .body("field", equalTo("entries[0].artifact.hostPath.architecture"))
                .body("error", containsString("mips"));
    }

    @Test
    void anArtifactNeverUploadedIsA400NamingTheField() {
        admin().contentType(ContentType.JSON).body(SUITE.replace(
                        "{\"hostPath\": {\"path\": \"/opt/verifarm/stubs\", \"architecture\": \"arm64\"}}",
                        "{\"sha256\": \"" + "0".repeat(64) + "\"}"))
                .put("/api/v1/suites/not-uploaded").then().statusCode(400)
                .body("field", equalTo("entries[0].artifact.sha256"));
    }

    @Test
    void aSuiteDeclaredInAFileIsListedReadOnlyAndCannotBeChangedOverRest() {
        admin().get("/api/v1/suites").then().statusCode(200)
                .body("name", hasItem("declared")).body("name", not(hasItem("broken")))
                .body("find { it.name == 'declared' }.readOnly", equalTo(true))
                .body("find { it.name == 'declared' }.origin", containsString("declared.yaml"));
        admin().contentType(ContentType.JSON).body(SUITE).put("/api/v1/suites/declared")
                .then().statusCode(409).body("error", containsString("declared.yaml"));
        admin().delete("/api/v1/suites/declared").then().statusCode(409);
    }

    @Test
    void aRunTriggeredByHandIsListedAndItsReportServedAsJsonAndJunit() {
        admin().contentType(ContentType.JSON).body(SUITE).put("/api/v1/suites/by-hand").then().statusCode(200);
        String id = admin().post("/api/v1/suites/by-hand/runs").then().statusCode(201)
                .body("trigger", equalTo("MANUAL")).extract().path("id");
        admin().get("/api/v1/suites/by-hand/runs").then().statusCode(200).body("id", hasItem(id));
        admin().get("/api/v1/nightly-runs/" + id).then().statusCode(200).body("suite", equalTo("by-hand"))
                .body("matrix[0].reason", equalTo("no live agent serves arm64"));
        admin().get("/api/v1/nightly-runs/" + id + "/junit").then().statusCode(200)
                .contentType(containsString("xml")).body(containsString("<testsuites"));
        admin().get("/api/v1/nightly-runs/no-such-run").then().statusCode(404);
    }
}
