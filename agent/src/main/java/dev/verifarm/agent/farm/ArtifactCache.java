package dev.verifarm.agent.farm;

import com.google.protobuf.ByteString;
import dev.verifarm.agent.health.Health;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactChunk;
import dev.verifarm.proto.v1.DownloadArtifactRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Uploaded artifacts kept on this host by sha256, fetched from the coordinator on first use. A file in the cache
 * has been verified against its name; a download that does not hash to what was asked for never enters it. The
 * cache holds at most {@code maxBytes} and leaves {@code minFreeBytes} free on its disk: past either it deletes the
 * least recently used files no lease holds (a deleted one is fetched again when a lease needs it). A disk that
 * stays nearly full all the same (filled by something else) makes the cache unhealthy: it fetches nothing new.
 */
final class ArtifactCache {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long DOWNLOAD_TIMEOUT_SECONDS = 600;

    private final Path dir;
    private final long maxBytes;
    private final long minFreeBytes;
    private final Supplier<AgentServiceGrpc.AgentServiceBlockingStub> coordinator;
    private final Consumer<Path> evicted;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> downloading = new ConcurrentHashMap<>();
    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    private static final class Entry {
        final long size;
        int holders;

        Entry(long size) {
            this.size = size;
        }
    }

    /** A cached file a lease holds: it is not evicted until closed. */
    interface Held extends AutoCloseable {
        Path path();

        @Override
        void close();
    }

    /**
     * {@code coordinator}: the coordinator the agent talks to now, which may change between downloads;
     * {@code evicted}: told of each file deleted, so what keeps it opened lets it go and its space is freed.
     * Files already in {@code dir} are kept, the least recently modified first to go.
     */
    ArtifactCache(Path dir, long maxBytes, long minFreeBytes,
                  Supplier<AgentServiceGrpc.AgentServiceBlockingStub> coordinator, Consumer<Path> evicted, Clock clock)
            throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        this.minFreeBytes = minFreeBytes;
        this.coordinator = coordinator;
        this.evicted = evicted;
        this.clock = clock;
        try (Stream<Path> files = Files.list(this.dir)) {
            for (Path p : files.sorted(Comparator.comparing(ArtifactCache::modified)).toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".partial")) {
                    Files.deleteIfExists(p);  // a download the agent was stopped in
                } else if (SHA256.matcher(name).matches() && Files.isRegularFile(p)) {
                    long size = Files.size(p);
                    entries.put(name, new Entry(size));
                    bytes += size;
                }
            }
        }
        synchronized (this) {
            trim();
        }
    }

    /**
     * The cached file of {@code sha256}, held until closed; downloaded once however many leases ask at once, after
     * calling {@code announce}.
     */
    Held obtain(String sha256, Runnable announce) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IOException("not a sha256: '" + sha256 + "'");
        }
        Path cached = dir.resolve(sha256);
        synchronized (downloading.computeIfAbsent(sha256, k -> new Object())) {
            synchronized (this) {
                Entry entry = entries.get(sha256);
                if (entry != null && Files.isRegularFile(cached)) {
                    return hold(sha256, entry);
                }
                if (entry != null) {
                    entries.remove(sha256);  // deleted behind the agent's back
                    bytes -= entry.size;
                }
                Optional<String> full = diskFull();
                if (full.isPresent()) {
                    throw new IOException("not fetching artifact " + sha256 + ": " + full.get());
                }
            }
            announce.run();
            download(sha256, cached);
            synchronized (this) {
                Entry entry = new Entry(Files.size(cached));
                entries.put(sha256, entry);
                bytes += entry.size;
                Held held = hold(sha256, entry);
                trim();
                return held;
            }
        }
    }

    /** HEALTHY while the cache's disk has {@code minFreeBytes} free once every unheld file could go. */
    synchronized Health health() {
        return diskFull().map(reason -> Health.unhealthy("cache disk", reason, clock.instant()))
                .orElseGet(() -> Health.healthy(clock.instant()));
    }

    /** The bytes of artifacts kept now. */
    synchronized long bytes() {
        return bytes;
    }

    private Held hold(String sha256, Entry entry) {
        entry.holders++;
        Path path = dir.resolve(sha256);
        return new Held() {
            private boolean closed;

            @Override
            public Path path() {
                return path;
            }

            @Override
            public void close() {
                synchronized (ArtifactCache.this) {
                    if (!closed) {
                        closed = true;
                        entry.holders--;
                        trim();
                    }
                }
            }
        };
    }

    /** Why nothing more may be fetched, after evicting what may go: the disk's free space is below the minimum. */
    private Optional<String> diskFull() {
        trim();
        long free = usableSpace();
        if (free >= minFreeBytes) {
            return Optional.empty();
        }
        return Optional.of("the artifact cache's disk (" + dir + ") has " + ByteSize.format(free)
                + " free, below --cache-min-free " + ByteSize.format(minFreeBytes) + ", with "
                + ByteSize.format(bytes) + " of artifacts in the cache held by running leases");
    }

    /** Evicts the least recently used unheld files while over the size bound or short of free disk space. */
    private void trim() {
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (bytes <= maxBytes && usableSpace() >= minFreeBytes) {
                return;
            }
            Map.Entry<String, Entry> eldest = it.next();
            if (eldest.getValue().holders == 0) {
                it.remove();
                bytes -= eldest.getValue().size;
                Path path = dir.resolve(eldest.getKey());
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // the file stays on disk uncounted; nothing reads it again but a new download would replace it
                }
                evicted.accept(path);
            }
        }
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
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
