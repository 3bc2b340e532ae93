package dev.verifarm.cli.command;

import dev.verifarm.cli.connect.ArtifactUpload;
import dev.verifarm.cli.exit.CliException;
import dev.verifarm.cli.exit.ExitStatus;
import dev.verifarm.contract.ContractException;
import dev.verifarm.contract.HostPaths;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.SubmitJobRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Uploads a binary, submits a job for it and, with --watch, follows it to its verdicts. */
@Command(name = "submit", sortOptions = false,
        description = {"Upload FILE (or, with --host-path, name a file already on the agents' hosts; it then needs"
                + " --arch) and submit a job; print its id, or with --watch follow it to its verdicts."})
final class SubmitCommand implements Callable<Integer> {

    @ParentCommand
    private Verifarm verifarm;

    @Parameters(paramLabel = "FILE", description = "the ELF binary to check")
    private String file;

    @Option(names = "--resolve", paramLabel = "RESOLVER=TARGET", description = "the resolver must yield TARGET")
    private List<String> resolve = new ArrayList<>();

    @Option(names = "--copy", paramLabel = "RESOLVER=TARGET[@END]",
            description = "copying from the resolver's address to END must copy TARGET's text;"
                    + " END: pclntab-end (default), symbol-size or symbol:NAME")
    private List<String> copy = new ArrayList<>();

    @Option(names = "--discover", description = "also list the resolver stubs and wrapper pairs found")
    private boolean discover;

    @Option(names = "--hazards", description = "find assembly functions whose Go func value is taken;"
            + " a user hazard fails the job")
    private boolean hazards;

    @Option(names = "--mode", paramLabel = "static|native", completionCandidates = Wire.Modes.class,
            description = "static (default) or native: run the program in a sandbox")
    private Optional<String> mode = Optional.empty();

    @Option(names = "--arch", paramLabel = "amd64|arm64", completionCandidates = Wire.Architectures.class,
            description = "the architecture; from the ELF header when uploading")
    private Optional<String> arch = Optional.empty();

    @Option(names = "--host-path", description = "FILE is an absolute path on the agents' hosts, not uploaded")
    private boolean hostPath;

    @Option(names = "--fleet-wide", description = "run on every live agent of the architecture")
    private boolean fleetWide;

    @Option(names = "--priority", paramLabel = "N", description = "higher runs first")
    private Optional<String> priority = Optional.empty();

    @Option(names = "--watch", description = "follow the job to its verdicts; the exit status is the job's")
    private boolean watch;

    @Override
    public Integer call() {
        SubmitJobRequest.Builder job = SubmitJobRequest.newBuilder();
        resolve.forEach(spec -> job.addExpectations(Wire.resolve(spec)));
        copy.forEach(spec -> job.addExpectations(Wire.copy(spec)));
        job.setDiscover(discover);
        job.setHazards(hazards);
        if (job.getExpectationsCount() == 0 && !discover && !hazards) {
            throw CliException.error("nothing to check: give --resolve, --copy, --discover or --hazards");
        }
        job.setMode(Wire.mode(mode.orElse("static")));
        job.setFleetWide(fleetWide);
        priority.ifPresent(p -> job.setPriority(Wire.positive("--priority", p, 1_000_000)));
        Optional<Architecture> architecture = arch.map(Wire::architecture);
        try (Session session = verifarm.session()) {
            if (hostPath) {
                try {
                    HostPaths.require(file);
                } catch (ContractException refused) {
                    throw CliException.error("--host-path " + file + ": " + refused.getMessage());
                }
                job.setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder().setPath(file)
                        .setArchitecture(architecture.orElseThrow(() -> CliException.error(
                                "--host-path needs --arch: the coordinator cannot read the agents' files")))));
            } else {
                ArtifactRef artifact = ArtifactUpload.send(session.connection(), Path.of(file));
                architecture.filter(a -> a != artifact.getArchitecture()).ifPresent(a -> {
                    throw CliException.error("--arch " + lower(a) + " but " + file + " is an "
                            + lower(artifact.getArchitecture()) + " binary (its ELF header says so)");
                });
                session.err().println("uploaded " + artifact.getName() + ": sha256 " + artifact.getSha256() + ", "
                        + lower(artifact.getArchitecture()) + ", " + artifact.getSize() + " bytes");
                job.setArtifact(ArtifactSource.newBuilder().setSha256(artifact.getSha256()));
            }
            Job submitted = session.connection().call(() -> session.connection().submission()
                    .submitJob(job.build()));
            if (!watch) {
                session.out().println(submitted.getId());
                return ExitStatus.OK;
            }
            session.err().println("submitted job " + submitted.getId());
            return JobOutcome.watch(session, submitted.getId());
        }
    }

    private static String lower(Architecture architecture) {
        return architecture.name().toLowerCase(Locale.ROOT);
    }
}
