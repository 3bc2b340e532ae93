package dev.verifarm.agent.isa;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Capstone's arm64 operand text, as it prints it, read back into operands. */
class Arm64OperandTextTest {

    @Test
    void addWithImmediateKeepsBothRegistersAndTheValue() {
        assertEquals(List.of(new Operand.Register("x0"), new Operand.Register("x0"), new Operand.Immediate(0x120, 0)),
                Arm64OperandText.parse("x0, x0, #0x120"));
    }

    @Test
    void movkCarriesItsShift() {
        assertEquals(List.of(new Operand.Register("x0"), new Operand.Immediate(0x12, 16)),
                Arm64OperandText.parse("x0, #0x12, lsl #16"));
    }

    @Test
    void storeToTheStackIsAMemoryOperandWithItsDisplacement() {
        assertEquals(List.of(new Operand.Register("x0"), new Operand.Memory(Optional.of("sp"), Optional.empty(), 1, 8)),
                Arm64OperandText.parse("x0, [sp, #8]"));
    }

    @Test
    void floatingPointImmediateIsNotMistakenForAnAddress() {
        assertEquals(List.of(new Operand.Register("d0")), Arm64OperandText.parse("d0, #0.5"));
        assertEquals(List.of(new Operand.Register("d1")), Arm64OperandText.parse("d1, #1.000000e+00"));
    }
}
