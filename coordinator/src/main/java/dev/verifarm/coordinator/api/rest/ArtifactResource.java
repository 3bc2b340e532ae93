package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.artifact.StoredArtifact;
import dev.verifarm.coordinator.artifact.Upload;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.retention.ArtifactDeletion;
import dev.verifarm.coordinator.security.Requires;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

@Path("/api/v1/artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class ArtifactResource {
    private final ArtifactStore artifacts;
    private final ArtifactDeletion deletion;
    private final RestCaller caller;

    @Inject
    ArtifactResource(ArtifactStore artifacts, ArtifactDeletion deletion, RestCaller caller) {
        this.artifacts = artifacts;
        this.deletion = deletion;
        this.caller = caller;
    }

    public record ArtifactResponse(String sha256, String name, long size, Architecture architecture,
                                   Instant createdAt) {
        static ArtifactResponse of(StoredArtifact a) {
            return new ArtifactResponse(a.sha256(), a.name(), a.size(), a.architecture(), a.createdAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "the artifact, stored", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ArtifactResponse.class)))
    @Operation(summary = "Upload an ELF artifact (64-bit little-endian amd64 or arm64); the optional sha256 is verified")
    public ArtifactResponse upload(@RestQuery String name, @RestQuery String sha256,
                                   @RestHeader("Content-Length") Long contentLength, InputStream body) {
        Upload upload = artifacts.begin(caller.get(), name,
                contentLength == null ? OptionalLong.empty() : OptionalLong.of(contentLength),
                Optional.ofNullable(sha256).filter(s -> !s.isEmpty()));
        try (upload) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                upload.write(buffer, 0, n);
            }
            return ArtifactResponse.of(artifacts.complete(upload));
        } catch (IOException e) {
            throw new UncheckedIOException("the upload broke off", e);
        }
    }

    @GET
    @Path("/{sha256}")
    @Operation(summary = "An uploaded artifact's sha256, name, size and the architecture from its ELF header")
    public ArtifactResponse get(@RestPath String sha256) {
        return ArtifactResponse.of(artifacts.get("sha256", sha256));
    }

    @DELETE
    @Path("/{sha256}")
    @Requires(Role.ADMIN)
    @ResponseStatus(204)
    @APIResponse(responseCode = "204", description = "deleted, with the finished jobs that checked it")
    @Operation(summary = "Delete an artifact (admins): 409 naming the suites, unfinished jobs and nightly runs in"
            + " progress that refer to it")
    public void delete(@RestPath String sha256) {
        deletion.delete(sha256);
    }
}
