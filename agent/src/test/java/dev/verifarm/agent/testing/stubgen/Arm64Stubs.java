package dev.verifarm.agent.testing.stubgen;

import dev.verifarm.agent.testing.stubgen.GeneratedStub.Next;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * arm64 stubs shaped as the Go assembler writes them (frameless, or {@code str x30, [sp, #-n]!} frames with x29
 * below them, or {@code stp x29, x30} pairs; with or without the stack-split check and its morestack block), then
 * mutated by inserting random moves, SP arithmetic, loads and stores (with writeback, through other registers,
 * store-release), data processing and branches. Registers are x0..x30, 31 meaning sp where an instruction allows.
 */
public final class Arm64Stubs {

    private static final int SP = 31;
    private static final int LR = 30;
    private static final int FP = 29;

    private Arm64Stubs() {
    }

    enum Kind { SUB_SP, ADD_SP, STR_SP, STRW_SP, LDR_SP, STR_PRE, LDR_POST, STP_PRE, LDP_POST, ADR, MOV, ADD_IMM, EOR,
        STR_THROUGH, LDR_THROUGH, STLR, NOP, BNE, RET, RET_REG, SPLIT_LDR, SPLIT_CMP, SPLIT_BLS, SAVE_LR, BL_MORESTACK,
        B_ENTRY }

    /** One instruction; a, b registers (31: sp or xzr as the encoding says), imm an offset or absolute target. */
    record Insn(Kind kind, int a, int b, long imm) implements GeneratedStub.Op {

        @Override
        public int size() {
            return 4;
        }

        @Override
        public byte[] encode(long pc, GeneratedStub stub) {
            int w = switch (kind) {
                case SUB_SP -> 0xd1000000 | (int) imm << 10 | SP << 5 | SP;
                case ADD_SP -> 0x91000000 | (int) imm << 10 | SP << 5 | SP;
                case STR_SP -> 0xf9000000 | (int) (imm / 8) << 10 | SP << 5 | a;
                case STRW_SP -> 0xb9000000 | (int) (imm / 4) << 10 | SP << 5 | a;
                case LDR_SP -> 0xf9400000 | (int) (imm / 8) << 10 | SP << 5 | a;
                case STR_PRE -> 0xf8000c00 | ((int) imm & 0x1ff) << 12 | SP << 5 | a;
                case LDR_POST -> 0xf8400400 | ((int) imm & 0x1ff) << 12 | SP << 5 | a;
                case STP_PRE -> 0xa9800000 | ((int) (imm / 8) & 0x7f) << 15 | b << 10 | SP << 5 | a;
                case LDP_POST -> 0xa8c00000 | ((int) (imm / 8) & 0x7f) << 15 | b << 10 | SP << 5 | a;
                case ADR -> {
                    int off = (int) (imm - pc);
                    yield 0x10000000 | (off & 3) << 29 | ((off >> 2) & 0x7ffff) << 5 | a;
                }
                case MOV -> a == SP || b == SP ? 0x91000000 | b << 5 | a : 0xaa0003e0 | b << 16 | a;
                case ADD_IMM -> 0x91000000 | (int) imm << 10 | b << 5 | a;
                case EOR -> 0xca000000 | b << 16 | b << 5 | a;
                case STR_THROUGH -> 0xf9000000 | (int) (imm / 8) << 10 | b << 5 | a;
                case LDR_THROUGH -> 0xf9400000 | (int) (imm / 8) << 10 | b << 5 | a;
                case STLR -> 0xc89ffc00 | b << 5 | a;
                case NOP -> 0xd503201f;
                case BNE -> 0x54000001 | ((int) ((stub.address((int) imm) - pc) >> 2) & 0x7ffff) << 5;
                case RET -> 0xd65f03c0;
                case RET_REG -> 0xd65f0000 | a << 5;
                case SPLIT_LDR -> 0xf9400b90; // ldr x16, [x28, #16]
                case SPLIT_CMP -> 0xeb3063ff; // cmp sp, x16
                case SPLIT_BLS -> 0x54000009 | ((int) ((stub.address((int) imm) - pc) >> 2) & 0x7ffff) << 5;
                case SAVE_LR -> 0xaa1e03e3; // mov x3, x30
                case BL_MORESTACK -> 0x94000000 | (int) ((Layout.MORESTACK - pc) >> 2) & 0x3ffffff;
                case B_ENTRY -> 0x14000000 | (int) ((Layout.CODE - pc) >> 2) & 0x3ffffff;
            };
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(w).array();
        }

        @Override
        public Next run(World w, GeneratedStub stub, boolean takeBranches) {
            switch (kind) {
                case SUB_SP -> w.sp -= imm;
                case ADD_SP -> w.sp += imm;
                case STR_SP -> w.store(w.sp + imm, get(w, a, false));
                case STRW_SP -> w.store(w.sp + imm, get(w, a, false), 4);
                case LDR_SP -> set(w, a, w.load(w.sp + imm), false);
                case STR_PRE -> {
                    w.sp += imm;
                    w.store(w.sp, get(w, a, false));
                }
                case LDR_POST -> {
                    set(w, a, w.load(w.sp), false);
                    w.sp += imm;
                }
                case STP_PRE -> {
                    w.sp += imm;
                    w.store(w.sp, get(w, a, false));
                    w.store(w.sp + 8, get(w, b, false));
                }
                case LDP_POST -> {
                    long first = w.load(w.sp);
                    long second = w.load(w.sp + 8);
                    set(w, a, first, false);
                    set(w, b, second, false);
                    w.sp += imm;
                }
                case ADR -> set(w, a, imm, false);
                case MOV -> set(w, a, get(w, b, a == SP || b == SP), a == SP || b == SP);
                case ADD_IMM -> set(w, a, get(w, b, true) + imm, true);
                case EOR -> set(w, a, 0, false);
                case STR_THROUGH, STLR -> w.store(get(w, b, true) + (kind == Kind.STLR ? 0 : imm), get(w, a, false));
                case LDR_THROUGH -> set(w, a, w.load(get(w, b, true) + imm), false);
                case NOP, SPLIT_CMP, SAVE_LR -> {
                }
                case SPLIT_LDR -> w.registers[16] = w.load(w.registers[28] + 16);
                case RET -> {
                    return new Next.Return(w.registers[LR]);
                }
                case RET_REG -> {
                    return new Next.Return(get(w, a, false));
                }
                case BNE -> {
                    return takeBranches ? new Next.Jump((int) imm) : new Next.Fall();
                }
                case SPLIT_BLS -> {
                    // taken, morestack grows the stack and restarts the stub, which then falls through: the same
                    return new Next.Fall();
                }
                case BL_MORESTACK, B_ENTRY -> {
                    return new Next.Stop();
                }
            }
            return new Next.Fall();
        }

        /** Register 31 reads sp where the encoding means sp, else the zero register. */
        private static long get(World w, int reg, boolean spMeant) {
            return reg == SP ? (spMeant ? w.sp : 0) : w.registers[reg];
        }

        private static void set(World w, int reg, long value, boolean spMeant) {
            if (reg == SP) {
                if (spMeant) {
                    w.sp = value;
                }
            } else {
                w.registers[reg] = value;
            }
        }
    }

    /** A world for arm64: x0..x30 (x30 the return address) and sp. */
    public static World world(long seed) {
        World w = new World(seed, 31);
        w.registers[LR] = Layout.RETURN_ADDRESS;
        return w;
    }

    /** A stub of a shape the choices pick, mutated as they say. */
    public static GeneratedStub generate(Choices c) {
        List<Insn> ops = new ArrayList<>();
        boolean split = c.chance();
        if (split) {
            ops.add(new Insn(Kind.SPLIT_LDR, 0, 0, 0));
            ops.add(new Insn(Kind.SPLIT_CMP, 0, 0, 0));
            ops.add(new Insn(Kind.SPLIT_BLS, 0, 0, -1));
        }
        long frame = 16L * c.between(1, 15);
        int shape = c.below(3);
        long result = 8;
        if (shape == 1) {
            ops.add(new Insn(Kind.STR_PRE, LR, 0, -frame));
            ops.add(new Insn(Kind.STR_SP, FP, 0, 8)); // x29 saved inside the frame, where Go saves it below
            result = frame + 8;
        } else if (shape == 2) {
            ops.add(new Insn(Kind.STP_PRE, FP, LR, -frame));
            ops.add(new Insn(Kind.MOV, FP, SP, 0));
            result = frame + 8;
        }
        ops.add(new Insn(Kind.ADR, 0, 0, c.chance() ? Layout.BODY : Layout.OTHER));
        if (shape != 0 && c.chance()) {
            long local = 8L * c.between(1, (int) (frame / 8) - 1);
            ops.add(new Insn(Kind.STR_SP, 0, 0, local));
            ops.add(new Insn(Kind.LDR_SP, 1, 0, local));
            ops.add(new Insn(Kind.STR_SP, 1, 0, result));
        } else {
            ops.add(new Insn(Kind.STR_SP, 0, 0, result));
        }
        if (shape == 1) {
            ops.add(new Insn(Kind.LDR_POST, LR, 0, frame));
        } else if (shape == 2) {
            ops.add(new Insn(Kind.LDP_POST, FP, LR, frame));
        }
        for (int n = c.below(6); n > 0; n--) {
            ops.add(c.below(ops.size() + 1), random(c, ops.size()));
        }
        ops.add(c.below(8) == 0 ? new Insn(Kind.RET_REG, c.chance() ? LR : c.below(30), 0, 0) : new Insn(Kind.RET, 0, 0, 0));
        if (split) {
            int block = ops.size();
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i).kind() == Kind.SPLIT_BLS) {
                    ops.set(i, new Insn(Kind.SPLIT_BLS, 0, 0, block));
                }
            }
            ops.add(new Insn(Kind.SAVE_LR, 0, 0, 0));
            ops.add(new Insn(Kind.BL_MORESTACK, 0, 0, 0));
            ops.add(new Insn(Kind.B_ENTRY, 0, 0, 0));
        }
        return new GeneratedStub(new ArrayList<>(ops), 0, ops.toString());
    }

    private static Insn random(Choices c, int count) {
        int a = c.below(32);
        int b = c.below(32);
        long offset = 8L * c.below(48);
        Kind kind = Kind.values()[c.below(Kind.RET.ordinal())];
        return switch (kind) {
            case SUB_SP, ADD_SP -> new Insn(kind, 0, 0, 16L * c.below(8));
            case STR_PRE, LDR_POST, STP_PRE, LDP_POST -> new Insn(kind, a == SP ? 0 : a, b == SP ? 1 : b,
                    8L * c.between(-8, 7));
            case ADR -> new Insn(kind, a == SP ? 0 : a, 0, c.chance() ? Layout.BODY : Layout.OTHER + 4L * c.below(4));
            case ADD_IMM -> new Insn(kind, a, b, c.below(64));
            case EOR, STR_SP, LDR_SP, STR_THROUGH, LDR_THROUGH, STLR -> new Insn(kind, a == SP ? 0 : a, b, offset);
            case STRW_SP -> new Insn(kind, a == SP ? 0 : a, b, offset + 4L * c.below(2));
            case BNE -> new Insn(kind, 0, 0, c.below(count + 1));
            default -> new Insn(kind, a, b, offset);
        };
    }
}
