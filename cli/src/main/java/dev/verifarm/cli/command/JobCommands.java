package dev.verifarm.cli.command;

import dev.verifarm.cli.Args;
import dev.verifarm.cli.ExitStatus;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.cli.render.ProtoJson;
import dev.verifarm.cli.render.Table;
import dev.verifarm.proto.v1.CancelJobRequest;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.ListJobsRequest;
import dev.verifarm.proto.v1.ListJobsResponse;

import java.util.List;
import java.util.Set;

/** Reading and steering jobs that exist: job, jobs, watch, cancel. */
public final class JobCommands {
    private JobCommands() {
    }

    public static List<Command> all() {
        return List.of(new Show(), new ListJobs(), new Watch(), new Cancel());
    }

    static final class Show implements Command {
        @Override
        public String name() {
            return "job";
        }

        @Override
        public String usage() {
            return "job ID [--json]\n    a job's state, attempts and verdicts; --json: the whole job with every"
                    + " report's evidence";
        }

        @Override
        public Set<String> flags() {
            return Set.of("json");
        }

        @Override
        public int run(Args args, Session session) {
            String id = args.only("job ID");
            Job job = session.connection().call(() -> session.connection().submission()
                    .getJob(GetJobRequest.newBuilder().setJobId(id).build()));
            if (args.flag("json")) {
                ProtoJson.print(job, session.out());
            } else {
                JobText.details(job, session.out());
            }
            return ExitStatus.OK;
        }
    }

    static final class ListJobs implements Command {
        @Override
        public String name() {
            return "jobs";
        }

        @Override
        public String usage() {
            return "jobs [--state STATE] [--arch amd64|arm64] [--limit N]\n    the newest jobs first (100 unless"
                    + " --limit, at most 1000)";
        }

        @Override
        public Set<String> options() {
            return Set.of("state", "arch", "limit");
        }

        @Override
        public int run(Args args, Session session) {
            args.none("jobs");
            ListJobsRequest.Builder request = ListJobsRequest.newBuilder();
            args.value("state").ifPresent(s -> request.setState(Wire.state(s)));
            args.value("arch").ifPresent(a -> request.setArchitecture(Wire.architecture(a)));
            args.value("limit").ifPresent(l -> request.setLimit(Wire.positive("--limit", l, 1000)));
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

    static final class Watch implements Command {
        @Override
        public String name() {
            return "watch";
        }

        @Override
        public String usage() {
            return "watch ID\n    follow a job to its verdicts; the exit status is the job's, as for submit --watch";
        }

        @Override
        public int run(Args args, Session session) {
            return JobOutcome.watch(session, args.only("job ID"));
        }
    }

    static final class Cancel implements Command {
        @Override
        public String name() {
            return "cancel";
        }

        @Override
        public String usage() {
            return "cancel ID\n    cancel a job that has not finished (a finished one stays as it is)";
        }

        @Override
        public int run(Args args, Session session) {
            String id = args.only("job ID");
            Job job = session.connection().call(() -> session.connection().submission()
                    .cancelJob(CancelJobRequest.newBuilder().setJobId(id).build()));
            session.out().println("job " + job.getId() + " " + job.getState() + ": " + job.getStatus());
            return ExitStatus.OK;
        }
    }
}
