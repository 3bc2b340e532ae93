package dev.verifarm.agent.testing.stubgen;

import dev.verifarm.agent.testing.stubgen.GeneratedStub.Next;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * amd64 stubs shaped as the Go assembler writes them (frameless; Go 1.19's {@code sub rsp} frames; Go 1.21+'s
 * {@code push rbp} frames; with or without the stack-split check and its morestack block), then mutated by
 * inserting random moves, stack arithmetic, pushes, pops, stores through other registers, exchanges and branches.
 * Registers are rax..rdi (0-7) and r14 (the split check's g).
 */
public final class Amd64Stubs {

    private static final int RAX = 0;
    private static final int RSP = 4;
    private static final int RBP = 5;
    private static final int R14 = 14;

    private Amd64Stubs() {
    }

    enum Kind { SUB_RSP, ADD_RSP, PUSH, POP, MOV, STORE_RSP, STORE32_RSP, LOAD_RSP, LEA_RIP, LEA_RSP, XOR, ADD_IMM, STORE_THROUGH,
        LOAD_THROUGH, XCHG, NOP, JNE, RET, G_FROM_TLS, SPLIT_CMP, SPLIT_JBE, CALL_MORESTACK, JMP_ENTRY }

    /** One instruction; a and b are registers, imm a displacement, immediate or (LEA_RIP) an absolute target. */
    record Insn(Kind kind, int a, int b, long imm) implements GeneratedStub.Op {

        @Override
        public int size() {
            return switch (kind) {
                case PUSH, POP, NOP, RET -> 1;
                case MOV, XOR, XCHG -> 3;
                case ADD_IMM, LOAD_THROUGH, STORE_THROUGH, SPLIT_CMP -> 4;
                case CALL_MORESTACK, JMP_ENTRY -> 5;
                case JNE, SPLIT_JBE -> 6;
                case SUB_RSP, ADD_RSP, LEA_RIP, STORE32_RSP -> 7;
                case STORE_RSP, LOAD_RSP, LEA_RSP, G_FROM_TLS -> 8 + (kind == Kind.G_FROM_TLS ? 1 : 0);
            };
        }

        @Override
        public byte[] encode(long pc, GeneratedStub stub) {
            ByteBuffer out = ByteBuffer.allocate(size()).order(ByteOrder.LITTLE_ENDIAN);
            long next = pc + size();
            switch (kind) {
                case SUB_RSP -> out.put(new byte[] {0x48, (byte) 0x81, (byte) 0xec}).putInt((int) imm);
                case ADD_RSP -> out.put(new byte[] {0x48, (byte) 0x81, (byte) 0xc4}).putInt((int) imm);
                case PUSH -> out.put((byte) (0x50 + a));
                case POP -> out.put((byte) (0x58 + a));
                case MOV -> out.put(new byte[] {0x48, (byte) 0x89, (byte) (0xc0 | b << 3 | a)});
                case STORE_RSP -> out.put(new byte[] {0x48, (byte) 0x89, (byte) (0x84 | b << 3), 0x24}).putInt((int) imm);
                case STORE32_RSP -> out.put(new byte[] {(byte) 0x89, (byte) (0x84 | b << 3), 0x24}).putInt((int) imm);
                case LOAD_RSP -> out.put(new byte[] {0x48, (byte) 0x8b, (byte) (0x84 | a << 3), 0x24}).putInt((int) imm);
                case LEA_RSP -> out.put(new byte[] {0x48, (byte) 0x8d, (byte) (0x84 | a << 3), 0x24}).putInt((int) imm);
                case LEA_RIP -> out.put(new byte[] {0x48, (byte) 0x8d, (byte) (0x05 | a << 3)}).putInt((int) (imm - next));
                case XOR -> out.put(new byte[] {0x48, 0x31, (byte) (0xc0 | b << 3 | a)});
                case ADD_IMM -> out.put(new byte[] {0x48, (byte) 0x83, (byte) (0xc0 | a), (byte) imm});
                case STORE_THROUGH -> out.put(new byte[] {0x48, (byte) 0x89, (byte) (0x40 | b << 3 | a), (byte) imm});
                case LOAD_THROUGH -> out.put(new byte[] {0x48, (byte) 0x8b, (byte) (0x40 | a << 3 | b), (byte) imm});
                case XCHG -> out.put(new byte[] {0x48, (byte) 0x87, (byte) (0xc0 | b << 3 | a)});
                case NOP -> out.put((byte) 0x90);
                case RET -> out.put((byte) 0xc3);
                case JNE -> out.put(new byte[] {0x0f, (byte) 0x85}).putInt((int) (stub.address((int) imm) - next));
                case SPLIT_JBE -> out.put(new byte[] {0x0f, (byte) 0x86}).putInt((int) (stub.address((int) imm) - next));
                case G_FROM_TLS -> out.put(new byte[] {0x64, 0x4c, (byte) 0x8b, 0x34, 0x25, (byte) 0xf8, -1, -1, -1});
                case SPLIT_CMP -> out.put(new byte[] {0x49, 0x3b, 0x66, 0x10});
                case CALL_MORESTACK -> out.put((byte) 0xe8).putInt((int) (Layout.MORESTACK - next));
                case JMP_ENTRY -> out.put((byte) 0xe9).putInt((int) (Layout.CODE - next));
            }
            return out.array();
        }

        @Override
        public Next run(World w, GeneratedStub stub, boolean takeBranches) {
            long[] r = w.registers;
            switch (kind) {
                case SUB_RSP -> w.sp -= imm;
                case ADD_RSP -> w.sp += imm;
                case PUSH -> {
                    long v = get(w, a);
                    w.sp -= 8;
                    w.store(w.sp, v);
                }
                case POP -> {
                    long v = w.load(w.sp);
                    w.sp += 8;
                    set(w, a, v);
                }
                case MOV -> set(w, a, get(w, b));
                case STORE_RSP -> w.store(w.sp + imm, get(w, b));
                case STORE32_RSP -> w.store(w.sp + imm, get(w, b), 4);
                case LOAD_RSP -> set(w, a, w.load(w.sp + imm));
                case LEA_RSP -> set(w, a, w.sp + imm);
                case LEA_RIP -> set(w, a, imm);
                case XOR -> set(w, a, get(w, a) ^ get(w, b));
                case ADD_IMM -> set(w, a, get(w, a) + (byte) imm);
                case STORE_THROUGH -> w.store(get(w, a) + (byte) imm, get(w, b));
                case LOAD_THROUGH -> set(w, a, w.load(get(w, b) + (byte) imm));
                case XCHG -> {
                    long t = get(w, a);
                    set(w, a, get(w, b));
                    set(w, b, t);
                }
                case NOP, SPLIT_CMP -> {
                }
                case G_FROM_TLS -> r[R14] = w.load(0x7f00_0000_0000L);
                case RET -> {
                    long target = w.load(w.sp);
                    w.sp += 8;
                    return new Next.Return(target);
                }
                case JNE -> {
                    return takeBranches ? new Next.Jump((int) imm) : new Next.Fall();
                }
                case SPLIT_JBE -> {
                    // taken, morestack grows the stack and restarts the stub, which then falls through: the same
                    return new Next.Fall();
                }
                case CALL_MORESTACK, JMP_ENTRY -> {
                    return new Next.Stop();
                }
            }
            return new Next.Fall();
        }

        private static long get(World w, int reg) {
            return reg == RSP ? w.sp : w.registers[reg];
        }

        private static void set(World w, int reg, long value) {
            if (reg == RSP) {
                w.sp = value;
            } else {
                w.registers[reg] = value;
            }
        }
    }

    /** A world for amd64: 16 registers, the return address at the entry stack pointer. */
    public static World world(long seed) {
        World w = new World(seed, 16);
        w.store(w.entrySp, Layout.RETURN_ADDRESS);
        return w;
    }

    /** A stub of a shape the choices pick, mutated as they say. */
    public static GeneratedStub generate(Choices c) {
        List<Insn> ops = new ArrayList<>();
        boolean split = c.chance();
        if (split) {
            ops.add(new Insn(Kind.G_FROM_TLS, 0, 0, 0));
            ops.add(new Insn(Kind.SPLIT_CMP, 0, 0, 0));
            ops.add(new Insn(Kind.SPLIT_JBE, 0, 0, -1)); // target patched to the growth block below
        }
        long frame = 8L * c.below(40);
        int shape = c.below(3);
        long result = 8;
        if (shape == 1) {
            ops.add(new Insn(Kind.SUB_RSP, 0, 0, frame + 8));
            ops.add(new Insn(Kind.STORE_RSP, 0, RBP, frame));
            ops.add(new Insn(Kind.LEA_RSP, RBP, 0, frame));
            result = frame + 16;
        } else if (shape == 2) {
            ops.add(new Insn(Kind.PUSH, RBP, 0, 0));
            ops.add(new Insn(Kind.MOV, RBP, RSP, 0));
            ops.add(new Insn(Kind.SUB_RSP, 0, 0, frame));
            result = frame + 16;
        }
        ops.add(new Insn(Kind.LEA_RIP, RAX, 0, c.chance() ? Layout.BODY : Layout.OTHER));
        if (shape != 0 && frame > 0 && c.chance()) {
            long local = 8L * c.below((int) (frame / 8));
            ops.add(new Insn(Kind.STORE_RSP, 0, RAX, local));
            ops.add(new Insn(Kind.LOAD_RSP, 3, 0, local));
            ops.add(new Insn(Kind.STORE_RSP, 0, 3, result));
        } else {
            ops.add(new Insn(Kind.STORE_RSP, 0, RAX, result));
        }
        if (shape == 1) {
            ops.add(new Insn(Kind.LOAD_RSP, RBP, 0, frame));
            ops.add(new Insn(Kind.ADD_RSP, 0, 0, frame + 8));
        } else if (shape == 2) {
            ops.add(new Insn(Kind.ADD_RSP, 0, 0, frame));
            ops.add(new Insn(Kind.POP, RBP, 0, 0));
        }
        for (int n = c.below(6); n > 0; n--) {
            ops.add(c.below(ops.size() + 1), random(c, ops.size()));
        }
        ops.add(new Insn(Kind.RET, 0, 0, 0));
        if (split) {
            int block = ops.size();
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i).kind() == Kind.SPLIT_JBE) {
                    ops.set(i, new Insn(Kind.SPLIT_JBE, 0, 0, block));
                }
            }
            ops.add(new Insn(Kind.CALL_MORESTACK, 0, 0, 0));
            ops.add(new Insn(Kind.JMP_ENTRY, 0, 0, 0));
        }
        return new GeneratedStub(new ArrayList<>(ops), RAX, ops.toString());
    }

    private static Insn random(Choices c, int count) {
        int a = c.below(8);
        int b = c.below(8);
        long disp = 8L * c.between(-8, 40) + (c.below(8) == 0 ? c.below(8) : 0);
        Kind kind = Kind.values()[c.below(Kind.RET.ordinal())];
        return switch (kind) {
            case SUB_RSP, ADD_RSP -> new Insn(kind, 0, 0, 8L * c.below(8));
            case POP -> new Insn(kind, a == RSP ? RAX : a, 0, 0);
            case LEA_RIP -> new Insn(kind, a, 0, c.chance() ? Layout.BODY : Layout.OTHER + 8L * c.below(4));
            case ADD_IMM -> new Insn(kind, a, 0, c.between(-16, 16));
            case STORE_THROUGH, LOAD_THROUGH -> new Insn(kind, a == RSP ? RBP : a, b == RSP ? RBP : b, disp);
            case JNE -> new Insn(kind, 0, 0, c.below(count + 1));
            default -> new Insn(kind, a, b, disp);
        };
    }
}
