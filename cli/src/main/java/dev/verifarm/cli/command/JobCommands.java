package dev.verifarm.cli.command;

import dev.verifarm.cli.exit.ExitStatus;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.cli.render.ProtoJson;
import dev.verifarm.cli.render.Table;
import dev.verifarm.proto.v1.CancelJobRequest;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.ListJobsRequest;
import dev.verifarm.proto.v1.ListJobsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

/** Reading and steering jobs that exist: job, jobs, watch, cancel. */
final class JobCommands {
    private JobCommands() {
    }

    @Command(name = "job", description = "Show a job's state, attempts and verdicts.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        private Verifarm verifarm;

        @Parameters(paramLabel = "ID", description = "the job's id")
        private String id;

        @Option(names = "--json", description = "the whole job with every report's evidence, as JSON")
        private boolean json;

        @Override
        public Integer call() {
            try (Session session = verifarm.session()) {
                Job job = session.connection().call(() -> session.connection().submission()
                        .getJob(GetJobRequest.newBuilder().setJobId(id).build()));
                if (json) {
                    ProtoJson.print(job, session.out());
                } else {
                    JobText.details(job, session.out());
                }
                return ExitStatus.OK;
            }
        }
    }

    @Command(name = "jobs", sortOptions = false, description = "List the newest jobs first.")
    static final class ListJobs implements Callable<Integer> {
        @ParentCommand
        private Verifarm verifarm;

        @Option(names = "--state", paramLabel = "STATE", completionCandidates = Wire.States.class,
                description = "only jobs in this state: ${COMPLETION-CANDIDATES}")
        private Optional<String> state = Optional.empty();

        @Option(names = "--arch", paramLabel = "amd64|arm64", completionCandidates = Wire.Architectures.class,
                description = "only jobs for this architecture")
        private Optional<String> arch = Optional.empty();

        @Option(names = "--limit", paramLabel = "N", description = "how many (default 100, at most 1000)")
        private Optional<String> limit = Optional.empty();

        @Override
        public Integer call() {
            ListJobsRequest.Builder request = ListJobsRequest.newBuilder();
            state.ifPresent(s -> request.setState(Wire.state(s)));
            arch.ifPresent(a -> request.setArchitecture(Wire.architecture(a)));
            limit.ifPresent(l -> request.setLimit(Wire.positive("--limit", l, 1000)));
            try (Session session = verifarm.session()) {
                ListJobsResponse jobs = session.connection().call(() -> session.connection().submission()
                        .listJobs(request.build()));
                Table table = new Table("ID", "STATE", "ARCH", "SUBMITTED", "STATUS");
                for (Job job : jobs.getJobsList()) {
                    table.add(job.getId(), job.getState().name(), JobText.architecture(job),
                            JobText.time(job.getSubmittedAt()), job.getStatus());
                }
                table.print(session.out());
                return ExitStatus.OK;
            }
        }
    }

    @Command(name = "watch",
            description = "Follow a job to its verdicts; the exit status is the job's, as for submit --watch.")
    static final class Watch implements Callable<Integer> {
        @ParentCommand
        private Verifarm verifarm;

        @Parameters(paramLabel = "ID", description = "the job's id")
        private String id;

        @Override
        public Integer call() {
            try (Session session = verifarm.session()) {
                return JobOutcome.watch(session, id);
            }
        }
    }

    @Command(name = "cancel", description = "Cancel a job that has not finished (a finished one stays as it is).")
    static final class Cancel implements Callable<Integer> {
        @ParentCommand
        private Verifarm verifarm;

        @Parameters(paramLabel = "ID", description = "the job's id")
        private String id;

        @Override
        public Integer call() {
            try (Session session = verifarm.session()) {
                Job job = session.connection().call(() -> session.connection().submission()
                        .cancelJob(CancelJobRequest.newBuilder().setJobId(id).build()));
                session.out().println("job " + job.getId() + " " + job.getState() + ": " + job.getStatus());
                return ExitStatus.OK;
            }
        }
    }
}
