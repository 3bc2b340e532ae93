package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.JobFilter;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.problem.ContractEnums;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.scheduling.JobEvents;
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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The jobs list, filtered by query parameters as the REST API's (and by nightly suite), and one page per job with its
 * evidence.
 */
@Path("/jobs")
@Produces(MediaType.TEXT_HTML)
public class JobPages {
    private final JobService jobs;
    private final JobEvents events;
    private final ArtifactStore artifacts;
    private final SuiteJobs suiteJobs;

    /** The filter form: what is chosen, and what may be. */
    public record Filters(String state, String architecture, String suite, int limit, List<String> states,
                          List<String> architectures, List<String> suites) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Filters filters, List<JobRow> jobs);

        static native TemplateInstance detail(JobDetail detail);
    }

    @Inject
    JobPages(JobService jobs, JobEvents events, ArtifactStore artifacts, SuiteJobs suiteJobs) {
        this.jobs = jobs;
        this.events = events;
        this.artifacts = artifacts;
        this.suiteJobs = suiteJobs;
    }

    @GET
    public TemplateInstance list(@RestQuery String state, @RestQuery String architecture, @RestQuery String suite,
                                 @RestQuery Integer limit) {
        Optional<JobState> s = ContractEnums.parse(JobState.class, "state", state);
        Optional<Architecture> a = ContractEnums.parse(Architecture.class, "architecture", architecture);
        Optional<String> nightly = Optional.ofNullable(suite).filter(name -> !name.isBlank());
        JobFilter filter = new JobFilter(s, a, Optional.empty(), limit == null ? JobFilter.DEFAULT_LIMIT : limit);
        List<JobView> found = nightly.map(name -> suiteJobs.of(name, s, a, filter.limit()))
                .orElseGet(() -> jobs.list(filter));
        return Templates.list(new Filters(s.map(Enum::name).orElse(""), a.map(Architecture::goName).orElse(""),
                nightly.orElse(""), filter.limit(), Arrays.stream(JobState.values()).map(Enum::name).toList(),
                Arrays.stream(Architecture.values()).map(Architecture::goName).toList(), suiteJobs.suiteNames()),
                found.stream().map(j -> JobRow.of(j, artifacts)).toList());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath String id) {
        return Templates.detail(JobDetail.of(jobs.get(id), events.history(id), artifacts));
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e, UriInfo uri) {
        return ErrorPage.of(e, uri);
    }
}
