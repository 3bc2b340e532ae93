package dev.verifarm.agent.isa;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the checks need to know about an architecture's instructions, beyond decoding them; {@code isa.amd64} and
 * {@code isa.arm64} implement it, {@code isa.select.InstructionSets} picks one for a file.
 */
public interface InstructionSet {

    /**
     * Runs a resolver stub's code symbolically, from its first instruction to its return, tracking the
     * addresses registers and its frame hold, and reports the code address it yields where the convention says a
     * result goes ({@link StubWalk}). In a position-independent file an address truncated to 32 bits is never
     * right, so 32-bit writes are tracked only in a file loaded where it was linked.
     */
    AddressEvaluation evaluate(List<Instruction> code, StubContext context);

    /** Every PC-relative branch, call and data reference in the code. */
    List<PcRelativeReference> pcRelativeReferences(List<Instruction> code);

    /** The target of a direct call or jump ({@code CALL rel32}, {@code BL}, {@code B}), if the instruction is one. */
    OptionalLong directTransferTarget(Instruction instruction);

    /** Whether the bytes are all alignment padding as this architecture's Go linker writes it. */
    boolean isPadding(byte[] bytes);
}
