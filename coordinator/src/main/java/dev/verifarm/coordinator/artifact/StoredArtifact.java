package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.job.Architecture;

import java.time.Instant;

/** An artifact the coordinator holds, verified and identified by its ELF header. */
public record StoredArtifact(String sha256, String name, long size, Architecture architecture, Instant createdAt) {
}
