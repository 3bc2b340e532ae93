package dev.verifarm.coordinator.e2e;

import dev.verifarm.coordinator.harness.Cleanup;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two coordinator processes of the PostgreSQL build on one real PostgreSQL server, each with agents of its own,
 * share one queue: thousands of jobs submitted through both are each leased once and done once, whichever
 * coordinator took them in, and both coordinators' agents do some of the work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCoordinatorsIT {
    private static final int JOBS = 2000;
    private static final Map<String, String> CHECKS = Map.of("main.addrOfMemcpyish", "main.memcpyish");

    private PostgresServer database;
    private Farm first;
    private Farm second;

    @BeforeAll
    void start() {
        database = PostgresServer.start();
        // nothing shared but the database: each coordinator caches artifacts in a directory of its own
        first = Farm.startOnPostgres(database, Farm.workDir().resolve("artifacts-" + UUID.randomUUID()));
        second = Farm.startOnPostgres(database, Farm.workDir().resolve("artifacts-" + UUID.randomUUID()));
        for (Farm farm : List.of(first, second)) {
            String prefix = farm == first ? "first-" : "second-";
            farm.startAgent(prefix + "a", "amd64", 4);
            farm.startAgent(prefix + "b", "amd64", 4);
            new FarmApi(farm).awaitAgents(names -> names.size() == 2, "register");
        }
    }

    @AfterAll
    void stop() {
        Cleanup.closeAll(first, second, database);
    }

    @Test
    void thousandsOfJobsThroughTwoCoordinatorsAreEachLeasedOnceAndDoneOnce() throws Exception {
        FarmApi viaFirst = new FarmApi(first);
        FarmApi viaSecond = new FarmApi(second);
        String sha = viaFirst.upload(GoBinaries.build("stubs", "amd64"), "stubs-amd64").get("sha256").asText();
        Instant begin = Instant.now();
        FarmApi.submitAll(List.of(viaFirst, viaSecond), JOBS, FarmApi.resolveJob(sha, CHECKS));
        database.awaitAllJobsFinished(Duration.ofMinutes(10), first.describe() + ", " + second.describe());
        Duration took = Duration.between(begin, Instant.now());

        assertEquals(JOBS + "", database.query("select count(*) from job where state = 'PASSED'"),
                database.query("select state, count(*) from job group by state"));
        assertEquals(JOBS + "", database.query("select count(*) from attempt"), "one attempt per job");
        assertEquals("0", database.query(
                "select count(*) from (select job_id from attempt group by job_id having count(*) > 1) twice"));
        assertEquals(JOBS + "", database.query("select count(*) from attempt where state = 'FINISHED'"));
        assertEquals(JOBS + "", database.query("select count(*) from check_result"), "one result per job");
        String perAgent = database.query("select agent_name, count(*) from attempt group by agent_name");
        assertTrue(perAgent.contains("first-") && perAgent.contains("second-"),
                "both coordinators' agents worked: " + perAgent);
        System.out.printf("%d jobs through 2 coordinators on PostgreSQL in %d ms (%.1f jobs/s); per agent: %s%n",
                JOBS, took.toMillis(), JOBS * 1000.0 / took.toMillis(), perAgent.replace('\n', ' '));
    }
}
