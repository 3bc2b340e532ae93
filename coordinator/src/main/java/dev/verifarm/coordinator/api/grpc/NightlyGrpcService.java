package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.nightly.NightlyReports;
import dev.verifarm.coordinator.nightly.NightlyRuns;
import dev.verifarm.coordinator.nightly.SuiteDocument;
import dev.verifarm.coordinator.nightly.SuiteService;
import dev.verifarm.coordinator.nightly.report.JunitXml;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.proto.v1.DeleteSuiteRequest;
import dev.verifarm.proto.v1.DeleteSuiteResponse;
import dev.verifarm.proto.v1.GetReportRequest;
import dev.verifarm.proto.v1.GetSuiteRequest;
import dev.verifarm.proto.v1.JunitReport;
import dev.verifarm.proto.v1.ListRunsRequest;
import dev.verifarm.proto.v1.ListRunsResponse;
import dev.verifarm.proto.v1.ListSuitesRequest;
import dev.verifarm.proto.v1.ListSuitesResponse;
import dev.verifarm.proto.v1.NightlyReport;
import dev.verifarm.proto.v1.NightlyRun;
import dev.verifarm.proto.v1.NightlyServiceGrpc;
import dev.verifarm.proto.v1.PutSuiteRequest;
import dev.verifarm.proto.v1.Suite;
import dev.verifarm.proto.v1.TriggerRunRequest;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** Nightly suites and their reports over gRPC: a thin face over the suite service and the runs. */
@GrpcService
@Blocking
public class NightlyGrpcService extends NightlyServiceGrpc.NightlyServiceImplBase {
    private final SuiteService suites;
    private final NightlyRuns runs;
    private final NightlyReports reports;

    @Inject
    NightlyGrpcService(SuiteService suites, NightlyRuns runs, NightlyReports reports) {
        this.suites = suites;
        this.runs = runs;
        this.reports = reports;
    }

    @Override
    public void putSuite(PutSuiteRequest request, StreamObserver<Suite> response) {
        GrpcErrors.respond(response, () -> {
            if (!request.hasSuite()) {
                throw new InvalidInputException("suite", "a suite is required");
            }
            dev.verifarm.coordinator.nightly.Suite suite = NightlyWireMapping.suite(request.getSuite());
            return NightlyWireMapping.suite(suites.put(suite.name(), SuiteDocument.write(suite)));
        });
    }

    @Override
    public void getSuite(GetSuiteRequest request, StreamObserver<Suite> response) {
        GrpcErrors.respond(response, () -> NightlyWireMapping.suite(suites.get(request.getName())));
    }

    @Override
    public void listSuites(ListSuitesRequest request, StreamObserver<ListSuitesResponse> response) {
        GrpcErrors.respond(response, () -> ListSuitesResponse.newBuilder().addAllSuites(suites.list().stream()
                .map(NightlyWireMapping::suite).toList()).build());
    }

    @Override
    public void deleteSuite(DeleteSuiteRequest request, StreamObserver<DeleteSuiteResponse> response) {
        GrpcErrors.respond(response, () -> {
            suites.delete(request.getName());
            return DeleteSuiteResponse.getDefaultInstance();
        });
    }

    @Override
    public void triggerRun(TriggerRunRequest request, StreamObserver<NightlyRun> response) {
        GrpcErrors.respond(response, () -> NightlyWireMapping.run(runs.trigger(request.getSuite())));
    }

    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> response) {
        GrpcErrors.respond(response, () -> ListRunsResponse.newBuilder().addAllRuns(runs.runs(request.getSuite(),
                request.getLimit() == 0 ? 50 : request.getLimit()).stream().map(NightlyWireMapping::run).toList())
                .build());
    }

    @Override
    public void getReport(GetReportRequest request, StreamObserver<NightlyReport> response) {
        GrpcErrors.respond(response, () -> NightlyWireMapping.report(reports.report(request.getRunId())));
    }

    @Override
    public void getJunitReport(GetReportRequest request, StreamObserver<JunitReport> response) {
        GrpcErrors.respond(response, () -> JunitReport.newBuilder().setXml(JunitXml.write(reports.report(request.getRunId())))
                .build());
    }
}
