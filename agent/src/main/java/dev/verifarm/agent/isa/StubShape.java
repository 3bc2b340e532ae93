package dev.verifarm.agent.isa;

import dev.verifarm.agent.elf.Architecture;

/**
 * A cheap look at a function's first instruction word, so discovery decodes only functions that could be
 * resolver stubs: they begin by materialising an address (amd64 RIP-relative LEA or MOV, MOV imm32/imm64;
 * arm64 ADRP, ADR, MOVZ or a literal LDR). Anything that passes is then decoded by Capstone for real.
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
        int w = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16 | (h[3] & 0xff) << 24;
        return (w & 0x1f000000) == 0x10000000 // ADR / ADRP
                || (w & 0xff800000) == 0xd2800000 // MOVZ (64-bit)
                || (w & 0xff000000) == 0x58000000; // LDR (literal, 64-bit)
    }
}
