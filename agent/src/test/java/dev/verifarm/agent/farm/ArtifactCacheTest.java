package dev.verifarm.agent.farm;

import com.google.protobuf.ByteString;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactChunk;
import dev.verifarm.proto.v1.DownloadArtifactRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The artifact cache's bound, against a coordinator's download face in this process, on a loopback port. */
class ArtifactCacheTest {
    private static final int KB = 1024;

    private final Map<String, byte[]> artifacts = new HashMap<>();
    private final Map<String, Integer> downloads = new ConcurrentHashMap<>();
    private final List<Path> evicted = new ArrayList<>();
    private Server server;
    private ManagedChannel channel;
    private Path dir;

    @BeforeEach
    void startCoordinator() throws IOException {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new AgentServiceGrpc.AgentServiceImplBase() {
                    @Override
                    public void downloadArtifact(DownloadArtifactRequest request,
                                                 StreamObserver<ArtifactChunk> response) {
                        byte[] bytes = artifacts.get(request.getSha256());
                        if (bytes == null) {
                            response.onError(Status.NOT_FOUND.asRuntimeException());
                            return;
                        }
                        downloads.merge(request.getSha256(), 1, Integer::sum);
                        response.onNext(ArtifactChunk.newBuilder().setData(ByteString.copyFrom(bytes)).build());
                        response.onCompleted();
                    }
                }).build().start();
        channel = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
                .build();
        dir = Files.createTempDirectory("verifarm-cache-test");
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void theLeastRecentlyUsedArtifactGoesWhenTheBoundIsPassed() throws IOException {
        ArtifactCache cache = cache(250 * KB, 0);
        String a = artifact(100);
        String b = artifact(100);
        String c = artifact(100);
        obtainAndRelease(cache, a);
        obtainAndRelease(cache, b);
        obtainAndRelease(cache, a);  // b is now the least recently used

        obtainAndRelease(cache, c);

        assertEquals(List.of(dir.resolve(b)), evicted);
        assertFalse(Files.exists(dir.resolve(b)));
        assertTrue(Files.exists(dir.resolve(a)) && Files.exists(dir.resolve(c)));
        assertEquals(200 * KB, cache.bytes());
    }

    @Test
    void anArtifactALeaseHoldsIsNeverEvictedAndGoesOnceReleased() throws IOException {
        ArtifactCache cache = cache(150 * KB, 0);
        String a = artifact(100);
        String b = artifact(100);
        ArtifactCache.Held held = cache.obtain(a, () -> {
        });

        obtainAndRelease(cache, b);  // over the bound: a is the eldest, but held; b itself goes once released

        assertTrue(Files.exists(held.path()), "a held artifact stays");
        assertEquals(List.of(dir.resolve(b)), evicted);
        held.close();
        obtainAndRelease(cache, b);
        assertEquals(List.of(dir.resolve(b), dir.resolve(a)), evicted, "released, a is the eldest and goes");
    }

    @Test
    void anEvictedArtifactIsFetchedAgainWhenALeaseNeedsIt() throws IOException {
        ArtifactCache cache = cache(150 * KB, 0);
        String a = artifact(100);
        String b = artifact(100);
        obtainAndRelease(cache, a);
        obtainAndRelease(cache, b);

        List<String> told = new ArrayList<>();
        try (ArtifactCache.Held again = cache.obtain(a, () -> told.add(a))) {
            assertEquals(2, downloads.get(a));
            assertTrue(Files.exists(again.path()));
        }
        assertEquals(List.of(a), told, "a download is announced before it starts");
        assertEquals(1, downloads.get(b), "a cached artifact is not fetched twice");
        cache.obtain(a, () -> told.add(a)).close();
        assertEquals(2, downloads.get(a));
        assertEquals(List.of(a), told, "a cached artifact is not announced");
    }

    @Test
    void filesLeftByAnEarlierRunCountAgainstTheBound() throws IOException {
        String a = artifact(100);
        obtainAndRelease(cache(Long.MAX_VALUE, 0), a);

        ArtifactCache restarted = cache(50 * KB, 0);

        assertEquals(0, restarted.bytes(), "over the bound at start, the old file goes");
        assertFalse(Files.exists(dir.resolve(a)));
    }

    @Test
    void aNearlyFullDiskMakesTheCacheUnhealthyAndItFetchesNothing() throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        ArtifactCache cache = cache(Long.MAX_VALUE, free + (1L << 40));

        dev.verifarm.agent.health.Health health = cache.health();
        IOException refused = assertThrows(IOException.class, () -> cache.obtain(artifact(1), () -> {
        }));

        assertTrue(health.unhealthy());
        assertEquals("cache disk", health.check());
        assertTrue(health.reason().startsWith("the artifact cache's disk (" + dir + ") has ")
                && health.reason().matches(".* has [0-9.]+ [KMGT]iB free, below --cache-min-free [0-9.]+ TiB, .*"),
                health.reason());
        assertTrue(refused.getMessage().contains("below --cache-min-free"), refused.getMessage());
        assertTrue(downloads.isEmpty());
        assertTrue(cache(Long.MAX_VALUE, 0).health().healthy());
    }

    private ArtifactCache cache(long maxBytes, long minFreeBytes) throws IOException {
        return new ArtifactCache(dir, maxBytes, minFreeBytes, () -> AgentServiceGrpc.newBlockingStub(channel),
                evicted::add, Clock.systemUTC());
    }

    private static void obtainAndRelease(ArtifactCache cache, String sha256) throws IOException {
        cache.obtain(sha256, () -> {
        }).close();
    }

    /** A new artifact of {@code kb} KiB the coordinator serves; returns its sha256. */
    private String artifact(int kb) {
        byte[] bytes = new byte[kb * KB];
        bytes[0] = (byte) artifacts.size();
        bytes[1] = (byte) (artifacts.size() >> 8);
        String sha256 = HexFormat.of().formatHex(ArtifactCache.sha256Digest().digest(bytes));
        artifacts.put(sha256, bytes);
        return sha256;
    }
}
