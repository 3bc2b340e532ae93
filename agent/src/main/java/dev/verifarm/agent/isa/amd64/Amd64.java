package dev.verifarm.agent.isa.amd64;

import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.InstructionSet;
import dev.verifarm.agent.isa.LoadedMemory;
import dev.verifarm.agent.isa.Operand;
import dev.verifarm.agent.isa.PcRelativeReference;
import dev.verifarm.agent.isa.ResultConvention;
import dev.verifarm.agent.isa.StubState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * amd64: RIP-relative {@code LEA}, {@code MOV r, imm32/imm64}, loads from GOT slots, and Go's ABI0 result
 * store {@code MOVQ AX, ret+0(FP)} (which the assembler writes as {@code mov [rsp+8], rax}).
 */
public final class Amd64 implements InstructionSet {

    private static final String RIP = "rip";
    private static final String RSP = "rsp";

    @Override
    public AddressEvaluation evaluate(List<Instruction> code, LoadedMemory memory, ResultConvention convention,
                                      boolean positionIndependent) {
        return StubState.walk(code, "rax", convention, (insn, state) -> step(insn, state, memory, positionIndependent));
    }

    private static void step(Instruction insn, StubState state, LoadedMemory memory, boolean positionIndependent)
            throws ElfFormatException {
        List<Operand> ops = insn.operands();
        String m = insn.mnemonic();
        if (ops.size() == 2 && ops.get(0) instanceof Operand.Memory dst && isStack(dst)) {
            OptionalLong value = m.equals("mov") ? valueOf(ops.get(1), state) : OptionalLong.empty();
            state.storeToStack(value, dst.displacement(), "[rsp+" + dst.displacement() + "]");
            return;
        }
        if (ops.isEmpty() || !(ops.get(0) instanceof Operand.Register dst)
                || m.equals("cmp") || m.equals("test") || m.equals("push")) {
            return;
        }
        String reg = fullRegister(dst.name());
        if (insn.operandText().contains("fs:") || insn.operandText().contains("gs:")) {
            state.forget(reg); // segment-relative: thread-local storage, not an address in the image
            return;
        }
        OptionalLong result = OptionalLong.empty();
        if (m.equals("lea") && ops.get(1) instanceof Operand.Memory mem) {
            result = effectiveAddress(insn, mem, state);
        } else if ((m.equals("mov") || m.equals("movabs")) && ops.size() == 2) {
            if (ops.get(1) instanceof Operand.Memory mem) {
                OptionalLong slot = effectiveAddress(insn, mem, state);
                if (slot.isPresent()) {
                    result = OptionalLong.of(state.load(memory, slot.getAsLong()));
                }
            } else {
                result = valueOf(ops.get(1), state);
            }
        } else if (m.equals("add") && ops.size() == 2) {
            OptionalLong a = state.get(reg);
            OptionalLong b = valueOf(ops.get(1), state);
            if (a.isPresent() && b.isPresent()) {
                result = OptionalLong.of(a.getAsLong() + b.getAsLong());
            }
        }
        if (reg.equals(dst.name())) {
            state.set(reg, result);
        } else if (isLow32(dst.name()) && !positionIndependent) {
            // a 32-bit write zero-extends: right for an address below 4 GiB in a file loaded where it was linked
            state.set(reg, result.isPresent() ? OptionalLong.of(result.getAsLong() & 0xffffffffL) : result);
        } else {
            state.forget(reg); // an 8- or 16-bit write, or a truncated address in a PIE
        }
    }

    /** The 64-bit register that reg (eax, ax, al, r8d, sil, ...) is part of. */
    static String fullRegister(String reg) {
        if (reg.matches("r(8|9|1[0-5])[dwb]")) {
            return reg.substring(0, reg.length() - 1);
        }
        if (reg.matches("e(ax|bx|cx|dx|si|di|bp|sp)")) {
            return "r" + reg.substring(1);
        }
        if (reg.matches("(ax|bx|cx|dx|si|di|bp|sp)")) {
            return "r" + reg;
        }
        if (reg.matches("[abcd][lh]")) {
            return "r" + reg.charAt(0) + "x";
        }
        if (reg.matches("(si|di|bp|sp)l")) {
            return "r" + reg.substring(0, 2);
        }
        return reg;
    }

    private static boolean isLow32(String reg) {
        return reg.matches("e(ax|bx|cx|dx|si|di|bp|sp)|r(8|9|1[0-5])d");
    }

    private static boolean isStack(Operand.Memory mem) {
        return mem.base().filter(RSP::equals).isPresent() && mem.index().isEmpty();
    }

    private static OptionalLong valueOf(Operand op, StubState state) {
        if (op instanceof Operand.Immediate imm) {
            return OptionalLong.of(imm.value());
        }
        if (op instanceof Operand.Register r) {
            return state.get(r.name());
        }
        return OptionalLong.empty();
    }

    private static OptionalLong effectiveAddress(Instruction insn, Operand.Memory mem, StubState state) {
        if (mem.index().isPresent()) {
            return OptionalLong.empty();
        }
        Optional<String> base = mem.base();
        if (base.isEmpty()) {
            return OptionalLong.of(mem.displacement());
        }
        if (base.get().equals(RIP)) {
            return OptionalLong.of(insn.next() + mem.displacement());
        }
        OptionalLong b = state.get(base.get());
        return b.isPresent() ? OptionalLong.of(b.getAsLong() + mem.displacement()) : OptionalLong.empty();
    }

    @Override
    public List<PcRelativeReference> pcRelativeReferences(List<Instruction> code) {
        List<PcRelativeReference> out = new ArrayList<>();
        for (Instruction insn : code) {
            OptionalLong branch = directTransferTarget(insn);
            if (branch.isPresent()) {
                out.add(new PcRelativeReference(insn, branch.getAsLong(), insn.call() ? "call" : "branch"));
                continue;
            }
            for (Operand op : insn.operands()) {
                if (op instanceof Operand.Memory mem && mem.base().filter(RIP::equals).isPresent()) {
                    out.add(new PcRelativeReference(insn, insn.next() + mem.displacement(),
                            insn.call() || insn.jump() ? "indirect branch" : "data"));
                }
            }
        }
        return out;
    }

    @Override
    public OptionalLong directTransferTarget(Instruction insn) {
        if ((insn.call() || insn.jump()) && insn.operands().size() == 1
                && insn.operands().get(0) instanceof Operand.Immediate imm) {
            return OptionalLong.of(imm.value());
        }
        return OptionalLong.empty();
    }

    @Override
    public boolean isPadding(byte[] bytes) {
        for (byte b : bytes) {
            if (b != (byte) 0xcc) {
                return false;
            }
        }
        return true;
    }
}
