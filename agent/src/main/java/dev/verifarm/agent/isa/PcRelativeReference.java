package dev.verifarm.agent.isa;

/**
 * A reference whose target is computed from the instruction's own address, so it breaks when the
 * instruction is copied elsewhere unless the target is copied with it.
 *
 * @param instruction the referencing instruction (for ADRP pairs, the ADRP)
 * @param target      the address referred to
 * @param kind        {@code branch}, {@code call} or {@code data}
 */
public record PcRelativeReference(Instruction instruction, long target, String kind) {
}
