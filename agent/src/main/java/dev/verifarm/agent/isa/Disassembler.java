package dev.verifarm.agent.isa;

import com.sun.jna.Pointer;
import dev.verifarm.agent.elf.Architecture;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.verifarm.agent.isa.CapstoneLibrary.*;

/**
 * Decodes amd64 and arm64 machine code with Capstone, the field's standard disassembler, and turns its
 * operand details into {@link Instruction}s. A Capstone handle is not thread safe, so decoding is serialised
 * per instance; create one per thread where throughput matters. The native handle is released by
 * {@link #close()}, or when the instance is collected if nobody closed it.
 */
public final class Disassembler implements AutoCloseable {

    private static final Cleaner HANDLES = Cleaner.create();
    /** Instructions decoded per call by {@link #findFirst}: most searches end within the first few. */
    private static final int SEARCH_BATCH = 16;
    /** Capstone 4's register ids stay below this on both architectures; a larger one is looked up uncached. */
    private static final int REGISTER_IDS = 512;

    private final Architecture architecture;
    private final long handle;
    private final Cleaner.Cleanable release;
    /** cs_reg_name by register id: a native call and a new String each time otherwise. */
    private final String[] registerNames = new String[REGISTER_IDS];
    private boolean closed;

    private Disassembler(Architecture architecture, long handle) {
        this.architecture = architecture;
        this.handle = handle;
        this.release = HANDLES.register(this, () -> cs_close(new long[] {handle}));
    }

    /** Releases the Capstone handle now; a long-running agent must not wait for the collector to do it. */
    @Override
    public synchronized void close() {
        closed = true;
        release.clean();
    }

