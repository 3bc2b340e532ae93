package dev.verifarm.agent.check.artifact;

import java.util.Optional;

/**
 * The facts about an artifact that every report carries.
 *
 * @param architecture {@code amd64} or {@code arm64}, from the ELF header
 * @param pie          whether it is position independent (ET_DYN)
 * @param stripped     whether it lacks .symtab, so names come from .gopclntab only
 * @param goVersion    the toolchain version from .go.buildinfo, when present
 */
public record ArtifactInfo(String path, String sha256, long size, String architecture, boolean pie, boolean stripped,
                           Optional<String> goVersion) {
}
