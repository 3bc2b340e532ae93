package dev.verifarm.agent.isa;

import dev.verifarm.agent.elf.Architecture;

/**
 * A cheap look at a function's bytes, so discovery decodes only functions that could be resolver stubs: they
 * begin by materialising an address (amd64 RIP-relative LEA or MOV, MOV imm32/imm64; arm64 ADRP, ADR, MOVZ or a
 * literal LDR), or begin with a prologue the Go assembler emits for a frame (the stack-split check, a frame
 * allocation) and materialise an address somewhere after it. Anything that passes is then decoded by Capstone
 * for real.
 */
public final class StubShape {

    private StubShape() {
    }

    public static boolean mayMaterialiseAddress(Architecture architecture, byte[] head) {
        return switch (architecture) {
            case AMD64 -> amd64(head);
            case ARM64 -> arm64(head);
        };
    }

    private static boolean amd64(byte[] h) {
        return amd64MaterialisesFirst(h) || (amd64Prologue(h) && amd64MaterialisesAnywhere(h));
    }

    /**
     * The Go assembler's amd64 prologues: g from TLS for the stack-split check ({@code mov r14, fs:[-8]}, or in a
     * PIE {@code mov r14, -8}), {@code sub rsp, n}, or {@code push rbp}.
     */
    private static boolean amd64Prologue(byte[] h) {
        return startsWith(h, 0x64, 0x4c, 0x8b, 0x34, 0x25) || startsWith(h, 0x49, 0xc7, 0xc6)
                || startsWith(h, 0x48, 0x83, 0xec) || startsWith(h, 0x48, 0x81, 0xec) || startsWith(h, 0x55);
    }

    /** Whether a RIP-relative LEA or MOV with REX.W starts at any byte: a superset of where one really is. */
    private static boolean amd64MaterialisesAnywhere(byte[] h) {
        for (int i = 0; i + 3 <= h.length; i++) {
            if ((h[i] & 0xf8) == 0x48 && ((h[i + 1] & 0xff) == 0x8d || (h[i + 1] & 0xff) == 0x8b)
                    && (h[i + 2] & 0xc7) == 0x05) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] h, int... prefix) {
        if (h.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((h[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean amd64MaterialisesFirst(byte[] h) {
        if (h.length >= 5 && (h[0] & 0xf8) == 0xb8) {
            return true; // mov r32, imm32: a non-PIE address, zero-extended
        }
        if (h.length < 3 || (h[0] & 0xf0) != 0x40 || (h[0] & 0x08) == 0) {
            return false; // every 64-bit address move needs REX.W
        }
        int opcode = h[1] & 0xff;
        int modrm = h[2] & 0xff;
        boolean ripRelative = (modrm & 0xc7) == 0x05;
        return ((opcode == 0x8d || opcode == 0x8b) && ripRelative) || opcode == 0xc7 || (opcode >= 0xb8 && opcode <= 0xbf);
    }

    private static boolean arm64(byte[] h) {
        if (h.length < 4) {
            return false;
        }
        if (arm64Materialises(word(h, 0))) {
            return true;
        }
        if (!arm64Prologue(word(h, 0))) {
            return false;
        }
        for (int i = 4; i + 4 <= h.length; i += 4) {
            if (arm64Materialises(word(h, i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The Go assembler's arm64 prologues: {@code ldr x16, [x28, #16]} (g's stack guard), {@code str x30, [sp,
     * #-n]!}, {@code stp x29, x30, [sp, #-n]!}, {@code sub sp, sp, #n}.
     */
    private static boolean arm64Prologue(int w) {
        return w == 0xf9400b90 || (w & 0xffe00fff) == 0xf8000ffe || (w & 0xffc07fff) == 0xa9807bfd
                || (w & 0xff0003ff) == 0xd10003ff;
    }

    private static int word(byte[] h, int at) {
        return (h[at] & 0xff) | (h[at + 1] & 0xff) << 8 | (h[at + 2] & 0xff) << 16 | (h[at + 3] & 0xff) << 24;
    }

    private static boolean arm64Materialises(int w) {
        return (w & 0x1f000000) == 0x10000000 // ADR / ADRP
                || (w & 0xff800000) == 0xd2800000 // MOVZ (64-bit)
                || (w & 0xff000000) == 0x58000000; // LDR (literal, 64-bit)
    }
}
