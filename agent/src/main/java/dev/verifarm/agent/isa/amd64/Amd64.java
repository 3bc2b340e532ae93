package dev.verifarm.agent.isa.amd64;

import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.InstructionSet;
import dev.verifarm.agent.isa.Operand;
import dev.verifarm.agent.isa.PcRelativeReference;
import dev.verifarm.agent.isa.StubContext;
import dev.verifarm.agent.isa.StubWalk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * amd64: RIP-relative {@code LEA}, {@code MOV r, imm32/imm64}, loads from GOT slots, and Go's ABI0 result
 * store {@code MOVQ AX, ret+0(FP)} ({@code mov [rsp+8], rax} without a frame), walked by {@link Amd64Step}.
 */
public final class Amd64 implements InstructionSet {

    private static final String RIP = "rip";
    private static final String RSP = "rsp";
    private static final StubWalk.Registers REGISTERS = new StubWalk.Registers("rax", RSP, Optional.empty());

    @Override
    public AddressEvaluation evaluate(List<Instruction> code, StubContext context) {
        return StubWalk.walk(code, REGISTERS, context, new Amd64Step(context));
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
        return transferTarget(insn);
    }

    static OptionalLong transferTarget(Instruction insn) {
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
