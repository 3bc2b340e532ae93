package dev.verifarm.agent.isa.arm64;

import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.InstructionSet;
import dev.verifarm.agent.isa.LoadedMemory;
import dev.verifarm.agent.isa.Operand;
import dev.verifarm.agent.isa.PcRelativeReference;
import dev.verifarm.agent.isa.StubState;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.OptionalLong;

/**
 * arm64: {@code ADRP}+{@code ADD}, {@code ADRP}+{@code LDR} from a GOT slot, {@code MOVZ/MOVK},
 * {@code LDR} literal, and Go's ABI0 result store {@code MOVD R0, ret+0(FP)} ({@code str x0, [sp, #8]}).
 */
public final class Arm64 implements InstructionSet {

    private static final Set<String> BRANCHES = Set.of("b", "bl", "cbz", "cbnz", "tbz", "tbnz");
    private static final Set<String> LITERAL_LOADS = Set.of("ldr", "ldrsw", "prfm");

    @Override
    public AddressEvaluation evaluate(List<Instruction> code, LoadedMemory memory) {
        return StubState.walk(code, "x0", (insn, state) -> step(insn, state, memory));
    }

    private static void step(Instruction insn, StubState state, LoadedMemory memory) throws ElfFormatException {
        List<Operand> ops = insn.operands();
        String m = insn.mnemonic();
        if (ops.isEmpty() || !(ops.get(0) instanceof Operand.Register dst)) {
            return;
        }
        String reg = dst.name();
        if ((m.equals("str") || m.equals("stur")) && ops.size() >= 2 && ops.get(1) instanceof Operand.Memory mem
                && mem.base().filter("sp"::equals).isPresent()) {
            OptionalLong value = state.get(reg);
            if (value.isPresent()) {
                state.store(value.getAsLong(), "[sp, #" + mem.displacement() + "]");
            }
            return;
        }
        if (m.startsWith("st") || m.startsWith("cmp") || m.startsWith("tst")) {
            return; // stores and compares write no register we track
        }
        OptionalLong result = switch (m) {
            case "adrp", "adr" -> immediate(ops, 1);
            case "add", "sub" -> addSub(m, ops, state);
            case "mov", "movz" -> ops.size() == 2 && ops.get(1) instanceof Operand.Register src
                    ? state.get(src.name()) : immediate(ops, 1);
            case "movk" -> movk(reg, ops, state);
            case "ldr" -> load(ops, state, memory);
            default -> OptionalLong.empty();
        };
        state.set(reg, result);
        if (reg.startsWith("w")) {
            state.forget("x" + reg.substring(1)); // a W write clears the X register's top half: not tracked
        }
    }

    private static OptionalLong immediate(List<Operand> ops, int index) {
        return ops.size() > index && ops.get(index) instanceof Operand.Immediate imm
                ? OptionalLong.of(imm.shifted()) : OptionalLong.empty();
    }

    private static OptionalLong addSub(String m, List<Operand> ops, StubState state) {
        if (ops.size() != 3 || !(ops.get(1) instanceof Operand.Register src)) {
            return OptionalLong.empty();
        }
        OptionalLong base = state.get(src.name());
        OptionalLong imm = immediate(ops, 2);
        if (base.isEmpty() || imm.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(m.equals("add") ? base.getAsLong() + imm.getAsLong() : base.getAsLong() - imm.getAsLong());
    }

    private static OptionalLong movk(String reg, List<Operand> ops, StubState state) {
        OptionalLong old = state.get(reg);
        if (old.isEmpty() || ops.size() != 2 || !(ops.get(1) instanceof Operand.Immediate imm)) {
            return OptionalLong.empty();
        }
        long mask = 0xffffL << imm.shiftLeft();
        return OptionalLong.of((old.getAsLong() & ~mask) | (imm.shifted() & mask));
    }

    private static OptionalLong load(List<Operand> ops, StubState state, LoadedMemory memory)
            throws ElfFormatException {
        OptionalLong slot = OptionalLong.empty();
        if (ops.size() == 2 && ops.get(1) instanceof Operand.Immediate literal) {
            slot = OptionalLong.of(literal.value());
        } else if (ops.size() == 2 && ops.get(1) instanceof Operand.Memory mem && mem.index().isEmpty()
                && mem.base().isPresent()) {
            OptionalLong base = state.get(mem.base().get());
            if (base.isPresent()) {
                slot = OptionalLong.of(base.getAsLong() + mem.displacement());
            }
        }
        if (slot.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(state.load(memory, slot.getAsLong()));
    }

    @Override
    public List<PcRelativeReference> pcRelativeReferences(List<Instruction> code) {
        List<PcRelativeReference> out = new ArrayList<>();
        for (int i = 0; i < code.size(); i++) {
            Instruction insn = code.get(i);
            OptionalLong branch = directTransferTarget(insn);
            String m = insn.mnemonic();
            if (branch.isPresent()) {
                out.add(new PcRelativeReference(insn, branch.getAsLong(), insn.call() ? "call" : "branch"));
            } else if (m.equals("adr")) {
                immediate(insn.operands(), 1).ifPresent(t -> out.add(new PcRelativeReference(insn, t, "data")));
            } else if (m.equals("adrp")) {
                OptionalLong page = immediate(insn.operands(), 1);
                if (page.isPresent()) {
                    out.add(new PcRelativeReference(insn, pageTarget(code, i, page.getAsLong()), "data"));
                }
            } else if (LITERAL_LOADS.contains(m) && insn.operands().size() == 2
                    && insn.operands().get(1) instanceof Operand.Immediate literal) {
                out.add(new PcRelativeReference(insn, literal.value(), "data"));
            }
        }
        return out;
    }

    /** The full address an ADRP page is completed to by the ADD or LDR that follows it, else the page itself. */
    private static long pageTarget(List<Instruction> code, int adrpIndex, long page) {
        Instruction adrp = code.get(adrpIndex);
        String reg = ((Operand.Register) adrp.operands().get(0)).name();
        if (adrpIndex + 1 < code.size()) {
            Instruction next = code.get(adrpIndex + 1);
            List<Operand> ops = next.operands();
            if (next.mnemonic().equals("add") && ops.size() == 3 && ops.get(1) instanceof Operand.Register src
                    && src.name().equals(reg) && ops.get(2) instanceof Operand.Immediate imm) {
                return page + imm.shifted();
            }
            if (next.mnemonic().startsWith("ldr") && ops.size() == 2 && ops.get(1) instanceof Operand.Memory mem
                    && mem.base().filter(reg::equals).isPresent() && mem.index().isEmpty()) {
                return page + mem.displacement();
            }
        }
        return page;
    }

    @Override
    public OptionalLong directTransferTarget(Instruction insn) {
        String m = insn.mnemonic();
        if (BRANCHES.contains(m) || m.startsWith("b.")) {
            List<Operand> ops = insn.operands();
            if (!ops.isEmpty() && ops.get(ops.size() - 1) instanceof Operand.Immediate imm) {
                return OptionalLong.of(imm.value());
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public boolean isPadding(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            return false;
        }
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
