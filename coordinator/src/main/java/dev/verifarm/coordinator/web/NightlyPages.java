package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.nightly.NightlyReports;
import dev.verifarm.coordinator.nightly.NightlyRuns;
import dev.verifarm.coordinator.nightly.RunSummary;
import dev.verifarm.coordinator.nightly.SuiteService;
import dev.verifarm.coordinator.nightly.report.NightlyReport;
import dev.verifarm.coordinator.nightly.report.RunComparison;
import dev.verifarm.coordinator.problem.InvalidInputException;
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
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Instant;
import java.util.List;

/** The nightly suites with their latest runs, and one page per run: its matrix, regressions first. */
@Path("/nightly")
@Produces(MediaType.TEXT_HTML)
public class NightlyPages {
    static final int RUNS_PER_SUITE = 10;

    private final SuiteService suites;
    private final NightlyRuns runs;
    private final NightlyReports reports;

    /** {@code origin}: the file that declares the suite, or {@code API}. */
    public record SuiteRow(String name, String schedule, String nextRun, int entries, String origin,
                           List<RunRow> runs) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance suites(List<SuiteRow> suites);

        static native TemplateInstance run(RunPage run);
    }

    @Inject
    NightlyPages(SuiteService suites, NightlyRuns runs, NightlyReports reports) {
        this.suites = suites;
        this.runs = runs;
        this.reports = reports;
    }

    @GET
    public TemplateInstance suites() {
        Instant now = Instant.now();
        return Templates.suites(suites.list().stream().map(s -> new SuiteRow(s.name(), s.schedule().expression(),
                s.schedule().nextFireAfter(now).map(Times::utc).orElse("never"), s.entries().size(),
                s.origin().orElse("API"), runs.runs(s.name(), RUNS_PER_SUITE).stream().map(RunRow::of).toList()))
                .toList());
    }

    @GET
    @Path("/runs/{id}")
    public TemplateInstance run(@RestPath String id) {
        NightlyReport report = reports.report(id);
        // the earlier finished runs of the suite, newest first: each cell's history
        List<NightlyReport> earlier = runs.runs(report.suite(), RunComparison.HISTORY + 1).stream()
                .filter(r -> r.startedAt().isBefore(report.startedAt()) && r.finishedAt().isPresent())
                .limit(RunComparison.HISTORY).map(RunSummary::id).map(reports::report).toList();
        return Templates.run(RunPage.of(report, earlier));
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e, UriInfo uri) {
        return ErrorPage.of(e, uri);
    }
}
