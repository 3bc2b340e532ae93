package dev.verifarm.agent.farm;

import com.google.protobuf.ByteString;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactChunk;
import dev.verifarm.proto.v1.DownloadArtifactRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Uploaded artifacts kept on this host by sha256, fetched from the coordinator on first use. A file in the cache
 * has been verified against its name; a download that does not hash to what was asked for never enters it.
 */
final class ArtifactCache {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long DOWNLOAD_TIMEOUT_SECONDS = 600;

    private final Path dir;
    private final Supplier<AgentServiceGrpc.AgentServiceBlockingStub> coordinator;
    private final ConcurrentHashMap<String, Object> downloading = new ConcurrentHashMap<>();

    /** {@code coordinator}: the coordinator the agent talks to now, which may change between downloads. */
    ArtifactCache(Path dir, Supplier<AgentServiceGrpc.AgentServiceBlockingStub> coordinator) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.coordinator = coordinator;
    }

    /** The cached file of {@code sha256}, downloading it once however many leases ask at the same time. */
    Path obtain(String sha256) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IOException("not a sha256: '" + sha256 + "'");
        }
        Path cached = dir.resolve(sha256);
        synchronized (downloading.computeIfAbsent(sha256, k -> new Object())) {
            if (!Files.isRegularFile(cached)) {
                download(sha256, cached);
            }
        }
        return cached;
    }

    private void download(String sha256, Path cached) throws IOException {
        Path partial = Files.createTempFile(dir, sha256 + ".", ".partial");
        try {
            MessageDigest digest = sha256Digest();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
                Iterator<ArtifactChunk> chunks = coordinator.get()
                        .withDeadlineAfter(DOWNLOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .downloadArtifact(DownloadArtifactRequest.newBuilder().setSha256(sha256).build());
                while (chunks.hasNext()) {
                    ByteString data = chunks.next().getData();
                    data.writeTo(out);
                }
            } catch (io.grpc.StatusRuntimeException e) {
                throw new IOException("downloading artifact " + sha256 + " failed: " + e.getStatus(), e);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw new IOException("downloaded artifact hashes to " + actual + ", not the " + sha256 + " asked for");
            }
            Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
