package dev.verifarm.agent.isa.select;

import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.isa.InstructionSet;
import dev.verifarm.agent.isa.amd64.Amd64;
import dev.verifarm.agent.isa.arm64.Arm64;

/**
 * The instruction set of an ELF file's machine. It sits above {@code isa.amd64} and {@code isa.arm64}, which
 * implement {@link InstructionSet} on the vocabulary of {@code isa}, so that {@code isa} never names them.
 */
public final class InstructionSets {

    private InstructionSets() {
    }

    public static InstructionSet of(Architecture architecture) {
        return switch (architecture) {
            case AMD64 -> new Amd64();
            case ARM64 -> new Arm64();
        };
    }
}
