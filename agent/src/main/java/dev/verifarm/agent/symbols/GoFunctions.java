package dev.verifarm.agent.symbols;

import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.gosym.FuncEntry;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.isa.Disassembler;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.InstructionSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Knows a Go assembly body from its ABI wrapper. With .symtab the names say it ({@code X.abi0} beside
 * {@code X}); in a stripped file both entries of .gopclntab carry the name {@code X}, so the wrapper is the
 * one whose code calls (or tail-jumps to) its namesake, and from Go 1.18 the body carries the ASM flag.
 */
public final class GoFunctions {

    private static final String ABI0_SUFFIX = ".abi0";
    /** ABI wrappers spill arguments, call and return: their call sits well inside this many bytes. */
    private static final int WRAPPER_SCAN_BYTES = 512;
    private static final int WRAPPER_SCAN_INSTRUCTIONS = 256;

    private final ElfFile elf;
    private final SymbolTable symbols;
    private final Disassembler disassembler;
    private final InstructionSet isa;
    private final Map<String, Resolution> resolutions = new ConcurrentHashMap<>();

    public GoFunctions(ElfFile elf, SymbolTable symbols, Disassembler disassembler, InstructionSet isa) {
        this.elf = elf;
        this.symbols = symbols;
        this.disassembler = disassembler;
        this.isa = isa;
    }

    /**
     * The function a user names ({@code main.memcpyish}, or its body {@code main.memcpyish.abi0}). Each name is
     * worked out once per artifact: a request names the same targets again and again, and telling a stripped body
     * from its wrapper means decoding both.
     */
    public GoFunction resolve(String name) throws UnknownSymbolException {
        Resolution known = resolutions.get(name);
        if (known == null) {
            try {
                known = new Resolution(Optional.of(resolveUncached(name)), "");
            } catch (UnknownSymbolException e) {
                known = new Resolution(Optional.empty(), e.getMessage());
            }
            resolutions.putIfAbsent(name, known);
        }
        if (known.function().isEmpty()) {
            throw new UnknownSymbolException(known.failure());
        }
        return known.function().get();
    }

    /** What resolving a name gave: the function, or why there is none. */
    private record Resolution(Optional<GoFunction> function, String failure) {
    }

    private GoFunction resolveUncached(String name) throws UnknownSymbolException {
        String goName = name.endsWith(ABI0_SUFFIX) ? name.substring(0, name.length() - ABI0_SUFFIX.length()) : name;
        if (symbols.hasSymtab()) {
            Optional<GoFunction> fromSymtab = fromSymtab(goName);
            if (fromSymtab.isPresent()) {
                return fromSymtab.get();
            }
        }
        Optional<Pclntab> table = symbols.pclntab();
        if (table.isPresent() && !table.get().named(goName).isEmpty()) {
            return fromPclntab(goName, table.get().named(goName));
        }
        String searched = symbols.hasSymtab() && table.isPresent() ? ".symtab or .gopclntab"
                : symbols.hasSymtab() ? ".symtab"
                : table.isPresent() ? ".gopclntab"
                : "this file: it has neither .symtab nor .gopclntab";
        throw new UnknownSymbolException("no function named " + name + " in " + searched);
    }

    private Optional<GoFunction> fromSymtab(String goName) throws UnknownSymbolException {
        List<CodeSymbol> abi0 = symbols.symtabFunctions(goName + ABI0_SUFFIX);
        List<CodeSymbol> plain = symbols.symtabFunctions(goName);
        if (abi0.isEmpty() && plain.isEmpty()) {
            return Optional.empty();
        }
        if (abi0.size() > 1 || (abi0.isEmpty() && plain.size() > 1)) {
            throw new UnknownSymbolException(goName + " names " + Math.max(abi0.size(), plain.size())
                    + " functions in .symtab; cannot tell which one is meant");
        }
        if (abi0.isEmpty()) {
            CodeSymbol body = plain.get(0);
            return Optional.of(new GoFunction(goName, body, Optional.empty(), pclntabEnd(body.address()),
                    ".symtab has only " + goName));
        }
        if (plain.isEmpty()) {
            CodeSymbol body = abi0.get(0);
            return Optional.of(new GoFunction(goName, body, Optional.empty(), pclntabEnd(body.address()),
                    ".symtab has only " + body.name()));
        }
        return Optional.of(symtabPair(goName, abi0.get(0), plain.get(0)));
    }

