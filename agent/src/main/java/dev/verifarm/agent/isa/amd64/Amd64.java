package dev.verifarm.agent.isa.amd64;

import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.AddressEvaluation;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.InstructionSet;
import dev.verifarm.agent.isa.LoadedMemory;
import dev.verifarm.agent.isa.Operand;
import dev.verifarm.agent.isa.PcRelativeReference;
import dev.verifarm.agent.isa.RegisterFile;
import dev.verifarm.agent.isa.ResultConvention;

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
    /** ret+0(FP) of a frameless {@code func() uintptr}: the return address sits at 0(SP). */
    private static final long RESULT_SLOT = 8;

    @Override
    public AddressEvaluation evaluate(List<Instruction> code, LoadedMemory memory, ResultConvention convention) {
        RegisterFile registers = new RegisterFile();
        List<Long> gotSlots = new ArrayList<>();
        OptionalLong stored = OptionalLong.empty();
        String storedTo = "";
        for (Instruction insn : code) {
            if (insn.ret()) {
                if (stored.isPresent()) {
                    return new AddressEvaluation(stored, "stored to " + storedTo + ", then returned", gotSlots);
                }
                OptionalLong rax = registers.get("rax");
                if (convention == ResultConvention.STACK) {
                    return AddressEvaluation.unresolved("an assembly (ABI0) stub hands its result back in ret+0(FP) = [rsp+"
                            + RESULT_SLOT + "], and this one returns without storing it there");
                }
                return rax.isPresent()
                        ? new AddressEvaluation(rax, "returned in rax", gotSlots)
                        : AddressEvaluation.unresolved("returns without having stored or returned a known address");
            }
            if (insn.call() || insn.jump()) {
                return AddressEvaluation.unresolved("control flow (" + insn.text() + ") before the stub returned");
            }
            List<Operand> ops = insn.operands();
            String m = insn.mnemonic();
            try {
                if (ops.size() == 2 && ops.get(0) instanceof Operand.Memory dst && isStack(dst)) {
                    OptionalLong value = valueOf(ops.get(1), registers);
                    if (m.equals("mov") && value.isPresent() && dst.displacement() != RESULT_SLOT) {
                        return AddressEvaluation.unresolved("stores 0x" + Long.toHexString(value.getAsLong())
                                + " to [rsp+" + dst.displacement() + "], not to the result slot ret+0(FP) = [rsp+"
                                + RESULT_SLOT + "] of a frameless addrOf() uintptr stub");
                    }
                    if (dst.displacement() == RESULT_SLOT) {
                        stored = m.equals("mov") ? value : OptionalLong.empty();
                        storedTo = "[rsp+" + dst.displacement() + "]";
                    }
                    continue;
                }
                if (ops.isEmpty() || !(ops.get(0) instanceof Operand.Register dst)) {
                    continue;
                }
                String reg = dst.name();
                OptionalLong result = OptionalLong.empty();
                if (m.equals("lea") && ops.get(1) instanceof Operand.Memory mem) {
                    result = effectiveAddress(insn, mem, registers);
                } else if ((m.equals("mov") || m.equals("movabs")) && ops.size() == 2) {
                    if (ops.get(1) instanceof Operand.Memory mem) {
                        OptionalLong slot = effectiveAddress(insn, mem, registers);
                        if (slot.isPresent()) {
                            gotSlots.add(slot.getAsLong());
                            result = OptionalLong.of(memory.word(slot.getAsLong()));
                        }
                    } else {
                        result = valueOf(ops.get(1), registers);
                    }
                } else if (m.equals("add") && ops.size() == 2) {
                    OptionalLong a = registers.get(reg);
                    OptionalLong b = valueOf(ops.get(1), registers);
                    if (a.isPresent() && b.isPresent()) {
                        result = OptionalLong.of(a.getAsLong() + b.getAsLong());
                    }
                } else if (m.equals("cmp") || m.equals("test") || m.equals("push")) {
                    continue;
                }
                // only whole 64-bit registers are tracked; a narrower write leaves one unknown, even a 32-bit one
                // that zero-extends: an address truncated to 32 bits is right only below 4 GiB, never in a PIE
                String full = fullRegister(reg);
                if (result.isPresent() && reg.equals(full)) {
                    registers.set(full, result.getAsLong());
                } else {
                    registers.forget(full);
                }
            } catch (ElfFormatException e) {
                return AddressEvaluation.unresolved("could not read the loaded word at " + insn.text() + ": " + e.getMessage());
            }
        }
        return AddressEvaluation.unresolved("no return within the decoded code");
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

    private static boolean isStack(Operand.Memory mem) {
        return mem.base().filter(RSP::equals).isPresent() && mem.index().isEmpty();
    }

    private static OptionalLong valueOf(Operand op, RegisterFile registers) {
        if (op instanceof Operand.Immediate imm) {
            return OptionalLong.of(imm.value());
        }
        if (op instanceof Operand.Register r) {
            return registers.get(r.name());
        }
        return OptionalLong.empty();
    }

    private static OptionalLong effectiveAddress(Instruction insn, Operand.Memory mem, RegisterFile registers) {
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
        OptionalLong b = registers.get(base.get());
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
