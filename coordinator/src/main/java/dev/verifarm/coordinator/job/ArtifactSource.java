package dev.verifarm.coordinator.job;

/** Where a job's artifact is: uploaded to the coordinator, or already on the agents' hosts. */
public sealed interface ArtifactSource {

    record Uploaded(String sha256) implements ArtifactSource {
    }

    record HostPath(String path) implements ArtifactSource {
    }
}
