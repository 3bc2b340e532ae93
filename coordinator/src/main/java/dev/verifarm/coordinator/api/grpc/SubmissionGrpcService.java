package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.artifact.Upload;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.job.JobFilter;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.quarantine.AdminQuarantines;
import dev.verifarm.coordinator.quarantine.Quarantine;
import dev.verifarm.coordinator.scheduling.JobEvents;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.scheduling.JobWatch;
import dev.verifarm.coordinator.security.SubmissionPolicy;
import dev.verifarm.proto.v1.AgentQuarantines;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.CancelJobRequest;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.ListAgentsResponse;
import dev.verifarm.proto.v1.ListJobsRequest;
import dev.verifarm.proto.v1.ListJobsResponse;
import dev.verifarm.proto.v1.QuarantineAgentRequest;
import dev.verifarm.proto.v1.QuarantineHistoryRequest;
import dev.verifarm.proto.v1.QuarantineHistoryResponse;
import dev.verifarm.proto.v1.ReadmitAgentRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.UploadArtifactRequest;
import dev.verifarm.proto.v1.UploadHeader;
import dev.verifarm.proto.v1.WatchJobRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The submission API over gRPC: a thin face over the artifact store and the job service. */
@GrpcService
@Blocking
public class SubmissionGrpcService extends SubmissionServiceGrpc.SubmissionServiceImplBase {
    private final ArtifactStore artifacts;
    private final JobService jobs;
    private final JobEvents events;
    private final FleetView fleet;
    private final SubmissionPolicy policy;
    @Inject
    AdminQuarantines quarantines;

    @Inject
    SubmissionGrpcService(ArtifactStore artifacts, JobService jobs, JobEvents events, FleetView fleet,
                          SubmissionPolicy policy) {
        this.artifacts = artifacts;
        this.jobs = jobs;
        this.events = events;
        this.fleet = fleet;
        this.policy = policy;
    }

    @Override
    public StreamObserver<UploadArtifactRequest> uploadArtifact(StreamObserver<ArtifactRef> response) {
        return new StreamObserver<>() {
            private Upload upload;
            private boolean failed;

            @Override
            public void onNext(UploadArtifactRequest request) {
                if (failed) {
                    return;
                }
                try {
                    if (request.hasHeader()) {
                        if (upload != null) {
                            throw new InvalidInputException("header", "the header must be sent once, first");
                        }
                        UploadHeader header = request.getHeader();
                        upload = artifacts.begin(GrpcCaller.current(), header.getName(),
                                header.getSize() > 0 ? OptionalLong.of(header.getSize()) : OptionalLong.empty(),
                                header.getSha256().isEmpty() ? Optional.empty() : Optional.of(header.getSha256()));
                    } else if (upload == null) {
                        throw new InvalidInputException("header", "the first message must be the header");
                    } else {
                        byte[] chunk = request.getChunk().toByteArray();
                        upload.write(chunk, 0, chunk.length);
                    }
                } catch (RuntimeException e) {
                    abandon();
                    response.onError(GrpcErrors.status(e));
                }
            }

            @Override
            public void onError(Throwable error) {
                abandon();
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                if (upload == null) {
                    response.onError(GrpcErrors.status(new InvalidInputException("header",
                            "the upload ended before its header")));
                    return;
                }
                GrpcErrors.respond(response, () -> WireMapping.artifact(artifacts.complete(upload)));
            }

            private void abandon() {
                failed = true;
                if (upload != null) {
                    upload.close();
                }
            }
        };
    }

    @Override
    public void submitJob(SubmitJobRequest request, StreamObserver<Job> response) {
        GrpcErrors.respond(response, () -> WireMapping.job(policy.submit(GrpcCaller.current(),
                WireMapping.spec(request))));
    }

    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> response) {
        GrpcErrors.respond(response, () -> WireMapping.job(jobs.get(request.getJobId())));
    }

    @Override
    public void cancelJob(CancelJobRequest request, StreamObserver<Job> response) {
        GrpcErrors.respond(response, () -> WireMapping.job(policy.cancel(GrpcCaller.current(), request.getJobId())));
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> response) {
        GrpcErrors.respond(response, () -> {
            JobFilter filter = new JobFilter(WireMapping.state("state", request.getState()),
                    WireMapping.optionalArchitecture("architecture", request.getArchitecture()),
                    request.getArtifactSha256().isEmpty() ? Optional.empty()
                            : Optional.of(request.getArtifactSha256()),
                    request.getLimit() == 0 ? JobFilter.DEFAULT_LIMIT : request.getLimit());
            ListJobsResponse.Builder list = ListJobsResponse.newBuilder();
            jobs.list(filter).forEach(j -> list.addJobs(WireMapping.job(j)));
            return list.build();
        });
    }

    @Override
    public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
        GrpcErrors.respond(response, () -> {
            ListAgentsResponse.Builder list = ListAgentsResponse.newBuilder();
            List<Quarantine> quarantined = quarantines.current();
            WireMapping.optionalArchitecture("architecture", request.getArchitecture())
                    .map(fleet::serving).orElseGet(fleet::agents)
                    .forEach(a -> list.addAgents(WireMapping.agent(a, quarantined)));
            return list.build();
        });
    }

    @Override
    public void quarantineAgent(QuarantineAgentRequest request, StreamObserver<AgentQuarantines> response) {
        GrpcErrors.respond(response, () -> quarantines(quarantines.quarantine(request.getAgentName(),
                WireMapping.optionalArchitecture("architecture", request.getArchitecture()),
                GrpcCaller.current().name(), request.getReason())));
    }

    @Override
    public void readmitAgent(ReadmitAgentRequest request, StreamObserver<AgentQuarantines> response) {
        GrpcErrors.respond(response, () -> quarantines(quarantines.readmit(request.getAgentName(),
                WireMapping.optionalArchitecture("architecture", request.getArchitecture()),
                GrpcCaller.current().name(), request.getReason())));
    }

    @Override
    public void quarantineHistory(QuarantineHistoryRequest request,
                                  StreamObserver<QuarantineHistoryResponse> response) {
        GrpcErrors.respond(response, () -> QuarantineHistoryResponse.newBuilder().addAllEvents(
                quarantines.history(request.getAgentName()).stream().map(QuarantineWire::event).toList()).build());
    }

    private static AgentQuarantines quarantines(List<Quarantine> quarantined) {
        return AgentQuarantines.newBuilder().addAllQuarantines(quarantined.stream().map(QuarantineWire::quarantine)
                .toList()).build();
    }

    /** The job now, then each event of it until it finishes or the watcher goes away. */
    @Override
    public void watchJob(WatchJobRequest request, StreamObserver<JobEvent> response) {
        ServerCallStreamObserver<JobEvent> call = (ServerCallStreamObserver<JobEvent>) response;
        try {
            jobs.get(request.getJobId());  // NOT_FOUND before anything is streamed
            JobWatch watch = new JobWatch(request.getJobId(), events,
                    event -> call.onNext(WireMapping.event(event, jobs.get(event.jobId()))), call::onCompleted);
            call.setOnCancelHandler(watch::close);
            watch.start();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.status(e));
        }
    }
}
