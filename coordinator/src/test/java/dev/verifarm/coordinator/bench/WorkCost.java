package dev.verifarm.coordinator.bench;

import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a stretch of work cost: PostgreSQL's transactions (commits and rollbacks, from {@code pg_stat_database}),
 * write-ahead log bytes and the growth of the database on disk, and the CPU time of the database's processes, of
 * the coordinators' (with their JIT compilers' share), of their agents and of the bench's own process, which
 * submits: on a shared machine they all draw on the same cores. Take one snapshot before and one after; the
 * difference is divided by the jobs done, or by the seconds an idle farm took.
 */
record WorkCost(Instant at, long transactions, long walBytes, long storedBytes, Duration databaseCpu,
                Duration coordinatorCpu, Duration coordinatorJit, Duration agentCpu, Duration clientCpu) {
    /**
     * An idle PostgreSQL backend flushes its pending statistics within 10 s (PGSTAT_IDLE_INTERVAL, PostgreSQL 15
     * and newer); waiting longer makes the counts whole.
     */
    private static final Duration STATISTICS_FLUSH = Duration.ofSeconds(11);

    static WorkCost take(PostgresServer database, List<Farm> coordinators) {
        Farm.sleep(STATISTICS_FLUSH);
        String[] stats = database.query("select xact_commit + xact_rollback, pg_current_wal_lsn() - '0/0',"
                + " pg_database_size(datname) from pg_stat_database where datname = current_database()")
                .split("\\|");
        List<ProcessCpu> coordinatorCpu = coordinators.stream().map(f -> ProcessCpu.of(f.coordinatorPid())).toList();
        return new WorkCost(Instant.now(), Long.parseLong(stats[0]), Long.parseLong(stats[1]),
                Long.parseLong(stats[2]), databaseCpu(database),
                coordinatorCpu.stream().map(ProcessCpu::total).reduce(Duration.ZERO, Duration::plus),
                coordinatorCpu.stream().map(ProcessCpu::compiler).reduce(Duration.ZERO, Duration::plus),
                coordinators.stream().flatMap(f -> f.liveAgents().stream()).map(WorkCost::cpu)
                        .reduce(Duration.ZERO, Duration::plus),
                cpu(ProcessHandle.current()));
    }

    /** Per job of {@code jobs}, from {@code before} to this snapshot. */
    String perJob(WorkCost before, int jobs) {
        return describe(before, jobs);
    }

    /** Per second from {@code before} to this snapshot: what the farm costs doing nothing. */
    String perSecond(WorkCost before) {
        return describe(before, Duration.between(before.at, at).toMillis() / 1000.0);
    }

    private String describe(WorkCost before, double divisor) {
        return String.format("%.1f transactions, %.0f WAL bytes, %.0f stored bytes, %.2f ms database CPU,"
                        + " %.2f ms coordinator CPU (%.2f ms of it JIT compiler threads), %.2f ms agent CPU,"
                        + " %.2f ms bench client CPU",
                (transactions - before.transactions) / divisor,
                (walBytes - before.walBytes) / divisor, (storedBytes - before.storedBytes) / divisor,
                databaseCpu.minus(before.databaseCpu).toNanos() / 1e6 / divisor,
                coordinatorCpu.minus(before.coordinatorCpu).toNanos() / 1e6 / divisor,
                coordinatorJit.minus(before.coordinatorJit).toNanos() / 1e6 / divisor,
                agentCpu.minus(before.agentCpu).toNanos() / 1e6 / divisor,
                clientCpu.minus(before.clientCpu).toNanos() / 1e6 / divisor);
    }

    /**
     * CPU time used so far by the server's live processes (the postmaster and its children): a backend that has
     * exited takes its time with it, so measure while the coordinators' pooled connections stay open.
     */
    private static Duration databaseCpu(PostgresServer database) {
        ProcessHandle server = database.postmaster();
        return Stream.concat(Stream.of(server), server.descendants()).map(WorkCost::cpu)
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
