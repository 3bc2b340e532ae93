package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.problem.ContractEnums;
import dev.verifarm.coordinator.problem.InvalidInputException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Optional;

/**
 * The artifact of a submitted job: {@code {"sha256": ...}} for an upload; for a file on the agents' hosts either
 * {@code {"hostPath": "/path", "architecture": "ARM64"}} or, as suites write it,
 * {@code {"hostPath": {"path": "/path", "architecture": "ARM64"}}}; enum values are read in any letter case.
 */
public record ArtifactRequest(String sha256,
                              @Schema(description = "a path, or {path, architecture} as in suites") JsonNode hostPath,
                              @Schema(enumeration = {"AMD64", "ARM64"}) String architecture) {

    /** Where the artifact is, and the architecture the request declares for it. */
    record Source(ArtifactSource source, Optional<Architecture> declared) {
    }

    Source source() {
        if ((sha256 == null) == (hostPath == null || hostPath.isNull())) {
            throw new InvalidInputException("artifact", "give exactly one of artifact.sha256 and artifact.hostPath");
        }
        if (sha256 != null) {
            return new Source(new ArtifactSource.Uploaded(sha256),
                    ContractEnums.parse(Architecture.class, "artifact.architecture", architecture));
        }
        if (hostPath.isTextual()) {
            return new Source(new ArtifactSource.HostPath(hostPath.asText()),
                    ContractEnums.parse(Architecture.class, "artifact.architecture", architecture));
        }
        JsonNode path = hostPath.get("path");
        JsonNode declared = hostPath.get("architecture");
        if (!hostPath.isObject() || hostPath.size() != (declared == null ? 1 : 2) || path == null || !path.isTextual()
                || declared != null && !declared.isTextual()) {
            throw new InvalidInputException("artifact.hostPath", "a host path is \"/path\" or {\"path\": \"/path\","
                    + " \"architecture\": \"AMD64\" or \"ARM64\"}");
        }
        if (declared != null && architecture != null) {
            throw new InvalidInputException("artifact.architecture", "give the architecture once, in"
                    + " artifact.hostPath.architecture");
        }
        return new Source(new ArtifactSource.HostPath(path.asText()), declared == null
                ? ContractEnums.parse(Architecture.class, "artifact.architecture", architecture)
                : ContractEnums.parse(Architecture.class, "artifact.hostPath.architecture", declared.asText()));
    }
}
