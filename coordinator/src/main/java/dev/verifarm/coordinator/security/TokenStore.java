package dev.verifarm.coordinator.security;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.store.ApiTokenEntity;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * API tokens: random secrets of 256 bits, stored as their SHA-256. Authentication reads an in-memory copy of the
 * live tokens, so it costs no database call and may run on an I/O thread; the copy changes when a token made or
 * revoked here is committed, and is reloaded every {@code verifarm.security.token-refresh} for those revoked by
 * another coordinator sharing the database. A reload that overlapped a change here is dropped, so it can neither
 * lose a new token nor bring back a revoked one.
 */
@ApplicationScoped
public class TokenStore {
    private static final Logger LOG = Logger.getLogger(TokenStore.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,126}\\*?");
    private static final String PREFIX = "vf_";

    private final SecureRandom random = new SecureRandom();
    private final Event<Change> changes;
    private final Object lock = new Object();
    private volatile Map<String, Caller> live = Map.of();
    private long changeCount;  // guarded by lock
    private volatile boolean started;

    TokenStore(Event<Change> changes) {
        this.changes = changes;
    }

    /** A token made ({@code caller} present) or revoked ({@code caller} null) by this coordinator. */
    record Change(String sha256, Caller caller) {
    }

    /** Creates a token; {@code createdBy} names who asked (a token name, or {@code bootstrap}). */
    @Transactional
    public NewToken create(String name, Role role, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "a token name is 1 to 128 letters, digits, '.', '_', '@' or"
                    + " '-', starting with a letter or digit" + (role == Role.AGENT ? "; an agent token may end in"
                    + " '*' to enrol every agent whose name starts with what precedes it" : "")
                    + ", got '" + name + "'");
        }
        if (name.endsWith("*") && role != Role.AGENT) {
            throw new InvalidInputException("name", "only agent token names may end in '*'");
        }
        if (role == null) {
            throw new InvalidInputException("role", "a role is required: reader, submitter, admin or agent");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiTokenEntity entity = new ApiTokenEntity();
        entity.id = UUID.randomUUID().toString();
        entity.name = name;
        entity.role = role;
        entity.tokenSha256 = sha256(secret);
        entity.createdAt = Instant.now();
        entity.createdBy = createdBy;
        entity.persist();
        LOG.infof("token %s created: %s, by %s", entity.id, name, createdBy);
        changes.fire(new Change(entity.tokenSha256, new Caller(entity.id, name, role)));
        return new NewToken(view(entity), secret);
    }

    @Transactional
    public List<ApiToken> list() {
        return ApiTokenEntity.<ApiTokenEntity>listAll().stream()
                .sorted((a, b) -> a.createdAt.compareTo(b.createdAt)).map(TokenStore::view).toList();
    }

    /** Revokes a token; revoking one already revoked changes nothing. */
    @Transactional
    public ApiToken revoke(String id, String revokedBy) {
        ApiTokenEntity entity = id == null ? null : ApiTokenEntity.findById(id);
        if (entity == null) {
            throw new NotFoundException("id", "no token " + id);
        }
        if (entity.revokedAt == null) {
            entity.revokedAt = Instant.now();
            LOG.infof("token %s (%s) revoked by %s", entity.id, entity.name, revokedBy);
        }
        changes.fire(new Change(entity.tokenSha256, null));
        return view(entity);
    }

    @Transactional
    public boolean empty() {
        return ApiTokenEntity.count() == 0;
    }

    /** The caller a presented secret belongs to; empty for an unknown or revoked token. */
    public Optional<Caller> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 128) {
            return Optional.empty();
        }
        return Optional.ofNullable(live.get(sha256(secret)));
    }

    /** Loads the live tokens, then keeps reloading them. Called once the schema is migrated. */
    void start() {
        reload();
        started = true;
    }

    @Scheduled(every = "${verifarm.security.token-refresh}", delayed = "${verifarm.security.token-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadOnTimer() {
        if (started) {
            reloadQuietly();
        }
    }

    void apply(@Observes(during = TransactionPhase.AFTER_SUCCESS) Change change) {
        synchronized (lock) {
            Map<String, Caller> next = new HashMap<>(live);
            if (change.caller() == null) {
                next.remove(change.sha256());
            } else {
                next.put(change.sha256(), change.caller());
            }
            live = Map.copyOf(next);
            changeCount++;
        }
    }

    @ActivateRequestContext
    @Transactional
    void reload() {
        long before;
        synchronized (lock) {
            before = changeCount;
        }
        Map<String, Caller> loaded = ApiTokenEntity.<ApiTokenEntity>list("revokedAt is null").stream()
                .collect(Collectors.toUnmodifiableMap(t -> t.tokenSha256, t -> new Caller(t.id, t.name, t.role)));
        synchronized (lock) {
            if (changeCount == before) {
                live = loaded;
            }
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("cannot reload the API tokens (keeping the %d known): %s", live.size(), e.getMessage());
        }
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static ApiToken view(ApiTokenEntity e) {
        return new ApiToken(e.id, e.name, e.role, e.createdAt, e.createdBy, Optional.ofNullable(e.revokedAt));
    }
}
