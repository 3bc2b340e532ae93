package dev.verifarm.agent.check;

import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.gosym.GoBuildInfo;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.isa.Disassembler;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.InstructionSet;
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
        // Hashing every byte costs as much as reading the tables and loading Capstone: do it alongside.
        CompletableFuture<String> sha256 = CompletableFuture.supplyAsync(() -> {
            try {
                return sha256(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ElfFile elf = ElfFile.open(path);
        SymbolTable symbols = SymbolTable.of(elf, Pclntab.find(elf));
        Disassembler disassembler = Disassembler.forArchitecture(elf.architecture());
        ArtifactInfo info = new ArtifactInfo(path.toString(), join(sha256), elf.size(),
                elf.architecture().goName(), elf.isPie(), !symbols.hasSymtab(), GoBuildInfo.version(elf));
        return new Artifact(elf, symbols, disassembler, InstructionSet.of(elf.architecture()), info);
    }

    private static String join(CompletableFuture<String> sha256) throws IOException {
        try {
            return sha256.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
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

    /** The code as evidence, up to and including its first return: what follows is padding or another function. */
    public static List<DecodedInstruction> evidenceUpToReturn(List<Instruction> code) {
        List<DecodedInstruction> out = new ArrayList<>();
        for (Instruction i : code) {
            out.add(new DecodedInstruction(i.address(), i.hexBytes(), i.text()));
            if (i.ret()) {
                break;
            }
        }
        return out;
    }
}
