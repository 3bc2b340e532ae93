package dev.verifarm.coordinator.security;

import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A farm never starts open: at the first start, when there is no token at all, the coordinator makes an admin token
 * and writes it to a file only its own user can read. The log says where, never what.
 */
@ApplicationScoped
class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    static final String FILE = "admin.token";

    private final TokenStore tokens;
    private final Path dataDir;

    AdminBootstrap(TokenStore tokens, CoordinatorConfig config) {
        this.tokens = tokens;
        this.dataDir = config.dataDir();
    }

    void onStart(@Observes StartupEvent startup) {
        if (tokens.empty()) {
            NewToken admin = tokens.create("admin", Role.ADMIN, "bootstrap");
            Path file = dataDir.resolve(FILE);
            write(file, admin.secret());
            LOG.infof("no API token existed: created the admin token %s and wrote it to %s (readable by this user"
                    + " only); create others with POST /api/v1/tokens", admin.token().id(), file.toAbsolutePath());
        }
        tokens.start();
    }

    private static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }
}
