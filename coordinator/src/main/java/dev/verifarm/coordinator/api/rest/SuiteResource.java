package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.nightly.NightlyRuns;
import dev.verifarm.coordinator.nightly.RunSummary;
import dev.verifarm.coordinator.nightly.Suite;
import dev.verifarm.coordinator.nightly.SuiteDocument;
import dev.verifarm.coordinator.nightly.SuiteService;
import dev.verifarm.coordinator.security.Requires;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.util.List;

/** Nightly suites: managed here, or declared in configuration files (then read-only here), and their runs. */
@Path("/api/v1/suites")
@Produces(MediaType.APPLICATION_JSON)
public class SuiteResource {
    private final SuiteService suites;
    private final NightlyRuns runs;

    @Inject
    SuiteResource(SuiteService suites, NightlyRuns runs) {
        this.suites = suites;
        this.runs = runs;
    }

    /**
     * @param definition the suite's document, the same shape as a suite file; PUT it back to change the suite
     * @param origin     the configuration file declaring the suite (then it is read-only over the API)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SuiteResponse(String name, JsonNode definition, String origin, boolean readOnly,
                                Instant nextRunAt) {
        static SuiteResponse of(Suite suite) {
            return new SuiteResponse(suite.name(), SuiteDocument.write(suite), suite.origin().orElse(null),
                    suite.origin().isPresent(), suite.schedule().nextFireAfter(Instant.now()).orElse(null));
        }
    }

    @GET
    @Operation(summary = "Every suite, by name")
    public List<SuiteResponse> list() {
        return suites.list().stream().map(SuiteResponse::of).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "A suite")
    public SuiteResponse get(@RestPath String name) {
        return SuiteResponse.of(suites.get(name));
    }

    @Requires(Role.ADMIN)
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a suite: {schedule, deadline?, entries: [{artifact, mode?, discover?,"
            + " hazards?, expectations}]}")
    public SuiteResponse put(@RestPath String name, JsonNode body) {
        return SuiteResponse.of(suites.put(name, body));
    }

    @Requires(Role.ADMIN)
    @DELETE
    @Path("/{name}")
    @ResponseStatus(204)
    @Operation(summary = "Delete a suite managed over the API; its runs stay")
    public void delete(@RestPath String name) {
        suites.delete(name);
    }

    @Requires(Role.ADMIN)
    @POST
    @Path("/{name}/runs")
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "the run, started", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunSummary.class)))
    @Operation(summary = "Run the suite now, by hand")
    public RunSummary trigger(@RestPath String name) {
        return runs.trigger(name);
    }

    @GET
    @Path("/{name}/runs")
    @Operation(summary = "The suite's runs, newest first, with their summaries")
    public List<RunSummary> runs(@RestPath String name, @RestQuery String limit) {
        return runs.runs(name, QueryParameters.count("limit", limit, 50, NightlyRuns.MAX_RUNS_LISTED));
    }
}
