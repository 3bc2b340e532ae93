package dev.verifarm.coordinator.web;

import java.util.List;
import java.util.Optional;

/**
 * One expectation's verdict with the evidence a person checks it by, read from the agent's report.
 *
 * @param resolved     the address the resolver yielded, as {@code 0xADDR} and {@code symbol+0xOFF}
 * @param resolverCode the resolver's decoded instructions
 * @param copy         for copies, the byte map of the copied range against the target text
 * @param bytes        for copies of an uploaded artifact, its bytes at the copied range beside the target text
 * @param escapes      for copies, each PC-relative reference that leaves the copied range
 */
public record ResultEvidence(String kind, String resolver, String target, String endRule, String verdict,
                             String reason, List<Fact> resolved, List<Instruction> resolverCode, List<Fact> targetFacts,
                             Optional<CopyLayout> copy, Optional<ByteDiff> bytes, List<Escape> escapes, List<Fact> observation) {

    /** {@code walk} is what the walk of a resolver stub made of the instruction (its frame, a store), or empty. */
    public record Instruction(String address, String bytes, String text, String walk) {
    }

    /** {@code target} is where the reference leads, as {@code 0xADDR <symbol+0xOFF>}. */
    public record Escape(String offset, Instruction instruction, String target) {
    }
}
