package dev.verifarm.agent.isa.amd64;

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
    public AddressEvaluation evaluate(List<Instruction> code, LoadedMemory memory) {
        return StubState.walk(code, "rax", (insn, state) -> step(insn, state, memory));
    }

    private static void step(Instruction insn, StubState state, LoadedMemory memory) throws ElfFormatException {
        List<Operand> ops = insn.operands();
        String m = insn.mnemonic();
        if (ops.size() == 2 && ops.get(0) instanceof Operand.Memory dst && isStack(dst)) {
            OptionalLong value = valueOf(ops.get(1), state);
            if (m.equals("mov") && value.isPresent()) {
                state.store(value.getAsLong(), "[rsp+" + dst.displacement() + "]");
            }
            return;
        }
        if (ops.isEmpty() || !(ops.get(0) instanceof Operand.Register dst)
                || m.equals("cmp") || m.equals("test") || m.equals("push")) {
            return;
        }
        String reg = wide(dst.name());
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
        // a write to a 32-bit register zero-extends into the whole 64-bit one
        boolean narrow = !reg.equals(dst.name());
        state.set(reg, narrow && result.isPresent() ? OptionalLong.of(result.getAsLong() & 0xffffffffL) : result);
    }

    /** The 64-bit register a 32-bit name is the low half of ({@code eax} to {@code rax}, {@code r8d} to {@code r8}). */
    private static String wide(String register) {
        if (register.length() == 3 && register.charAt(0) == 'e') {
            return "r" + register.substring(1);
        }
        if (register.startsWith("r") && register.endsWith("d") && register.length() <= 4) {
            return register.substring(0, register.length() - 1);
        }
        return register;
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
