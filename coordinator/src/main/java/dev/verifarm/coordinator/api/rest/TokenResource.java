package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.problem.ContractEnums;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.security.ApiToken;
import dev.verifarm.coordinator.security.NewToken;
import dev.verifarm.coordinator.security.Requires;
import dev.verifarm.coordinator.security.TokenStore;
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
import org.jboss.resteasy.reactive.RestPath;

import java.time.Instant;
import java.util.List;

/** API tokens, for admins: create one (its secret is in this answer only), list them, revoke one. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.ADMIN)
public class TokenResource {
    private final TokenStore tokens;
    private final RestCaller caller;

    TokenResource(TokenStore tokens, RestCaller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    /** {@code role}: READER, SUBMITTER, ADMIN or AGENT; an agent token's name is the agent name it enrols. */
    public record CreateTokenBody(String name, @Schema(enumeration = {"READER", "SUBMITTER", "ADMIN", "AGENT"}) String role) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(String id, String name, Role role,
                                 Instant createdAt, String createdBy,
                                Instant revokedAt, String token) {
        static TokenResponse of(ApiToken t, String secret) {
            return new TokenResponse(t.id(), t.name(), t.role(), t.createdAt(),
                    t.createdBy(), t.revokedAt().orElse(null), secret);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "the token, with its secret this once", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @Operation(summary = "Create a token; the secret in 'token' is shown this once and stored only as its hash")
    public TokenResponse create(CreateTokenBody body) {
        if (body == null) {
            throw new InvalidInputException("body", "a JSON body {\"name\": ..., \"role\": ...} is required");
        }
        Role role = ContractEnums.parse(Role.class, "role", body.role()).orElseThrow(() ->
                new InvalidInputException("role", "a role is required: READER, SUBMITTER, ADMIN or AGENT"));
        NewToken created = tokens.create(body.name(), role, caller.get().name());
        return TokenResponse.of(created.token(), created.secret());
    }

    @GET
    @Operation(summary = "Every token, revoked ones too, without secrets")
    public List<TokenResponse> list() {
        return tokens.list().stream().map(t -> TokenResponse.of(t, null)).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token: calls with it are refused from now on, agent streams at their next message")
    public TokenResponse revoke(@RestPath String id) {
        return TokenResponse.of(tokens.revoke(id, caller.get().name()), null);
    }
}
