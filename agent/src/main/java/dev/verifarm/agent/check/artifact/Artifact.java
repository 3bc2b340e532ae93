package dev.verifarm.agent.check.artifact;

import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.elf.DataWords;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.gosym.GoBuildInfo;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Disassembler;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.InstructionSet;
import dev.verifarm.agent.isa.select.InstructionSets;
import dev.verifarm.agent.isa.ResultConvention;
import dev.verifarm.agent.isa.StubContext;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.DataSymbols;
import dev.verifarm.agent.symbols.GoFunctions;
import dev.verifarm.agent.symbols.SymbolTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** One opened artifact and everything the checks read from it, built once and shared by all its checks. */
public final class Artifact implements AutoCloseable {

    private final ElfFile elf;
    private final SymbolTable symbols;
    private final GoFunctions functions;
    private final Disassembler disassembler;
    private final InstructionSet isa;
    private final ArtifactInfo info;
    private DataWords dataWords;
    private DataSymbols dataSymbols;

    private Artifact(ElfFile elf, SymbolTable symbols, Disassembler disassembler, InstructionSet isa,
                     ArtifactInfo info) {
        this.elf = elf;
        this.symbols = symbols;
        this.disassembler = disassembler;
        this.isa = isa;
        this.functions = new GoFunctions(elf, symbols, disassembler, isa);
        this.info = info;
    }

    public static Artifact open(Path path) throws IOException, ElfFormatException {
        return open(path, path.toString());
    }

    /**
     * Opens {@code path} under the name {@code shownAs}, the path as its user wrote it: the check server opens a
     * client's relative path against the client's directory, and reports name it as the client gave it.
     */
    public static Artifact open(Path path, String shownAs) throws IOException, ElfFormatException {
        // Hashing every byte costs as much as reading the tables and loading Capstone: do it alongside.
        CompletableFuture<String> sha256 = CompletableFuture.supplyAsync(() -> {
            try {
                return sha256(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ElfFile elf = ElfFile.open(path);
        // Loading Capstone (JNA binding the native library) costs a fresh `check` about as much as hashing: alongside
        // too, on a thread of its own, since the common pool has a single thread on a 2-core host and hashes there.
        CompletableFuture<Disassembler> disassembler = CompletableFuture.supplyAsync(
                () -> Disassembler.forArchitecture(elf.architecture()), task -> new Thread(task, "capstone").start());
        try {
            SymbolTable symbols = SymbolTable.of(elf, Pclntab.find(elf));
            ArtifactInfo info = new ArtifactInfo(shownAs, join(sha256), elf.size(),
                    elf.architecture().goName(), elf.isPie(), !symbols.hasSymtab(), GoBuildInfo.version(elf));
            return new Artifact(elf, symbols, join(disassembler), InstructionSets.of(elf.architecture()), info);
        } catch (IOException | ElfFormatException | RuntimeException e) {
            disassembler.thenAccept(Disassembler::close);
            throw e;
        }
    }

    /** The value of work done alongside, with the exception it would have thrown here. */
    private static <T> T join(CompletableFuture<T> work) throws IOException {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    static String sha256(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Releases the disassembler; the file mapping goes with the last reference to it. */
    @Override
    public void close() {
        disassembler.close();
    }

    public ElfFile elf() {
        return elf;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public GoFunctions functions() {
        return functions;
    }

    public InstructionSet isa() {
        return isa;
    }

    public ArtifactInfo info() {
        return info;
    }

    /** The 8-byte words of the data sections, read on first use. */
    public synchronized DataWords dataWords() throws ElfFormatException {
        if (dataWords == null) {
            dataWords = DataWords.of(elf);
        }
        return dataWords;
    }

    /** The named data symbols of .symtab, read on first use; none in a stripped binary. */
    public synchronized DataSymbols dataSymbols() throws ElfFormatException {
        if (dataSymbols == null) {
            dataSymbols = DataSymbols.of(elf);
        }
        return dataSymbols;
    }

    /** The file's bytes at [address, address+length), as PT_LOAD maps them. */
    public byte[] text(long address, long length) throws ElfFormatException {
        return elf.bytesAt(address, length).copy(0, length, "text at 0x" + Long.toHexString(address));
    }

    /** Decodes code that sits at address; bytes need not come from the file (a probe's copy, say). */
    public List<Instruction> decode(byte[] code, long address) {
        return disassembler.decode(code, address, 0);
    }

    public Location locate(long address) {
        return new Location(address, symbols.locate(address));
    }

    /**
     * Walks a stub's code from its entry to its return ({@link dev.verifarm.agent.isa.StubWalk}): assembly hands
     * its result back on the stack, Go and C code may use the result register.
     */
    public AddressEvaluation evaluateStub(CodeSymbol stub, List<Instruction> code) {
        return isa.evaluate(code, new StubContext(elf::loadedWord, functions.isAssembly(stub)
                ? ResultConvention.STACK : ResultConvention.STACK_OR_REGISTER, elf.isPie(), this::growsStack));
    }

    /** Whether address is the entry of runtime.morestack or one of its variants, which stack-split checks call. */
    private boolean growsStack(long address) {
        return symbols.locate(address).filter(s -> s.offset() == 0 && s.symbol().startsWith("runtime.morestack"))
                .isPresent();
    }

    /** The code as evidence, up to and including its first return: what follows is padding or another function. */
    public static List<DecodedInstruction> evidenceUpToReturn(List<Instruction> code) {
        return evidenceUpToReturn(code, Map.of());
    }

    /** As {@link #evidenceUpToReturn(List)}, each instruction with what the walk made of it. */
    public static List<DecodedInstruction> evidenceUpToReturn(List<Instruction> code, Map<Long, String> walk) {
        List<DecodedInstruction> out = new ArrayList<>();
        for (Instruction i : code) {
            out.add(new DecodedInstruction(i.address(), i.hexBytes(), i.text(), walk.getOrDefault(i.address(), "")));
            if (i.ret()) {
                break;
            }
        }
        return out;
    }
}
