package dev.verifarm.agent.isa;

import capstone.Capstone;
import capstone.X86;
import dev.verifarm.agent.elf.Architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes amd64 and arm64 machine code with Capstone, the field's standard disassembler, and turns its
 * operand details into {@link Instruction}s. A Capstone handle is not thread safe, so decoding is serialised
 * per instance; create one per thread where throughput matters.
 */
public final class Disassembler {

    private final Architecture architecture;
    private final Capstone capstone;

    private Disassembler(Architecture architecture, Capstone capstone) {
        this.architecture = architecture;
        this.capstone = capstone;
    }

    /** @throws DisassemblerUnavailableException when libcapstone is not installed */
    public static Disassembler forArchitecture(Architecture architecture) {
        try {
            Capstone cs = switch (architecture) {
                case AMD64 -> new Capstone(Capstone.CS_ARCH_X86, Capstone.CS_MODE_64);
                case ARM64 -> new Capstone(Capstone.CS_ARCH_ARM64, Capstone.CS_MODE_ARM);
            };
            cs.setDetail(Capstone.CS_OPT_ON);
            return new Disassembler(architecture, cs);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new DisassemblerUnavailableException(e);
        }
    }

    public Architecture architecture() {
        return architecture;
    }

    /**
     * Decodes up to {@code max} instructions of code that starts at {@code address}; decoding stops early at
     * bytes that are not a valid instruction.
     */
    public synchronized List<Instruction> decode(byte[] code, long address, int max) {
        Capstone.CsInsn[] raw = capstone.disasm(code, address, max);
        List<Instruction> out = new ArrayList<>(raw.length);
        for (Capstone.CsInsn insn : raw) {
            out.add(convert(insn));
        }
        return out;
    }

    private Instruction convert(Capstone.CsInsn insn) {
        List<Operand> operands = switch (architecture) {
            case AMD64 -> amd64Operands(insn);
            case ARM64 -> Arm64OperandText.parse(insn.opStr);
        };
        boolean arm64 = architecture == Architecture.ARM64;
        boolean call = insn.group(Capstone.CS_GRP_CALL) || (arm64 && (insn.mnemonic.equals("bl") || insn.mnemonic.equals("blr")));
        boolean ret = insn.group(Capstone.CS_GRP_RET) || (arm64 && insn.mnemonic.equals("ret"));
        boolean jump = insn.group(Capstone.CS_GRP_JUMP) || (arm64 && isArm64Branch(insn));
        return new Instruction(insn.address, insn.bytes, insn.mnemonic, insn.opStr, operands, call, jump && !call,
                ret);
    }

    /** Capstone 4 leaves arm64 branches and calls ungrouped; the mnemonic is authoritative. */
    private static boolean isArm64Branch(Capstone.CsInsn insn) {
        String m = insn.mnemonic;
        return m.equals("b") || m.startsWith("b.") || m.equals("br") || m.equals("cbz") || m.equals("cbnz")
                || m.equals("tbz") || m.equals("tbnz");
    }

    private static List<Operand> amd64Operands(Capstone.CsInsn insn) {
        X86.OpInfo info = (X86.OpInfo) insn.operands;
        List<Operand> out = new ArrayList<>();
        if (info == null || info.op == null) {
            return out;
        }
        for (X86.Operand op : info.op) {
            switch (op.type) {
                case Capstone.CS_OP_REG -> out.add(new Operand.Register(insn.regName(op.value.reg)));
                case Capstone.CS_OP_IMM -> out.add(new Operand.Immediate(op.value.imm, 0));
                case Capstone.CS_OP_MEM -> out.add(new Operand.Memory(register(insn, op.value.mem.base),
                        register(insn, op.value.mem.index), op.value.mem.scale, op.value.mem.disp));
                default -> out.add(new Operand.Immediate(0, 0));
            }
        }
        return out;
    }

    private static Optional<String> register(Capstone.CsInsn insn, int reg) {
        return reg == 0 ? Optional.empty() : Optional.ofNullable(insn.regName(reg));
    }
}
