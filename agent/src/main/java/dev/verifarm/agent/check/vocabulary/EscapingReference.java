package dev.verifarm.agent.check.vocabulary;

/** A PC-relative reference in copied text whose target lies outside the copied range. */
public record EscapingReference(long offset, DecodedInstruction instruction, Location target) {
}