    /**
     * Which of {@code X.abi0} and {@code X} is the body. For an assembly function X is the ABIInternal wrapper
     * that calls X.abi0; for a Go function called from assembly, X.abi0 is an ABI0 wrapper that calls X. The
     * call decides; the name rule (body = X.abi0) stands when neither calls the other.
     */
    private GoFunction symtabPair(String goName, CodeSymbol abi0, CodeSymbol plain) {
        if (transfersTo(plain, abi0.address())) {
            return new GoFunction(goName, abi0, Optional.of(plain), pclntabEnd(abi0.address()),
                    ".symtab names the body " + abi0.name() + ", and the wrapper " + goName + " transfers to it");
        }
        if (transfersTo(abi0, plain.address())) {
            return new GoFunction(goName, plain, Optional.of(abi0), pclntabEnd(plain.address()),
                    goName + " is a Go function: " + abi0.name() + " is its ABI0 wrapper and transfers to it");
        }
        return new GoFunction(goName, abi0, Optional.of(plain), pclntabEnd(abi0.address()),
                ".symtab names only (" + abi0.name() + " is taken as the body; neither transfers to the other)");
    }

    private boolean transfersTo(CodeSymbol from, long to) {
        OptionalLong target = transferTargetWithin(new FuncEntry(from.name(), from.address(), from.end(), 0, 0));
        return target.isPresent() && target.getAsLong() == to;
    }

    private OptionalLong pclntabEnd(long address) {
        return symbols.pclntab().flatMap(t -> t.lookup(address)).map(f -> OptionalLong.of(f.end()))
                .orElse(OptionalLong.empty());
    }

    private GoFunction fromPclntab(String goName, List<FuncEntry> entries) throws UnknownSymbolException {
        if (entries.size() == 1) {
            FuncEntry f = entries.get(0);
            return new GoFunction(goName, pclntabSymbol(f), Optional.empty(), OptionalLong.of(f.end()),
                    ".gopclntab has one entry named " + goName);
        }
        Optional<GoFunction> pair = pair(goName, entries);
        return pair.orElseThrow(() -> new UnknownSymbolException(goName + " names " + entries.size()
                + " functions in .gopclntab and none wraps another (generic shape instantiations?); "
                + "name one by a resolver instead"));
    }

