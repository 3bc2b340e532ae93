package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.nightly.NightlyReports;
import dev.verifarm.coordinator.nightly.report.JunitXml;
import dev.verifarm.coordinator.nightly.report.NightlyReport;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/** The report of one nightly run, as JSON or as JUnit XML. */
@Path("/api/v1/nightly-runs")
public class SuiteRunResource {
    private final NightlyReports reports;

    @Inject
    SuiteRunResource(NightlyReports reports) {
        this.reports = reports;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A run's report: the matrix entry x agent x expectation, regressions, recoveries, flaky"
            + " cells, absent agents (so far, while it runs)")
    public NightlyReport report(@RestPath String id) {
        return reports.report(id);
    }

    @GET
    @Path("/{id}/junit")
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "A run's report as JUnit XML: a testsuite per entry, a testcase per agent x expectation")
    public String junit(@RestPath String id) {
        return JunitXml.write(reports.report(id));
    }
}
