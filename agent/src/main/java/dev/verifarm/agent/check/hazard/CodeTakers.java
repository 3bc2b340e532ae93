package dev.verifarm.agent.check.hazard;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.SectionHeader;
import dev.verifarm.agent.gosym.FuncEntry;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.isa.AddressSet;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.Operand;
import dev.verifarm.agent.isa.PcRelativeReference;
import dev.verifarm.agent.isa.ReferenceShapes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Go functions whose code refers to a func value word or a wrapper's entry. A linear pass over the text
 * ({@link ReferenceShapes}) names the few functions worth decoding; each of those is decoded whole by Capstone, from
 * its entry, so an amd64 instruction boundary is never guessed, and only references Capstone decodes count.
 */
final class CodeTakers {

    /** What a taker's code shows about the value beyond taking it. */
    private static final Set<String> ADDRESS_USERS = Set.of("reflect.Value.Pointer", "reflect.Value.UnsafePointer",
            "runtime.FuncForPC");

    private CodeTakers() {
    }

    /**
     * One function's references to the targets.
     *
     * @param name     its Go name, from .gopclntab
     * @param refs     each referencing instruction (an arm64 ADRP with its partner) and what it refers to
     * @param loads    the targets it loads rather than materialises: the func value's entry as an integer
     * @param addressUsers the functions it calls that turn a func value into an address
     */
    record Taker(String name, List<Ref> refs, Set<Long> loads, Set<String> addressUsers) {
    }

    /** An instruction that refers to a target. */
    record Ref(DecodedInstruction instruction, long target) {
    }

    /** Every Go function that refers to one of the targets, in address order. */
    static List<Taker> find(Artifact artifact, AddressSet targets) throws ElfFormatException {
        Optional<Pclntab> table = artifact.symbols().pclntab();
        if (table.isEmpty() || targets.isEmpty()) {
            return List.of(); // only Go code takes Go func values, and .gopclntab is where Go code is known
        }
        Map<Long, FuncEntry> functions = new LinkedHashMap<>();
        for (SectionHeader s : artifact.elf().sections()) {
            if (s.executable() && s.hasFileData() && s.size() > 0) {
                ByteBuffer code = artifact.elf().sectionData(s).asReadOnlyBuffer();
                for (ReferenceShapes.Candidate c : ReferenceShapes.find(artifact.elf().architecture(), code, s.addr(),
                        targets)) {
                    table.get().lookup(c.address()).ifPresent(f -> functions.putIfAbsent(f.entry(), f));
                }
            }
        }
        List<Taker> out = new ArrayList<>();
        for (FuncEntry f : functions.values()) {
            decoded(artifact, f, table.get(), targets).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Taker> decoded(Artifact artifact, FuncEntry f, Pclntab table, AddressSet targets) {
        List<Instruction> code;
        try {
            code = artifact.decode(artifact.text(f.entry(), f.length()), f.entry());
        } catch (ElfFormatException e) {
            return Optional.empty(); // a function the file does not back takes nothing we could show
        }
        List<Ref> refs = new ArrayList<>();
        Set<Long> loads = new TreeSet<>();
        Set<String> addressUsers = new TreeSet<>();
        Map<Long, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < code.size(); i++) {
            index.put(code.get(i).address(), i);
        }
        for (PcRelativeReference r : artifact.isa().pcRelativeReferences(code)) {
            if (!r.kind().equals("data") || !targets.contains(r.target())) {
                continue;
            }
            Instruction insn = r.instruction();
            Optional<Instruction> partner = partner(code, index.get(insn.address()));
            refs.add(new Ref(evidence(insn, partner), r.target()));
            if (isLoad(insn, partner)) {
                loads.add(r.target());
            }
        }
        for (Instruction insn : code) {
            OptionalLong callee = artifact.isa().directTransferTarget(insn);
            if (insn.call() && callee.isPresent()) {
                table.lookup(callee.getAsLong()).map(FuncEntry::name).filter(ADDRESS_USERS::contains)
                        .ifPresent(addressUsers::add);
            }
        }
        return refs.isEmpty() ? Optional.empty() : Optional.of(new Taker(f.name(), refs, loads, addressUsers));
    }

    /** The instruction that completes an arm64 ADRP (its ADD or load), which the evidence shows with it. */
    private static Optional<Instruction> partner(List<Instruction> code, int at) {
        Instruction insn = code.get(at);
        return insn.mnemonic().equals("adrp") && at + 1 < code.size() ? Optional.of(code.get(at + 1)) : Optional.empty();
    }

    /**
     * Whether the reference reads the word rather than taking its address: amd64 {@code MOV reg, [rip+d]}, arm64
     * {@code ADRP}+{@code LDR} or a literal {@code LDR}.
     */
    private static boolean isLoad(Instruction insn, Optional<Instruction> partner) {
        if (partner.isPresent()) {
            return partner.get().mnemonic().startsWith("ldr");
        }
        List<Operand> ops = insn.operands();
        return insn.mnemonic().startsWith("ldr")
                || insn.mnemonic().equals("mov") && ops.size() == 2 && ops.get(0) instanceof Operand.Register
                && ops.get(1) instanceof Operand.Memory;
    }

    private static DecodedInstruction evidence(Instruction insn, Optional<Instruction> partner) {
        return partner.map(p -> new DecodedInstruction(insn.address(), insn.hexBytes() + p.hexBytes(),
                insn.text() + "; " + p.text())).orElseGet(() -> new DecodedInstruction(insn.address(), insn.hexBytes(),
                insn.text()));
    }
}
