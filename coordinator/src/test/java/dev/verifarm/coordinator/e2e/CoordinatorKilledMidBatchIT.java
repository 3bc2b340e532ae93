package dev.verifarm.coordinator.e2e;

import dev.verifarm.coordinator.harness.Cleanup;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.JobAudit;
import dev.verifarm.coordinator.harness.PostgresServer;
import dev.verifarm.coordinator.harness.Submissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two coordinators of the PostgreSQL build on one real PostgreSQL server, two agents each, and a batch of jobs
 * submitted through both while one coordinator is killed with SIGKILL, or while PostgreSQL cuts every coordinator's
 * connections: every submission that was acknowledged is in the database and passed, with exactly one finished
 * attempt whose result is recorded once (any other attempt of it lost with its agent, and requeued), and every
 * job's history is numbered 1..n without a gap. However the coordinator groups its database work, it must never
 * acknowledge what it has not committed, nor record a result twice: neither one an agent delivers late, after its
 * coordinator came back (the survivor had requeued the lease by then), nor one of a change that is run again after
 * its group failed on a cut connection. Each test checks only the jobs it had acknowledged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorKilledMidBatchIT {
    private static final Map<String, String> CHECKS = Map.of("main.addrOfMemcpyish", "main.memcpyish");
    /**
     * At most this many copies in a batch: it is stopped a moment after the coordinator or database is broken, so
     * how many are submitted depends on how fast the farm takes them in (a few hundred here).
     */
    private static final int BATCH = 2000;
    /**
     * Faster than two coordinators place and settle jobs on a small machine, so that a queue builds up (2026-12-05:
     * at 100 a second, two coordinators on two cores kept up, and no batch was ever found under way).
     */
    private static final int PER_SECOND = 400;
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final List<String> FIRST_AGENTS = List.of("first-a", "first-b");
    private static final List<String> SECOND_AGENTS = List.of("second-a", "second-b");
    /** The one way other than finishing an attempt may end here: its agent's coordinator or result was lost. */
    private static final Set<String> LOST_WITH_ITS_AGENT = Set.of("EXPIRED AGENT_LOST");
    private static final String TERMINATE_COORDINATORS_CONNECTIONS = "select count(*) filter (where"
            + " pg_terminate_backend(pid)) from pg_stat_activity where datname = 'verifarm'"
            + " and pid <> pg_backend_pid()";

    private PostgresServer database;
    private Farm first;
    private Farm second;
    private FarmApi viaFirst;
    private FarmApi viaSecond;
    private Map<String, Object> job;
    /** The processes of each coordinator's agents. */
    private final List<Process> firstAgents = new ArrayList<>();
    private final List<Process> secondAgents = new ArrayList<>();
    /** A coordinator killed and not yet started again: started after the test, whatever became of it. */
    private Farm down;

    @BeforeAll
    void start() {
        database = PostgresServer.start();
        // leases of a vanished agent, or of a result the database never took, come back within seconds
        String[] settings = {"-Dverifarm.agent.heartbeat-interval=500ms", "-Dverifarm.agent.silence-limit=4s"};
        first = Farm.startOnPostgres(database, Farm.workDir().resolve("artifacts-" + UUID.randomUUID()), settings);
        second = Farm.startOnPostgres(database, Farm.workDir().resolve("artifacts-" + UUID.randomUUID()), settings);
        for (String name : FIRST_AGENTS) {
            firstAgents.add(first.startAgent(name, "amd64", 4));
        }
        for (String name : SECOND_AGENTS) {
            secondAgents.add(second.startAgent(name, "amd64", 4));
        }
        viaFirst = new FarmApi(first);
        viaSecond = new FarmApi(second);
        job = FarmApi.resolveJob(viaFirst.upload(GoBinaries.build("stubs", "amd64"), "stubs-amd64")
                .get("sha256").asText(), CHECKS);
    }

    @AfterEach
    void restartWhatIsDown() {
        if (down != null) {
            down.restartCoordinator();
            down = null;
        }
    }

    @AfterAll
    void stop() {
        Cleanup.closeAll(first, second, database);
    }

    @Test
    void aCoordinatorKilledMidBatchLosesNoAcknowledgedJobAndRecordsEachResultOnce() {
        Instant begin = Instant.now();
        awaitAllAgentsListed();
        Map<String, Integer> countedBefore = leasesCountedButNotHeld();
        // The second is killed, unless the database test left its agents with slots their coordinator counts taken
        // for good (see assertNoLeaseCountedThatTheDatabaseDoesNotHold): then the first, whose agents take work.
        boolean secondStarved = countedBefore.keySet().stream().anyMatch(SECOND_AGENTS::contains);
        Farm victim = secondStarved ? first : second;
        FarmApi viaSurvivor = secondStarved ? viaSecond : viaFirst;
        List<String> victimAgents = secondStarved ? FIRST_AGENTS : SECOND_AGENTS;
        List<Process> victimAgentProcesses = secondStarved ? firstAgents : secondAgents;
        Map<String, String> coordinatorBefore = viaSurvivor.coordinatorOfAgents();
        List<String> acknowledged = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        try (Submissions batch = Submissions.start(List.of(viaFirst, viaSecond), job, BATCH, PER_SECOND)) {
            String flowing = awaitMidBatch(batch, victimAgents);
            // Its agents are frozen for a moment before the kill and thawed after it: leases it placed meanwhile wait
            // in their sockets, run once the streams have broken, and their results are kept and delivered after the
            // restart, for leases the survivor has requeued by then (to be ignored, not recorded a second time).
            signal("STOP", victimAgentProcesses);
            try {
                Farm.sleep(Duration.ofMillis(1500));
                victim.crashCoordinator();
                down = victim;
            } finally {
                signal("CONT", victimAgentProcesses);
            }
            phases.add("through both until the kill (" + flowing + "): " + batch.stop());
            assertEquals(List.of(), batch.refusals());
            acknowledged.addAll(batch.acknowledged());
        }
        try (Submissions survivorOnly = Submissions.start(List.of(viaSurvivor), job, 100, PER_SECOND / 2)) {
            survivorOnly.awaitAcknowledged(20, LIMIT);
            victim.restartCoordinator();
            down = null;
            phases.add("through the survivor alone: " + survivorOnly.awaitAll(LIMIT));
            assertEquals(List.of(), survivorOnly.refusals());
            acknowledged.addAll(survivorOnly.acknowledged());
        }
        awaitReconnected(viaSurvivor, victimAgents, coordinatorBefore);
        long lastAttemptBeforeRestart = Long.parseLong(database.query("select coalesce(max(id), 0) from attempt"));
        try (Submissions afterRestart = Submissions.start(List.of(viaFirst, viaSecond), job, 80, PER_SECOND)) {
            phases.add("through both after the restart: " + afterRestart.awaitAll(LIMIT));
            assertEquals(List.of(), afterRestart.refusals());
            acknowledged.addAll(afterRestart.acknowledged());
        }

        JobAudit audit = assertNothingAcknowledgedLost(acknowledged, phases);
        assertNoLeaseCountedThatTheDatabaseDoesNotHold(countedBefore);
        Map<String, Integer> tookWork = audit.finishedAttemptsAfter(lastAttemptBeforeRestart);
        assertTrue(victimAgents.stream().anyMatch(tookWork::containsKey),
                "the killed coordinator's agents " + victimAgents + " finished none of the attempts leased after"
                        + " its restart: " + tookWork + "; " + victim.describe());
        System.out.printf("coordinator killed mid-batch: %s, %d late results ignored; %s; after the restart its agents"
                        + " finished %s; %d ms%n", audit.summary(), audit.eventsLike("late result of attempt %"),
                phases, tookWork, Duration.between(begin, Instant.now()).toMillis());
    }

    @Test
    void theDatabaseCuttingTheCoordinatorsConnectionsMidBatchLosesNoAcknowledgedJobAndRecordsEachResultOnce() {
        Instant begin = Instant.now();
        awaitAllAgentsListed();
        List<String> acknowledged = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        List<Integer> terminated = new ArrayList<>();
        Map<String, Integer> countedBefore = leasesCountedButNotHeld();
        try (Submissions batch = Submissions.start(List.of(viaFirst, viaSecond), job, BATCH, PER_SECOND)) {
            String flowing = awaitMidBatch(batch, Stream.concat(FIRST_AGENTS.stream(), SECOND_AGENTS.stream())
                    .toList());
            terminated.add(Integer.parseInt(database.query(TERMINATE_COORDINATORS_CONNECTIONS)));
            Farm.sleep(Duration.ofSeconds(1));
            terminated.add(Integer.parseInt(database.query(TERMINATE_COORDINATORS_CONNECTIONS)));
            // submissions go on through the coordinators as they get new connections
            batch.awaitAcknowledged(batch.acknowledged().size() + 100, LIMIT);
            phases.add("through both, connections cut when " + flowing + ": " + batch.stop());
            assertEquals(List.of(), batch.refusals());
            acknowledged.addAll(batch.acknowledged());
        }
        assertTrue(terminated.get(0) > 0, "no coordinator connection to cut: " + terminated);

        JobAudit audit = assertNothingAcknowledgedLost(acknowledged, phases);
        assertNoLeaseCountedThatTheDatabaseDoesNotHold(countedBefore);
        System.out.printf("database connections cut mid-batch (%s backends terminated): %s; %s; %d ms%n",
                terminated, audit.summary(), phases, Duration.between(begin, Instant.now()).toMillis());
    }

    /** The invariants over the test's own jobs: each acknowledged job passed once, its result recorded once. */
    private JobAudit assertNothingAcknowledgedLost(List<String> acknowledged, List<String> phases) {
        JobAudit audit = new JobAudit(database, acknowledged);
        boolean finished = audit.awaitFinished(LIMIT);
        List<String> violations = audit.violations("PASSED", CHECKS.size(), LOST_WITH_ITS_AGENT);
        assertTrue(finished && violations.isEmpty(), (finished ? "" : "jobs unfinished after " + LIMIT + "; ")
                + String.join("\n", violations) + "\n" + audit.summary() + "; " + phases + "; " + first.describe()
                + ", " + second.describe());
        return audit;
    }

    /**
     * Per agent, how many more leases its coordinator counts it as running (and so keeps it from taking new ones up
     * to its capacity) than the database holds active attempts for; agents where the two agree are left out.
     */
    private Map<String, Integer> leasesCountedButNotHeld() {
        Map<String, Integer> excess = new TreeMap<>(viaFirst.runningByAgent());
        database.query("select agent_name || '|' || count(*) from attempt where state in ('LEASED', 'RUNNING')"
                + " group by agent_name").lines().filter(line -> !line.isEmpty()).forEach(line -> excess.merge(
                line.substring(0, line.indexOf('|')), -Integer.parseInt(line.substring(line.indexOf('|') + 1)),
                Integer::sum));
        excess.values().removeIf(n -> n == 0);
        return excess;
    }

    /** Whether each agent's miscount is none, or of the same sign as {@code before} and no larger. */
    private static boolean noWorse(Map<String, Integer> excess, Map<String, Integer> before) {
        return excess.entrySet().stream().allMatch(e -> {
            int was = before.getOrDefault(e.getKey(), 0);
            return Integer.signum(e.getValue()) == Integer.signum(was) && Math.abs(e.getValue()) <= Math.abs(was);
        });
    }

    /**
     * No agent's coordinator counts it as running a lease the database does not hold (or the reverse), beyond what
     * it did {@code before} the test (a lease counted that never committed takes one of that agent's slots for good,
     * until it reconnects; a test after one that found such a lease must not fail for it). Waits for the
     * coordinators' fleet records to catch up.
     */
    private void assertNoLeaseCountedThatTheDatabaseDoesNotHold(Map<String, Integer> before) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Map<String, Integer> excess = leasesCountedButNotHeld();
        while (!noWorse(excess, before)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("leases counted by the agents' coordinators minus those the database holds,"
                        + " per agent: " + excess + " (before the test: " + before + "), running as counted: "
                        + viaFirst.runningByAgent() + "; a coordinator that counts leases its agent does not hold"
                        + " gives it fewer new ones, or none; " + first.describe() + ", " + second.describe());
            }
            Farm.sleep(Duration.ofMillis(500));
            excess = leasesCountedButNotHeld();
        }
    }

    /**
     * Waits until the batch is flowing: some of its jobs finished, many still queued, leased or running, and some
     * leased to {@code holders}. Says how it found the batch.
     */
    private String awaitMidBatch(Submissions batch, Collection<String> holders) {
        Instant deadline = Instant.now().plus(LIMIT);
        int mostUnfinished = 0;
        while (true) {
            JobAudit audit = new JobAudit(database, batch.acknowledged());
            Map<String, Integer> states = audit.states();
            int unfinished = Stream.of("QUEUED", "LEASED", "RUNNING").mapToInt(s -> states.getOrDefault(s, 0)).sum();
            mostUnfinished = Math.max(mostUnfinished, unfinished);
            int held = audit.activeAttemptsOn(holders);
            if (states.getOrDefault("PASSED", 0) >= 20 && unfinished >= 40 && held >= 1) {
                return "jobs " + states + ", " + held + " leased to " + holders;
            }
            if (Instant.now().isAfter(deadline) || batch.done()) {
                throw new AssertionError("the batch never was under way with jobs finished and to do: " + states
                        + ", " + held + " leased to " + holders + ", at most " + mostUnfinished
                        + " unfinished at once; " + batch);
            }
            Farm.sleep(Duration.ofMillis(100));
        }
    }

    /** Sends {@code signal} (STOP, CONT) to each of {@code processes}. */
    private static void signal(String signal, List<Process> processes) {
        for (Process process : processes) {
            try {
                new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot send SIG" + signal + " to " + process.pid(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every coordinator lists all four agents: a test may follow one that restarted a coordinator. */
    private void awaitAllAgentsListed() {
        List<String> all = Stream.concat(FIRST_AGENTS.stream(), SECOND_AGENTS.stream()).toList();
        for (FarmApi api : List.of(viaFirst, viaSecond)) {
            api.awaitAgents(names -> names.containsAll(all), "list all four agents");
        }
    }

    /**
     * Waits until {@code api} lists {@code agents} connected to one coordinator other than the one they were
     * connected to in {@code before}: the one restarted.
     */
    private static void awaitReconnected(FarmApi api, List<String> agents, Map<String, String> before) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Map<String, String> now = api.coordinatorOfAgents();
        while (!reconnected(now, agents, before)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the killed coordinator's agents " + agents + " were not listed again"
                        + " within 60 s: before " + before + ", now " + now);
            }
            Farm.sleep(Duration.ofMillis(200));
            now = api.coordinatorOfAgents();
        }
    }

    private static boolean reconnected(Map<String, String> now, List<String> agents, Map<String, String> before) {
        Map<String, String> coordinators = new TreeMap<>(now);
        coordinators.keySet().retainAll(agents);
        return coordinators.size() == agents.size() && Set.copyOf(coordinators.values()).size() == 1
                && agents.stream().noneMatch(a -> coordinators.get(a).equals(before.get(a)));
    }
}
