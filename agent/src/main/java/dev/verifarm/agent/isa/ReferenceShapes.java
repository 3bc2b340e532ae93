package dev.verifarm.agent.isa;

import dev.verifarm.agent.elf.Architecture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A linear pass over machine code for the few shapes that materialise or load a data address PC-relatively,
 * keeping only those whose target is in a given set: amd64 RIP-relative operands ({@code LEA}, {@code MOV}),
 * arm64 {@code ADRP} followed by {@code ADD} or a load/store, {@code ADR} and 64-bit literal loads. It decodes
 * nothing; every candidate is a guess for Capstone to confirm, since on amd64 a byte pattern inside another
 * instruction can look like a RIP-relative operand.
 */
public final class ReferenceShapes {

    private ReferenceShapes() {
    }

    /**
     * A guessed reference.
     *
     * @param address amd64: the address of the ModRM byte (the instruction starts up to 4 bytes before); arm64:
     *                the referencing instruction (the ADRP of a pair)
     * @param target  the address it would refer to
     */
    public record Candidate(long address, long target) {
    }

    /**
     * Candidates in {@code code} (its remaining bytes, read in place whatever its byte order), loaded at
     * {@code address}, whose target is in {@code targets}.
     */
    public static List<Candidate> find(Architecture architecture, ByteBuffer code, long address, AddressSet targets) {
        List<Candidate> out = new ArrayList<>();
        code = code.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (targets.isEmpty()) {
            return out;
        }
        switch (architecture) {
            case AMD64 -> amd64(code, address, targets, out);
            case ARM64 -> arm64(code, address, targets, targets.pages(), out);
        }
        return out;
    }

    /**
     * ModRM {@code mod=00 rm=101} is RIP + disp32 in 64-bit mode; for a LEA or MOV the instruction ends right after
     * the displacement, which is where RIP points.
     */
    private static void amd64(ByteBuffer code, long address, AddressSet targets, List<Candidate> out) {
        for (int i = 1, n = code.limit(); i + 4 < n; i++) {
            if ((code.get(i) & 0xc7) == 0x05) {
                long target = address + i + 5 + code.getInt(i + 1);
                if (targets.contains(target)) {
                    out.add(new Candidate(address + i, target));
                }
            }
        }
    }

    private static void arm64(ByteBuffer code, long address, AddressSet targets, AddressSet pages,
                              List<Candidate> out) {
        int start = (int) (-address & 3); // instructions are 4-byte aligned in memory
        for (int i = start, n = code.limit(); i + 3 < n; i += 4) {
            int w = code.getInt(i);
            long pc = address + i;
            long target;
            if ((w & 0x9f000000) == 0x90000000) { // ADRP
                long page = (pc & ~0xfffL) + (adrImmediate(w) << 12);
                if (!pages.contains(page) || i + 7 >= n) {
                    continue;
                }
                long low = pageOffset(code.getInt(i + 4), w & 0x1f);
                if (low < 0) {
                    continue;
                }
                target = page + low;
            } else if ((w & 0x9f000000) == 0x10000000) { // ADR
                target = pc + adrImmediate(w);
            } else if ((w & 0xff000000) == 0x58000000) { // LDR Xt, literal
                target = pc + ((long) (w << 8 >> 13) << 2);
            } else {
                continue;
            }
            if (targets.contains(target)) {
                out.add(new Candidate(pc, target));
            }
        }
    }

    /** ADR/ADRP's signed 21-bit immediate, immhi:immlo. */
    private static long adrImmediate(int w) {
        long imm = ((long) (w >>> 5 & 0x7ffff) << 2) | (w >>> 29 & 3);
        return imm << 43 >> 43;
    }

    /**
     * The low 12 bits an ADRP's partner adds from the same register: {@code ADD Xd, Xn, #imm} or a load/store with
     * an unsigned scaled offset; -1 when the next instruction is neither.
     */
    private static long pageOffset(int next, int register) {
        if ((next >>> 5 & 0x1f) != register) {
            return -1;
        }
        if ((next & 0xff800000) == 0x91000000) { // ADD (immediate), 64-bit, LSL #0 or #12
            long imm = next >>> 10 & 0xfff;
            return (next & 0x00400000) == 0 ? imm : imm << 12;
        }
        if ((next & 0x3f000000) == 0x39000000) { // LDR/STR (unsigned immediate), general registers
            return (long) (next >>> 10 & 0xfff) << (next >>> 30);
        }
        return -1;
    }
}
