package dev.verifarm.cli.command;

import dev.verifarm.cli.Args;
import dev.verifarm.cli.CliException;
import dev.verifarm.cli.ExitStatus;
import dev.verifarm.cli.connect.ArtifactUpload;
import dev.verifarm.contract.ContractException;
import dev.verifarm.contract.HostPaths;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.SubmitJobRequest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Uploads a binary, submits a job for it and, with --watch, follows it to its verdicts. */
public final class SubmitCommand implements Command {
    @Override
    public String name() {
        return "submit";
    }

    @Override
    public String usage() {
        return "submit FILE [--resolve RESOLVER=TARGET]... [--copy RESOLVER=TARGET[@END]]... [--discover] [--hazards]\n"
                + "       [--mode static|native] [--arch amd64|arm64] [--host-path] [--fleet-wide] [--priority N]"
                + " [--watch]\n"
                + "    upload FILE (or, with --host-path, name a file already on the agents' hosts; it then needs"
                + " --arch)\n    and submit a job; prints its id, or with --watch follows it to its verdicts."
                + " END: pclntab-end (default),\n    symbol-size or symbol:NAME. --hazards: find assembly functions whose"
                + " Go func value is taken;\n    a user hazard fails the job";
    }

    @Override
    public Set<String> options() {
        return Set.of("resolve", "copy", "mode", "arch", "priority");
    }

    @Override
    public Set<String> flags() {
        return Set.of("discover", "hazards", "fleet-wide", "host-path", "watch");
    }

    @Override
    public int run(Args args, Session session) {
        String file = args.only("FILE");
        SubmitJobRequest.Builder job = SubmitJobRequest.newBuilder();
        args.all("resolve").forEach(spec -> job.addExpectations(Wire.resolve(spec)));
        args.all("copy").forEach(spec -> job.addExpectations(Wire.copy(spec)));
        job.setDiscover(args.flag("discover"));
        job.setHazards(args.flag("hazards"));
        if (job.getExpectationsCount() == 0 && !job.getDiscover() && !job.getHazards()) {
            throw CliException.error("nothing to check: give --resolve, --copy, --discover or --hazards");
        }
        job.setMode(Wire.mode(args.value("mode").orElse("static")));
        job.setFleetWide(args.flag("fleet-wide"));
        args.value("priority").ifPresent(p -> job.setPriority(Wire.positive("--priority", p, 1_000_000)));
        Optional<Architecture> arch = args.value("arch").map(Wire::architecture);

        if (args.flag("host-path")) {
            try {
                HostPaths.require(file);
            } catch (ContractException refused) {
                throw CliException.error("--host-path " + file + ": " + refused.getMessage());
            }
            job.setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder().setPath(file)
                    .setArchitecture(arch.orElseThrow(() -> CliException.error(
                            "--host-path needs --arch: the coordinator cannot read the agents' files")))));
        } else {
            ArtifactRef artifact = ArtifactUpload.send(session.connection(), Path.of(file));
            arch.filter(a -> a != artifact.getArchitecture()).ifPresent(a -> {
                throw CliException.error("--arch " + lower(a) + " but " + file + " is an "
                        + lower(artifact.getArchitecture()) + " binary (its ELF header says so)");
            });
            session.err().println("uploaded " + artifact.getName() + ": sha256 " + artifact.getSha256() + ", "
                    + lower(artifact.getArchitecture()) + ", " + artifact.getSize() + " bytes");
            job.setArtifact(ArtifactSource.newBuilder().setSha256(artifact.getSha256()));
        }
        Job submitted = session.connection().call(() -> session.connection().submission().submitJob(job.build()));
        if (!args.flag("watch")) {
            session.out().println(submitted.getId());
            return ExitStatus.OK;
        }
        session.err().println("submitted job " + submitted.getId());
        return JobOutcome.watch(session, submitted.getId());
    }

    private static String lower(Architecture architecture) {
        return architecture.name().toLowerCase(Locale.ROOT);
    }
}