    /**
     * A body and its wrapper among same-named .gopclntab entries, or empty when none wraps another. Each entry's
     * code is decoded once and its callee found by address, so a hostile table that gives thousands of entries
     * one name costs linear, not quadratic, time.
     */
    private Optional<GoFunction> pair(String goName, List<FuncEntry> entries) {
        Pclntab table = symbols.pclntab().orElseThrow();
        Map<Long, FuncEntry> byEntry = new HashMap<>();
        entries.forEach(f -> byEntry.putIfAbsent(f.entry(), f));
        Optional<FuncEntry> firstFlagged = table.marksAssembly()
                ? entries.stream().filter(table::isAssembly).findFirst() : Optional.empty();
        for (FuncEntry wrapper : entries) {
            OptionalLong callee = transferTargetWithin(wrapper);
            Optional<FuncEntry> called = callee.isPresent()
                    ? Optional.ofNullable(byEntry.get(callee.getAsLong())).filter(b -> b != wrapper) : Optional.empty();
            Optional<FuncEntry> flaggedBody = firstFlagged.filter(b -> !table.isAssembly(wrapper));
            // of the two candidates, the first in address order, as a scan of the entries would find it
            Optional<FuncEntry> body = called.isEmpty() ? flaggedBody : flaggedBody.isEmpty() ? called
                    : Optional.of(Long.compareUnsigned(flaggedBody.get().entry(), called.get().entry()) < 0
                    ? flaggedBody.get() : called.get());
            if (body.isPresent()) {
                FuncEntry b = body.get();
                boolean calls = callee.isPresent() && callee.getAsLong() == b.entry();
                boolean flagged = table.isAssembly(b) && !table.isAssembly(wrapper);
                String how = (calls ? "the wrapper's " + (isCall(wrapper) ? "call" : "jump") + " to its namesake" : "")
                        + (calls && flagged ? " and " : "") + (flagged ? "the body's ASM flag" : "")
                        + " (wrapper funcID " + wrapper.funcId() + ")";
                return Optional.of(new GoFunction(goName, pclntabSymbol(b), Optional.of(pclntabSymbol(wrapper)),
                        OptionalLong.of(b.end()), how));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether f is assembly (ABI0), which hands results back on the stack: named {@code X.abi0} in .symtab, or
     * flagged ASM in .gopclntab (Go 1.18+). Unknown (an older table, a plain name) counts as not assembly.
     */
    public boolean isAssembly(CodeSymbol f) {
        if (f.name().endsWith(ABI0_SUFFIX)) {
            return true;
        }
        Optional<Pclntab> table = symbols.pclntab();
        return table.isPresent() && table.get().lookup(f.address())
                .filter(e -> e.entry() == f.address() && table.get().isAssembly(e)).isPresent();
    }

    private boolean isCall(FuncEntry f) {
        return findFirst(f, i -> i.call() && isa.directTransferTarget(i).isPresent()).isPresent();
    }

    /** The target of the first direct call, or of a direct jump out of the function, in its leading bytes. */
    private OptionalLong transferTargetWithin(FuncEntry f) {
        return findFirst(f, i -> {
            OptionalLong target = isa.directTransferTarget(i);
            return target.isPresent() && (i.call() || !f.contains(target.getAsLong()));
        }).map(isa::directTransferTarget).orElse(OptionalLong.empty());
    }

    private Optional<Instruction> findFirst(FuncEntry f, Predicate<Instruction> match) {
        try {
            long length = Math.min(f.length(), WRAPPER_SCAN_BYTES);
            return disassembler.findFirst(elf.bytesAt(f.entry(), length).copy(0, length, "function text"), f.entry(),
                    WRAPPER_SCAN_INSTRUCTIONS, match);
        } catch (ElfFormatException e) {
            return Optional.empty(); // a function the file does not back cannot be a wrapper we could prove
        }
    }

    private static CodeSymbol pclntabSymbol(FuncEntry f) {
        return new CodeSymbol(f.name(), f.entry(), f.length(), CodeSymbol.Source.PCLNTAB);
    }

    /**
     * Every ABI wrapper in the file: pairs {@code X}/{@code X.abi0} from .symtab, and for a stripped file
     * same-named .gopclntab pairs where one wraps the other. Sorted by name.
     */
    public List<GoFunction> wrappers() {
        Map<String, GoFunction> out = new TreeMap<>();
        if (symbols.hasSymtab()) {
            for (String name : symbols.symtabFunctionNames()) {
                if (name.endsWith(ABI0_SUFFIX)) {
                    String goName = name.substring(0, name.length() - ABI0_SUFFIX.length());
                    List<CodeSymbol> wrapper = symbols.symtabFunctions(goName);
                    List<CodeSymbol> body = symbols.symtabFunctions(name);
                    if (wrapper.size() == 1 && body.size() == 1) {
                        out.put(goName, symtabPair(goName, body.get(0), wrapper.get(0)));
                    }
                }
            }
            return new ArrayList<>(out.values());
        }
        symbols.pclntab().ifPresent(table -> {
            for (FuncEntry f : table.functions()) {
                List<FuncEntry> namesakes = table.named(f.name());
                if (namesakes.size() > 1 && namesakes.get(0) == f) {
                    pair(f.name(), namesakes).ifPresent(g -> out.put(g.name(), g));
                }
            }
        });
        return new ArrayList<>(out.values());
    }
}
