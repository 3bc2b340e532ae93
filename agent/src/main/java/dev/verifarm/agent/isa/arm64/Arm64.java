package dev.verifarm.agent.isa.arm64;

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
import java.util.Set;

/**
 * arm64: {@code ADRP}+{@code ADD}, {@code ADRP}+{@code LDR} from a GOT slot, {@code MOVZ/MOVK},
 * {@code LDR} literal, and Go's ABI0 result store {@code MOVD R0, ret+0(FP)} ({@code str x0, [sp, #8]} without a
 * frame), walked by {@link Arm64Step}.
 */
public final class Arm64 implements InstructionSet {

    private static final Set<String> BRANCHES = Set.of("b", "bl", "cbz", "cbnz", "tbz", "tbnz");
    private static final Set<String> LITERAL_LOADS = Set.of("ldr", "ldrsw", "prfm");

    private static final StubWalk.Registers REGISTERS = new StubWalk.Registers("x0", "sp", Optional.of("x30"));

    @Override
    public AddressEvaluation evaluate(List<Instruction> code, StubContext context) {
        // arm64 materialises addresses only through 64-bit X registers here, so PIE changes nothing
        return StubWalk.walk(code, REGISTERS, context, new Arm64Step(context));
    }

    private static OptionalLong immediate(List<Operand> ops, int index) {
        return ops.size() > index && ops.get(index) instanceof Operand.Immediate imm
                ? OptionalLong.of(imm.shifted()) : OptionalLong.empty();
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
        return transferTarget(insn);
    }

    static OptionalLong transferTarget(Instruction insn) {
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
