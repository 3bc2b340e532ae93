package dev.verifarm.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Go toolchains fixtures are built with: Debian's golang-go (1.19, the 1.18-1.19 pclntab layout) and
 * bookworm-backports' golang-1.22-go (the 1.20+ layout with its own _func offsets and magic).
 */
public enum GoToolchain {
    GO_1_19("/usr/lib/go-1.19/bin/go", "", "golang-go"),
    GO_1_22("/usr/lib/go-1.22/bin/go", "-go1.22", "golang-1.22-go from bookworm-backports");

    private final Path go;
    private final String suffix;
    private final String debianPackage;

    GoToolchain(String go, String suffix, String debianPackage) {
        this.go = Path.of(go);
        this.suffix = suffix;
        this.debianPackage = debianPackage;
    }

    /** Appended to fixture names; empty for the default toolchain so their names stay as they were. */
    String suffix() {
        return suffix;
    }

    Path go() {
        if (!Files.isExecutable(go)) {
            throw new IllegalStateException(go + " not found: install Debian's " + debianPackage
                    + " (deploy/install-test-deps.sh does)");
        }
        return go;
    }
}
