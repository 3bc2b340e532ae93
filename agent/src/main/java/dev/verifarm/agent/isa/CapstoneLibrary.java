package dev.verifarm.agent.isa;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The part of libcapstone.so.4's C API the disassembler calls, bound with JNA direct mapping, and the layouts
 * of the Capstone 4 structures it reads ({@code capstone.h}, {@code x86.h}; LP64). Reading {@code cs_insn} and
 * {@code cs_detail} straight from native memory costs a few loads per instruction, where a JNA
 * {@code Structure} per instruction and detail costs reflection and allocations that dwarf the decoding.
 */
final class CapstoneLibrary {

    private static final String JNA_PLATFORM_PATH = "jna.platform.library.path";

    static final int CS_ARCH_ARM64 = 1;
    static final int CS_ARCH_X86 = 3;
    static final int CS_MODE_ARM = 0;
    static final int CS_MODE_64 = 1 << 3;
    static final int CS_OPT_DETAIL = 2;
    static final int CS_OPT_ON = 3;
    static final int CS_ERR_OK = 0;

    static final int CS_GRP_JUMP = 1;
    static final int CS_GRP_CALL = 2;
    static final int CS_GRP_RET = 3;

    /** {@code cs_insn}: id, address, size, bytes[16], mnemonic[32], op_str[160], detail pointer. */
    static final int INSN_SIZE = 240;
    static final int INSN_ADDRESS = 8;
    static final int INSN_SIZE_FIELD = 16;
    static final int INSN_BYTES = 18;
    static final int INSN_MNEMONIC = 34;
    static final int INSN_MNEMONIC_LENGTH = 32;
    static final int INSN_OP_STR = 66;
    static final int INSN_OP_STR_LENGTH = 160;
    static final int INSN_DETAIL = 232;

    /** {@code cs_detail}: regs_read[12], regs_write[20] (uint16 each), groups[8], then the architecture union. */
    static final int DETAIL_GROUPS = 67;
    static final int DETAIL_GROUPS_COUNT = 75;
    static final int DETAIL_ARCH = 80;

    /** {@code cs_x86} inside the union: op_count, then up to 8 {@code cs_x86_op}s. */
    static final int X86_OP_COUNT = 64;
    static final int X86_OPERANDS = 72;
    static final int X86_OPERANDS_MAX = 8;
    /** {@code cs_x86_op}: type, then a union of reg / imm / mem {segment, base, index, scale, disp}. */
    static final int X86_OP_SIZE = 48;
    static final int X86_OP_TYPE = 0;
    static final int X86_OP_REG = 8;
    static final int X86_OP_IMM = 8;
    static final int X86_OP_MEM_BASE = 12;
    static final int X86_OP_MEM_INDEX = 16;
    static final int X86_OP_MEM_SCALE = 20;
    static final int X86_OP_MEM_DISP = 24;
    static final int X86_OP_TYPE_REG = 1;
    static final int X86_OP_TYPE_IMM = 2;
    static final int X86_OP_TYPE_MEM = 3;

    /** Enough of {@code cs_detail} for every field above, whatever the operand count. */
    static final int DETAIL_READ_SIZE = DETAIL_ARCH + X86_OPERANDS + X86_OPERANDS_MAX * X86_OP_SIZE;

    static {
        Native.register(library());
    }

    /**
     * Capstone 4 by its soname, which the dynamic loader finds in its cache, else by the bare name. JNA builds
     * its own list of library directories by running {@code ldconfig -p}, a process start in every fresh
     * {@code check}; the JVM's own native library path, where Debian's libraries live, serves instead unless
     * the user set JNA's list.
     */
    private static NativeLibrary library() {
        if (System.getProperty(JNA_PLATFORM_PATH) == null) {
            System.setProperty(JNA_PLATFORM_PATH, System.getProperty("java.library.path", ""));
        }
        try {
            return NativeLibrary.getInstance("libcapstone.so.4");
        } catch (UnsatisfiedLinkError e) {
            return NativeLibrary.getInstance("capstone");
        }
    }

    private CapstoneLibrary() {
    }

    static native int cs_open(int arch, int mode, long[] handle);

    static native int cs_option(long handle, int type, long value);

    /** Decodes up to count instructions (0: all) into a cs_insn array whose address lands in insn[0]. */
    static native long cs_disasm(long handle, byte[] code, long codeSize, long address, long count, long[] insn);

    static native void cs_free(long insn, long count);

    static native String cs_reg_name(long handle, int reg);

    static native int cs_close(long[] handle);
}
