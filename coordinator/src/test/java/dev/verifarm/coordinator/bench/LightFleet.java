package dev.verifarm.coordinator.bench;

import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.threads.DaemonThreads;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many {@link LightAgent}s connected to one farm from this process: each with its own token and TCP connection,
 * all sharing two event-loop threads, a small callback pool and one heartbeat clock, so a thousand cost the test
 * process little. The fleet only grows; closing it disconnects every agent.
 */
final class LightFleet implements AutoCloseable {
    private static final Duration CONNECT_LIMIT = Duration.ofMinutes(5);

    private final Farm farm;
    private final EventLoopGroup loops = new NioEventLoopGroup(2, DaemonThreads.named("light-fleet-io"));
    private final ExecutorService callbacks = Executors.newFixedThreadPool(4,
            DaemonThreads.named("light-fleet-callbacks"));
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("light-fleet-heartbeats"));
    private final LongAdder results = new LongAdder();
    private final List<LightAgent> agents = new ArrayList<>();

    LightFleet(Farm farm) {
        this.farm = farm;
    }

    /**
     * Connects new agents until {@code size} are connected and the coordinator lists them all. Their tokens are
     * made first; the time returned runs from the first new connection to the last agent listed.
     */
    Duration growTo(int size) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = agents.size(); i < size; i++) {
            names.add("light-" + i);
        }
        List<String> tokens = createTokens(names);
        long t0 = System.nanoTime();
        List<LightAgent> added = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            added.add(LightAgent.connect(names.get(i), farm.channel(tokens.get(i), loops, callbacks), clock,
                    results));
        }
        agents.addAll(added);
        CompletableFuture.allOf(added.stream().map(a -> a.registered).toArray(CompletableFuture[]::new))
                .get(CONNECT_LIMIT.toSeconds(), TimeUnit.SECONDS);
        SubmissionServiceGrpc.SubmissionServiceBlockingStub submission =
                SubmissionServiceGrpc.newBlockingStub(farm.channel());
        long deadline = t0 + CONNECT_LIMIT.toNanos();
        while (submission.listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsCount() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the coordinator did not list " + size + " agents within " + CONNECT_LIMIT
                        + "; " + farm.describe());
            }
            Farm.sleep(Duration.ofMillis(20));
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** One agent token per name, made over REST by four threads at once. */
    private List<String> createTokens(List<String> names) throws Exception {
        ExecutorService makers = Executors.newFixedThreadPool(4, DaemonThreads.named("light-fleet-tokens"));
        try {
            List<Future<String>> made = new ArrayList<>();
            for (String name : names) {
                made.add(makers.submit(() -> farm.createToken(name, "agent")));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> token : made) {
                tokens.add(token.get());
            }
            return tokens;
        } finally {
            makers.shutdown();
        }
    }

    int size() {
        return agents.size();
    }

    /** The check results the agents have sent so far. */
    long results() {
        return results.sum();
    }

    /** How many agents' streams the coordinator has ended. */
    long lost() {
        return agents.stream().filter(a -> a.ended.isDone()).count();
    }

    @Override
    public void close() {
        agents.forEach(LightAgent::close);
        clock.shutdownNow();
        // the channels end their calls on the callback pool and the event loops: those go last
        callbacks.shutdown();
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
}
