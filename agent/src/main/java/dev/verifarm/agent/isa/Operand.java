package dev.verifarm.agent.isa;

import java.util.Optional;

/** An instruction operand, independent of the disassembler that produced it. */
public sealed interface Operand {

    /** A register, by its lower-case assembler name ({@code rax}, {@code x0}, {@code sp}). */
    record Register(String name) implements Operand {
    }

    /**
     * An immediate. For branches, ADR, ADRP and literal loads it is already the absolute target address.
     *
     * @param shiftLeft an LSL applied to the value (arm64 {@code movk x0, #0x12, lsl #16})
     */
    record Immediate(long value, int shiftLeft) implements Operand {

        public long shifted() {
            return value << shiftLeft;
        }
    }

    /** A memory reference {@code [base + index*scale + displacement]}. */
    record Memory(Optional<String> base, Optional<String> index, int scale, long displacement) implements Operand {
    }
}
