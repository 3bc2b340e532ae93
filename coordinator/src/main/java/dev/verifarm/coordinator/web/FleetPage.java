package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.job.JobFilter;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.scheduling.JobService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Optional;

/** The dashboard's front page: the fleet by architecture and the latest jobs. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class FleetPage {
    static final int RECENT_JOBS = 20;

    private final FleetSummary fleet;
    private final JobService jobs;
    private final ArtifactStore artifacts;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(List<FleetSummary.ArchitectureGroup> architectures, List<JobRow> jobs);
    }

    @Inject
    FleetPage(FleetSummary fleet, JobService jobs, ArtifactStore artifacts) {
        this.fleet = fleet;
        this.jobs = jobs;
        this.artifacts = artifacts;
    }

    @GET
    public TemplateInstance home() {
        List<JobRow> recent = jobs.list(new JobFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                RECENT_JOBS)).stream().map(j -> JobRow.of(j, artifacts)).toList();
        return Templates.home(fleet.byArchitecture(), recent);
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e, UriInfo uri) {
        return ErrorPage.of(e, uri);
    }
}
