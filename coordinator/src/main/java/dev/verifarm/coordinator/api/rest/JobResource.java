package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.api.rest.JobDtos.EventResponse;
import dev.verifarm.coordinator.api.rest.JobDtos.JobResponse;
import dev.verifarm.coordinator.api.rest.JobDtos.SubmitJobBody;
import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.JobFilter;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.problem.ContractEnums;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.scheduling.JobEvents;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.scheduling.JobWatch;
import dev.verifarm.coordinator.security.SubmissionPolicy;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.List;
import java.util.Optional;

@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    private final JobService jobs;
    private final JobEvents events;
    private final SubmissionPolicy policy;
    private final RestCaller caller;

    @Inject
    JobResource(JobService jobs, JobEvents events, SubmissionPolicy policy, RestCaller caller) {
        this.jobs = jobs;
        this.events = events;
        this.policy = policy;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "the job, queued", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobResponse.class)))
    @Operation(summary = "Submit a job; it is routed by the architecture in the artifact's ELF header")
    public JobResponse submit(SubmitJobBody body) {
        if (body == null) {
            throw new InvalidInputException("body", "a JSON job is required");
        }
        return JobResponse.of(policy.submit(caller.get(), body.spec()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A job with every attempt, verdict and report")
    public JobResponse get(@RestPath String id) {
        return JobResponse.of(jobs.get(id));
    }

    @GET
    @Operation(summary = "Jobs, newest first, optionally by state, architecture and artifact")
    public List<JobResponse> list(@RestQuery String state, @RestQuery String architecture,
                                  @RestQuery String artifact, @RestQuery String limit) {
        Optional<String> sha = Optional.ofNullable(artifact).filter(s -> !s.isEmpty());
        sha.ifPresent(s -> ArtifactStore.requireSha256("artifact", s));
        return jobs.list(new JobFilter(ContractEnums.parse(JobState.class, "state", state),
                        ContractEnums.parse(Architecture.class, "architecture", architecture), sha,
                        QueryParameters.count("limit", limit, JobFilter.DEFAULT_LIMIT, JobFilter.MAX_LIMIT)))
                .stream().map(JobResponse::of).toList();
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job that has not finished; a finished job is returned unchanged")
    public JobResponse cancel(@RestPath String id) {
        return JobResponse.of(policy.cancel(caller.get(), id));
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "The job's history, then its progress as server-sent events until it finishes")
    public Multi<EventResponse> events(@RestPath String id) {
        jobs.get(id);
        // The response subscribes on the event loop; reading the history needs a worker thread.
        return Multi.createFrom().<EventResponse>emitter(emitter -> {
            JobWatch watch = new JobWatch(id, events, e -> emitter.emit(EventResponse.of(e)), emitter::complete);
            emitter.onTermination(watch::close);
            watch.start();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
