package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.api.rest.RestEnums;
import dev.verifarm.coordinator.artifact.Architecture;
import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.scheduling.JobEvents;
import dev.verifarm.coordinator.scheduling.JobFilter;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.scheduling.JobState;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The jobs list, filtered by query parameters as the REST API's, and one page per job with its evidence. */
@Path("/jobs")
@Produces(MediaType.TEXT_HTML)
public class JobPages {
    private final JobService jobs;
    private final JobEvents events;
    private final ArtifactStore artifacts;

    /** The filter form: what is chosen, and what may be. */
    public record Filters(String state, String architecture, int limit, List<String> states,
                          List<String> architectures) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Filters filters, List<JobRow> jobs);

        static native TemplateInstance detail(JobDetail detail);
    }

    @Inject
    JobPages(JobService jobs, JobEvents events, ArtifactStore artifacts) {
        this.jobs = jobs;
        this.events = events;
        this.artifacts = artifacts;
    }

    @GET
    public TemplateInstance list(@RestQuery String state, @RestQuery String architecture, @RestQuery Integer limit) {
        Optional<JobState> s = RestEnums.parse(JobState.class, "state", state);
        Optional<Architecture> a = RestEnums.parse(Architecture.class, "architecture", architecture);
        int n = limit == null ? JobFilter.DEFAULT_LIMIT : limit;
        List<JobRow> rows = jobs.list(new JobFilter(s, a, Optional.empty(), n)).stream()
                .map(j -> JobRow.of(j, artifacts)).toList();
        return Templates.list(new Filters(s.map(Enum::name).orElse(""), a.map(Architecture::goName).orElse(""), n,
                Arrays.stream(JobState.values()).map(Enum::name).toList(),
                Arrays.stream(Architecture.values()).map(Architecture::goName).toList()), rows);
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath String id) {
        return Templates.detail(JobDetail.of(jobs.get(id), events.history(id), artifacts));
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        return ErrorPage.of(e);
    }
}
