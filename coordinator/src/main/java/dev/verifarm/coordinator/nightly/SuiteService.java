package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.problem.ConflictException;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.store.ArtifactEntity;
import dev.verifarm.coordinator.store.NightlySuiteEntity;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The suites, kept in the database so that every coordinator sharing it sees the same ones. Suites declared in
 * configuration files are written over at each start (a file removed removes its suite) and are read-only over the
 * API; the others are managed over the API.
 */
@ApplicationScoped
public class SuiteService {
    private static final Logger LOG = Logger.getLogger(SuiteService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> suitesDir;

    @Inject
    SuiteService(CoordinatorConfig config) {
        this.suitesDir = config.nightly().suitesDir();
    }

    @Transactional
    void loadDeclared(@Observes StartupEvent startup) {
        if (suitesDir.isEmpty()) {
            return;
        }
        SuiteFiles.Loaded loaded = SuiteFiles.load(suitesDir.get());
        loaded.problems().forEach(p -> LOG.errorf("nightly suite refused: %s", p));
        for (Suite suite : loaded.suites()) {
            NightlySuiteEntity existing = NightlySuiteEntity.findById(suite.name());
            if (existing != null && existing.origin == null) {
                LOG.warnf("nightly suite %s from %s replaces the one managed over the API", suite.name(),
                        suite.origin().orElseThrow());
            }
            store(suite, existing);
        }
        Set<String> declared = loaded.suites().stream().map(Suite::name).collect(Collectors.toSet());
        // a suite whose file failed to load keeps its last good version rather than vanishing
        Set<String> refusedFiles = loaded.problems().stream().map(p -> p.substring(0, p.indexOf(": ")))
                .collect(Collectors.toSet());
        for (NightlySuiteEntity row : NightlySuiteEntity.<NightlySuiteEntity>list("origin is not null")) {
            if (!declared.contains(row.name) && !refusedFiles.contains(row.origin)) {
                LOG.infof("nightly suite %s: its file %s is gone; removing it", row.name, row.origin);
                row.delete();
            }
        }
        LOG.infof("nightly suites from %s: %d loaded, %d refused", suitesDir.get(), loaded.suites().size(),
                loaded.problems().size());
    }

    /** Creates or replaces a suite managed over the API. */
    @Transactional
    public Suite put(String name, JsonNode document) {
        SuiteDocument.requireName("name", name);
        if (document != null && document.isObject() && !document.has("name")) {
            ((ObjectNode) document).put("name", name);
        }
        Suite suite = SuiteDocument.read(document, Optional.empty());
        if (!suite.name().equals(name)) {
            throw new InvalidInputException("name", "the body names suite '" + suite.name() + "' but the path '"
                    + name + "'");
        }
        for (int i = 0; i < suite.entries().size(); i++) {
            if (suite.entries().get(i).artifact() instanceof ArtifactSource.Uploaded uploaded
                    && ArtifactEntity.findById(uploaded.sha256()) == null) {
                throw new InvalidInputException("entries[" + i + "].artifact.sha256", "no artifact with sha256 "
                        + uploaded.sha256() + " has been uploaded");
            }
        }
        NightlySuiteEntity existing = NightlySuiteEntity.findById(name);
        requireManagedOverApi(existing);
        store(suite, existing);
        return suite;
    }

    @Transactional
    public Suite get(String name) {
        return suite(find(name));
    }

    @Transactional
    public List<Suite> list() {
        return NightlySuiteEntity.<NightlySuiteEntity>list("order by name").stream().map(SuiteService::suite).toList();
    }

    /** With when each was last changed: a schedule only fires for times after that. */
    @Transactional
    public List<Versioned> listVersioned() {
        return NightlySuiteEntity.<NightlySuiteEntity>list("order by name").stream()
                .map(e -> new Versioned(suite(e), e.updatedAt)).toList();
    }

    public record Versioned(Suite suite, Instant updatedAt) {
    }

    @Transactional
    public void delete(String name) {
        NightlySuiteEntity existing = find(name);
        requireManagedOverApi(existing);
        existing.delete();
    }

    private static void requireManagedOverApi(NightlySuiteEntity existing) {
        if (existing != null && existing.origin != null) {
            throw new ConflictException("name", "suite " + existing.name + " is declared in " + existing.origin
                    + "; change that file (it is read at each start) instead");
        }
    }

    private static void store(Suite suite, NightlySuiteEntity existing) {
        String definition = SuiteDocument.write(suite).toString();
        String origin = suite.origin().orElse(null);
        if (existing != null && existing.definition.equals(definition) && Objects.equals(existing.origin,
                origin)) {
            return;
        }
        NightlySuiteEntity row = existing != null ? existing : new NightlySuiteEntity();
        row.name = suite.name();
        row.definition = definition;
        row.origin = origin;
        row.updatedAt = Instant.now();
        if (existing == null) {
            row.persist();
        }
    }

    static Suite suite(NightlySuiteEntity row) {
        return parse(row.definition, Optional.ofNullable(row.origin));
    }

    /** Reads a stored suite document. */
    static Suite parse(String definition, Optional<String> origin) {
        try {
            return SuiteDocument.read(JSON.readTree(definition), origin);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored suite is unreadable: " + definition, e);
        }
    }

    private static NightlySuiteEntity find(String name) {
        NightlySuiteEntity row = NightlySuiteEntity.findById(name);
        if (row == null) {
            throw new NotFoundException("name", "no suite " + name);
        }
        return row;
    }
}
