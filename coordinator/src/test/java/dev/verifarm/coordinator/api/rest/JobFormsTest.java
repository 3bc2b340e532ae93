package dev.verifarm.coordinator.api.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static org.hamcrest.Matchers.equalTo;

/**
 * The jobs API takes a suite's spellings of an artifact and an expectation as well as its own, and refuses a bad
 * spelling with the message the suites API gives for it, over real HTTP.
 */
@QuarkusTest
class JobFormsTest {
    private static final String SUITE = """
            {"schedule": "0 0 2 * * ?", "entries": [{"artifact": {"hostPath": {"path": "%s", "architecture": "arm64"}},
             "expectations": [%s]}]}""";
    private static final String JOB = """
            {"artifact": {"hostPath": {"path": "%s", "architecture": "arm64"}}, "expectations": [%s]}""";

    @Test
    void aJobTakesTheSuitesSpellingsAndAnswersInItsOwn() {
        admin().contentType(ContentType.JSON).body(JOB.formatted("/opt/verifarm/artifacts/stubs",
                        "{\"resolve\": \"main.addrOfMemcpyish=main.memcpyish\"},"
                                + " {\"copy\": \"funcvalue:main.memcpyish=main.memcpyish@symbol:main.end\"}"))
                .post("/api/v1/jobs").then().statusCode(201)
                .body("artifact.hostPath", equalTo("/opt/verifarm/artifacts/stubs"))
                .body("architecture", equalTo("arm64"))
                .body("expectations[0].kind", equalTo("resolve"))
                .body("expectations[0].resolver", equalTo("main.addrOfMemcpyish"))
                .body("expectations[0].target", equalTo("main.memcpyish"))
                .body("expectations[1].kind", equalTo("copy"))
                .body("expectations[1].resolver", equalTo("funcvalue:main.memcpyish"))
                .body("expectations[1].endRule", equalTo("symbol:main.end"));
    }

    @Test
    void aBadSpellingIsRefusedWithTheSuitesMessage() {
        String expectation = "{\"copy\": \"main.addrOfMemcpyish\"}";
        String suite = admin().contentType(ContentType.JSON).body(SUITE.formatted("/opt/x", expectation))
                .put("/api/v1/suites/bad-spelling").then().statusCode(400)
                .body("field", equalTo("entries[0].expectations[0].copy")).extract().path("error");
        admin().contentType(ContentType.JSON).body(JOB.formatted("/opt/x", expectation)).post("/api/v1/jobs")
                .then().statusCode(400).body("field", equalTo("expectations[0].copy")).body("error", equalTo(suite));
    }

    @Test
    void aHostPathThatIsNotNormalIsRefusedWithTheSuitesMessage() {
        String expectation = "{\"resolve\": \"a=b\"}";
        String suite = admin().contentType(ContentType.JSON).body(SUITE.formatted("/opt/x/../y", expectation))
                .put("/api/v1/suites/bad-path").then().statusCode(400)
                .body("field", equalTo("entries[0].artifact.hostPath.path")).extract().path("error");
        admin().contentType(ContentType.JSON).body(JOB.formatted("/opt/x/../y", expectation)).post("/api/v1/jobs")
                .then().statusCode(400).body("field", equalTo("artifact.hostPath.path")).body("error", equalTo(suite));
    }

    @Test
    void anExpectationInTwoFormsAtOnceIsRefused() {
        admin().contentType(ContentType.JSON).body(JOB.formatted("/opt/x",
                        "{\"resolve\": \"a=b\", \"kind\": \"resolve\"}")).post("/api/v1/jobs")
                .then().statusCode(400).body("field", equalTo("expectations[0]"));
    }
}