    /** @throws DisassemblerUnavailableException when libcapstone is not installed */
    public static Disassembler forArchitecture(Architecture architecture) {
        long[] handle = new long[1];
        try {
            int status = switch (architecture) {
                case AMD64 -> cs_open(CS_ARCH_X86, CS_MODE_64, handle);
                case ARM64 -> cs_open(CS_ARCH_ARM64, CS_MODE_ARM, handle);
            };
            if (status != CS_ERR_OK || cs_option(handle[0], CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK) {
                throw new IllegalStateException("Capstone cannot decode " + architecture + ": error " + status);
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new DisassemblerUnavailableException(e);
        }
        return new Disassembler(architecture, handle[0]);
    }

    public Architecture architecture() {
        return architecture;
    }

    /**
     * Decodes up to {@code max} instructions (0: no limit) of code that starts at {@code address}; decoding stops
     * early at bytes that are not a valid instruction.
     */
    public synchronized List<Instruction> decode(byte[] code, long address, int max) {
        return disassemble(code, address, max);
    }

    /**
     * The first of up to {@code max} instructions (0: no limit) of the code at {@code address} that matches, as
     * {@link #decode} followed by a search would find it; decoding goes a few instructions at a time and stops at the
     * match, so a search that ends early does not pay for the rest of the code.
     */
    public synchronized Optional<Instruction> findFirst(byte[] code, long address, int max, Predicate<Instruction> match) {
        int window = SEARCH_BATCH * switch (architecture) {
            case AMD64 -> 15; // the longest x86 instruction
            case ARM64 -> 4;
        };
        int offset = 0;
        for (int decoded = 0; offset < code.length && (max == 0 || decoded < max); ) {
            int end = Math.min(code.length, offset + window);
            int batch = max == 0 ? SEARCH_BATCH : Math.min(SEARCH_BATCH, max - decoded);
            List<Instruction> found = disassemble(Arrays.copyOfRange(code, offset, end), address + offset, batch);
            for (Instruction i : found) {
                if (match.test(i)) {
                    return Optional.of(i);
                }
                offset += i.size();
            }
            decoded += found.size();
            if (found.isEmpty() || (found.size() < batch && end < code.length)) {
                break; // bytes that are no instruction, or the end of the code: decode stops there too
            }
        }
        return Optional.empty();
    }

    private List<Instruction> disassemble(byte[] code, long address, int max) {
        if (closed) {
            throw new IllegalStateException("this disassembler was closed");
        }
        long[] insns = new long[1];
        int count = (int) cs_disasm(handle, code, code.length, address, max, insns);
        if (count == 0) {
            return List.of();
        }
        try {
            ByteBuffer raw = new Pointer(insns[0]).getByteBuffer(0, (long) count * INSN_SIZE).order(ByteOrder.nativeOrder());
            List<Instruction> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(convert(raw, i * INSN_SIZE));
            }
            return out;
        } finally {
            cs_free(insns[0], count);
        }
    }

    private Instruction convert(ByteBuffer raw, int at) {
        byte[] bytes = new byte[raw.getShort(at + INSN_SIZE_FIELD) & 0xffff];
        raw.get(at + INSN_BYTES, bytes);
        String mnemonic = cstring(raw, at + INSN_MNEMONIC, INSN_MNEMONIC_LENGTH);
        String opStr = cstring(raw, at + INSN_OP_STR, INSN_OP_STR_LENGTH);
        ByteBuffer detail = new Pointer(raw.getLong(at + INSN_DETAIL)).getByteBuffer(0, DETAIL_READ_SIZE)
                .order(ByteOrder.nativeOrder());
        List<Operand> operands = switch (architecture) {
            case AMD64 -> amd64Operands(detail);
            case ARM64 -> Arm64OperandText.parse(opStr);
        };
        boolean arm64 = architecture == Architecture.ARM64;
        boolean call = inGroup(detail, CS_GRP_CALL) || (arm64 && (mnemonic.equals("bl") || mnemonic.equals("blr")));
        boolean ret = inGroup(detail, CS_GRP_RET) || (arm64 && mnemonic.equals("ret"));
        boolean jump = inGroup(detail, CS_GRP_JUMP) || (arm64 && isArm64Branch(mnemonic));
        return new Instruction(raw.getLong(at + INSN_ADDRESS), bytes, mnemonic, opStr, operands, call, jump && !call,
                ret);
    }

    private static String cstring(ByteBuffer raw, int at, int capacity) {
        int length = 0;
        while (length < capacity && raw.get(at + length) != 0) {
            length++;
        }
        byte[] text = new byte[length];
        raw.get(at, text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    private static boolean inGroup(ByteBuffer detail, int group) {
        int count = detail.get(DETAIL_GROUPS_COUNT);
        for (int i = 0; i < count; i++) {
            if (detail.get(DETAIL_GROUPS + i) == group) {
                return true;
            }
        }
        return false;
    }

    /** Capstone 4 leaves arm64 branches and calls ungrouped; the mnemonic is authoritative. */
    private static boolean isArm64Branch(String m) {
        return m.equals("b") || m.startsWith("b.") || m.equals("br") || m.equals("cbz") || m.equals("cbnz")
                || m.equals("tbz") || m.equals("tbnz");
    }

    private List<Operand> amd64Operands(ByteBuffer detail) {
        int count = Math.min(detail.get(DETAIL_ARCH + X86_OP_COUNT) & 0xff, X86_OPERANDS_MAX);
        List<Operand> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int op = DETAIL_ARCH + X86_OPERANDS + i * X86_OP_SIZE;
            switch (detail.getInt(op + X86_OP_TYPE)) {
                case X86_OP_TYPE_REG -> out.add(new Operand.Register(registerName(detail.getInt(op + X86_OP_REG))));
                case X86_OP_TYPE_IMM -> out.add(new Operand.Immediate(detail.getLong(op + X86_OP_IMM), 0));
                case X86_OP_TYPE_MEM -> out.add(new Operand.Memory(register(detail.getInt(op + X86_OP_MEM_BASE)),
                        register(detail.getInt(op + X86_OP_MEM_INDEX)), detail.getInt(op + X86_OP_MEM_SCALE),
                        detail.getLong(op + X86_OP_MEM_DISP)));
                default -> out.add(new Operand.Immediate(0, 0));
            }
        }
        return out;
    }

    private Optional<String> register(int reg) {
        return reg == 0 ? Optional.empty() : Optional.ofNullable(registerName(reg));
    }

    private String registerName(int reg) {
        if (reg < 0 || reg >= REGISTER_IDS) {
            return cs_reg_name(handle, reg);
        }
        String name = registerNames[reg];
        if (name == null) {
            name = cs_reg_name(handle, reg);
            registerNames[reg] = name;
        }
        return name;
    }
}
