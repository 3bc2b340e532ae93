package dev.verifarm.coordinator.api.rest;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.ContractException;
import dev.verifarm.contract.Expectation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
                .body("architecture", equalTo("ARM64"))
                .body("expectations[0].kind", equalTo("RESOLVE"))
                .body("expectations[0].resolver", equalTo("main.addrOfMemcpyish"))
                .body("expectations[0].target", equalTo("main.memcpyish"))
                .body("expectations[1].kind", equalTo("COPY"))
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

    /** Every spelled form of an expectation goes in through a job and a suite and comes back as written. */
    @Test
    void everySpelledFormComesBackAsWrittenFromAJobAndASuite() {
        List<String> spellings = List.of("main.addrOfMemcpyish=main.memcpyish@pclntab-end",
                "data:main.slot=main.memcpyish@symbol-size", "funcvalue:main.memcpyish=main.memcpyish@symbol:main.end",
                "symbol:main.memcpyish.abi0=main.memcpyish@pclntab-end");
        for (String spelling : spellings) {
            String expectation = "{\"copy\": \"" + spelling + "\"}";
            Map<String, String> job = admin().contentType(ContentType.JSON)
                    .body(JOB.formatted("/opt/verifarm/artifacts/stubs", expectation)).post("/api/v1/jobs")
                    .then().statusCode(201).extract().path("expectations[0]");
            assertEquals("COPY", job.get("kind"), spelling);
            assertEquals(spelling, Expectation.of(CheckKind.COPY, job.get("resolver"), job.get("target"),
                    job.get("endRule")).spelling());
            admin().contentType(ContentType.JSON).body(SUITE.formatted("/opt/x", expectation))
                    .put("/api/v1/suites/round-trip").then().statusCode(200);
            admin().get("/api/v1/suites/round-trip").then().statusCode(200)
                    .body("definition.entries[0].expectations[0].copy", equalTo(spelling))
                    .body("definition.entries[0].artifact.hostPath.architecture", equalTo("ARM64"));
        }
        admin().contentType(ContentType.JSON).body(SUITE.formatted("/opt/x", "{\"resolve\": \"a=b@c\"}"))
                .put("/api/v1/suites/round-trip").then().statusCode(200);
        admin().get("/api/v1/suites/round-trip").then()
                .body("definition.entries[0].expectations[0].resolve", equalTo("a=b@c"));
        admin().delete("/api/v1/suites/round-trip").then().statusCode(204);
    }

    /** The words of a refusal are the contract's, the same through a job, a suite and the structured form. */
    @Test
    void aBadSpellingGetsTheContractsWordsAtEveryRestFace() {
        for (String bad : List.of("a=b@nowhere", "=b", "a=", "a=b@symbol:", "no-equals")) {
            String words = assertThrows(ContractException.class, () -> Expectation.parse(CheckKind.COPY, bad))
                    .getMessage();
            String expectation = "{\"copy\": \"" + bad + "\"}";
            admin().contentType(ContentType.JSON).body(JOB.formatted("/opt/x", expectation)).post("/api/v1/jobs")
                    .then().statusCode(400).body("field", equalTo("expectations[0].copy")).body("error", equalTo(words));
            admin().contentType(ContentType.JSON).body(SUITE.formatted("/opt/x", expectation))
                    .put("/api/v1/suites/bad-words").then().statusCode(400)
                    .body("field", equalTo("entries[0].expectations[0].copy")).body("error", equalTo(words));
        }
        admin().contentType(ContentType.JSON).body(JOB.formatted("/opt/x",
                        "{\"kind\": \"copy\", \"resolver\": \"a\", \"target\": \"b\", \"endRule\": \"nowhere\"}"))
                .post("/api/v1/jobs").then().statusCode(400).body("field", equalTo("expectations[0].endRule"))
                .body("error", equalTo("unknown end rule 'nowhere': use symbol-size, pclntab-end or symbol:NAME"));
        admin().contentType(ContentType.JSON).body(JOB.formatted("/opt/x",
                        "{\"kind\": \"move\", \"resolver\": \"a\", \"target\": \"b\"}"))
                .post("/api/v1/jobs").then().statusCode(400).body("field", equalTo("expectations[0].kind"))
                .body("error", equalTo("unknown value 'move'; expected one of RESOLVE, COPY"));
    }

    @Test
    void aHostPathWithoutArchitectureGetsTheSameWordsAsASuite() {
        String suite = admin().contentType(ContentType.JSON).body("""
                        {"schedule": "0 0 2 * * ?", "entries": [{"artifact": {"hostPath": {"path": "/opt/x"}},
                         "expectations": [{"resolve": "a=b"}]}]}""").put("/api/v1/suites/no-architecture")
                .then().statusCode(400).body("field", equalTo("entries[0].artifact.hostPath.architecture"))
                .extract().path("error");
        admin().contentType(ContentType.JSON).body("""
                        {"artifact": {"hostPath": {"path": "/opt/x"}}, "expectations": [{"resolve": "a=b"}]}""")
                .post("/api/v1/jobs").then().statusCode(400)
                .body("field", equalTo("artifact.hostPath.architecture")).body("error", equalTo(suite));
    }
}
