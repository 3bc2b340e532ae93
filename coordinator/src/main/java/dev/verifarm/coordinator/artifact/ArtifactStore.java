package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.capacity.DiskSpace;
import dev.verifarm.coordinator.capacity.SubmitterQuota;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.problem.TooLargeException;
import dev.verifarm.coordinator.store.ArtifactEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Artifacts in the database, a row and its chunks each (see {@link ArtifactChunks}), cached on disk under
 * {@code <artifact-dir>/<sha256>}. An upload is written to a temporary file and verified before it is stored, so a
 * broken upload leaves neither file nor row. Coordinators sharing one database share nothing else: an agent may
 * download from any of them what another one received, and the one it asks fetches the bytes from the database
 * into its cache, verified against the sha256, on first use.
 */
@ApplicationScoped
public class ArtifactStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final long maxSize;
    private final DiskSpace disk;
    private final SubmitterQuota quota;
    private final ConcurrentHashMap<String, Object> fetching = new ConcurrentHashMap<>();

    ArtifactStore(CoordinatorConfig config, DiskSpace disk, SubmitterQuota quota) {
        this.dir = config.artifact().dir();
        this.maxSize = config.artifact().maxSize();
        this.disk = disk;
        this.quota = quota;
    }

    /**
     * Starts an upload by {@code uploader}; a declared size or sha256 is checked when the upload finishes. A declared
     * size is held against the free disk space and the uploader's quota now, the actual size at the end.
     */
    public Upload begin(Caller uploader, String name, OptionalLong declaredSize, Optional<String> declaredSha256) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new InvalidInputException("name", "the artifact name is required, at most 255 characters");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // The name is a label only (files are named by sha256), but it reaches logs and terminals.
            throw new InvalidInputException("name", "the artifact name must not contain control characters");
        }
        if (declaredSize.isPresent() && declaredSize.getAsLong() > maxSize) {
            throw new TooLargeException("size", "the declared size of " + declaredSize.getAsLong()
                    + " bytes is larger than the limit of " + maxSize + " bytes");
        }
        declaredSha256.ifPresent(sha -> requireSha256("sha256", sha));
        disk.requireRoomFor(declaredSize.orElse(0));
        quota.requireDeclared(uploader, declaredSize.orElse(0), declaredSha256);
        try {
            Files.createDirectories(dir);
            return new Upload(Files.createTempFile(dir, "upload-", ".partial"), uploader, name.strip(), declaredSize,
                    declaredSha256, maxSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an upload file in " + dir, e);
        }
    }

    /** Verifies a finished upload and keeps it; uploading the same bytes again returns the artifact kept before. */
    @Transactional
    public StoredArtifact complete(Upload upload) {
        try (upload) {
            Upload.Verified verified = upload.verify();
            ArtifactEntity existing = ArtifactEntity.findById(verified.sha256());
            if (existing != null) {
                return view(existing);
            }
            quota.require(upload.uploader(), verified.size());
            ArtifactEntity entity = new ArtifactEntity();
            entity.sha256 = verified.sha256();
            entity.name = verified.name();
            entity.size = verified.size();
            entity.architecture = verified.architecture();
            entity.createdAt = Instant.now();
            entity.uploadedBy = upload.uploader().tokenId();
            entity.persist();
            ArtifactEntity.flush();  // the row the chunks reference
            ArtifactChunks.store(verified.sha256(), verified.file());
            Files.move(verified.file(), dir.resolve(verified.sha256()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return view(entity);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the artifact in " + dir, e);
        }
    }

    @Transactional
    public StoredArtifact get(String field, String sha256) {
        requireSha256(field, sha256);
        ArtifactEntity entity = ArtifactEntity.findById(sha256);
        if (entity == null) {
            throw new NotFoundException(field, "no artifact with sha256 " + sha256 + " has been uploaded");
        }
        return view(entity);
    }

    /**
     * The artifact a job about to be submitted checks, its row locked for share until the submission commits: an
     * artifact being deleted (retention.ArtifactDeletion locks the row for update) is either gone by then or sees
     * the new job as a referrer.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public StoredArtifact getForUse(String field, String sha256) {
        requireSha256(field, sha256);
        ArtifactEntity entity = ArtifactEntity.findById(sha256, LockModeType.PESSIMISTIC_READ);
        if (entity == null) {
            throw new NotFoundException(field, "no artifact with sha256 " + sha256 + " has been uploaded");
        }
        return view(entity);
    }

    /** This coordinator's cached file of an artifact, which may or may not exist. */
    public Path cacheFile(String sha256) {
        return dir.resolve(sha256);
    }

    /**
     * The file of an artifact that {@link #get} found: from this coordinator's cache, or fetched from the database
     * into it first, once however many callers ask at the same time.
     */
    public Path cached(String sha256) {
        Path file = dir.resolve(sha256);
        synchronized (fetching.computeIfAbsent(sha256, k -> new Object())) {
            if (!Files.isRegularFile(file)) {
                fetch(sha256, file);
            }
        }
        return file;
    }

    /** Copies the artifact's chunks to {@code file}, which it becomes only if they hash to {@code sha256}. */
    private void fetch(String sha256, Path file) {
        try {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "fetch-", ".partial");
            try {
                MessageDigest digest = Upload.sha256();
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
                    QuarkusTransaction.requiringNew().run(() -> copyChunks(sha256, out));
                }
                String got = HexFormat.of().formatHex(digest.digest());
                if (!got.equals(sha256)) {
                    throw new IllegalStateException("the stored chunks of artifact " + sha256 + " hash to " + got
                            + ": the database holds damaged bytes");
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache artifact " + sha256 + " in " + dir, e);
        }
    }

    private static void copyChunks(String sha256, OutputStream out) {
        if (!ArtifactChunks.stored(sha256)) {
            throw new NotFoundException("sha256", "the bytes of artifact " + sha256 + " are neither in the database"
                    + " nor in this coordinator's artifact directory: it was uploaded, before artifacts were kept"
                    + " in the database, to another coordinator");
        }
        try {
            ArtifactChunks.copy(sha256, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void requireSha256(String field, String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidInputException(field, "a sha256 is 64 lower-case hex digits, got '" + sha256 + "'");
        }
    }

    private static StoredArtifact view(ArtifactEntity e) {
        return new StoredArtifact(e.sha256, e.name, e.size, e.architecture, e.createdAt);
    }
}
