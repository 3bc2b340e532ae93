package dev.verifarm.agent.bench;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.resolve.StubResolution;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.ElfSymbol;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.isa.Disassembler;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.proto.v1.CheckReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The engine's hot paths one at a time, on the {@code stubs} fixture of each architecture: decoding one
 * instruction, one resolve check on an opened artifact, opening the ELF file with its symbols, parsing
 * .gopclntab, and one resolve request end to end through the agent's lease path. {@link ChecksBenchmark} times
 * whole requests on large binaries; this says where their time goes.
 *
 * <p>Run with {@code bench/checks.sh --jmh}, or after {@code mvn -pl agent test-compile}:
 * {@code java -cp agent/target/test-classes:agent/target/classes:CLASSPATH org.openjdk.jmh.Main HotPathBenchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {

    @Param({"AMD64", "ARM64"})
    public GoArch arch;

    private Path binary;
    private Artifact artifact;
    private Disassembler disassembler;
    private byte[] firstInstruction;
    private long stubAddress;

    @Setup(Level.Trial)
    public void open() throws IOException, ElfFormatException {
        binary = new StubsFixture(arch, BuildVariant.DEFAULT).binary();
        artifact = Artifact.open(binary);
        CodeSymbol stub = artifact.symbols().symtabFunctions("main.addrOfMemcpyish.abi0").get(0);
        stubAddress = stub.address();
        disassembler = Disassembler.forArchitecture(artifact.elf().architecture());
        Instruction first = disassembler.decode(artifact.text(stubAddress, stub.size()), stubAddress, 1).get(0);
        firstInstruction = artifact.text(stubAddress, first.bytes().length);
    }

    @TearDown(Level.Trial)
    public void close() {
        disassembler.close();
        artifact.close();
    }

    /** Capstone's decoding of one instruction and its conversion to an {@link Instruction}. */
    @Benchmark
    public List<Instruction> decodeOneInstruction() {
        return disassembler.decode(firstInstruction, stubAddress, 1);
    }

    /**
     * {@code main.addrOfMemcpyish=main.memcpyish} on an artifact opened once. The artifact keeps what the target's
     * name resolved to, so past the first call this is the check's own cost: decoding and evaluating the stub.
     */
    @Benchmark
    public CheckResult resolveCheckOnOpenedArtifact() {
        return StubResolution.check(artifact, StubsFixture.RESOLVE_STUB);
    }

    /** Mapping the file, validating its headers and reading .symtab. */
    @Benchmark
    public List<ElfSymbol> openElfAndSymbols() throws IOException, ElfFormatException {
        return ElfFile.open(binary).symbols();
    }

    /** Finding and indexing .gopclntab in a file already open. */
    @Benchmark
    public Optional<Pclntab> parsePclntab() throws ElfFormatException {
        return Pclntab.find(artifact.elf());
    }

    /** One resolve expectation in a request of its own, as an agent serves a lease: open, check, wire report. */
    @Benchmark
    public CheckReport resolveRequestEndToEnd() {
        return ChecksBenchmark.lease(binary, List.of(StubsFixture.RESOLVE_STUB));
    }
}
