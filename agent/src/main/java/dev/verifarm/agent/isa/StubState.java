package dev.verifarm.agent.isa;

import dev.verifarm.agent.elf.ElfFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What is known while a resolver stub's straight-line code is run symbolically: the values registers
 * hold, the value stored to the result slot, and the GOT slots read on the way. The walk itself is the
 * same on every architecture; each one supplies how a single instruction changes the state.
 */
public final class StubState {

    /** How one instruction changes the state, for one architecture. */
    @FunctionalInterface
    public interface Step {
        void apply(Instruction instruction, StubState state) throws ElfFormatException;
    }

    private final Map<String, Long> registers = new HashMap<>();
    private final List<Long> gotSlots = new ArrayList<>();
    private OptionalLong stored = OptionalLong.empty();
    private String storedTo = "";

    private StubState() {
    }

    /**
     * Walks the code to its first return and reports what it hands back: the value stored to the result
     * slot (Go's ABI0 {@code ret+0(FP)}) if any, else the return register.
     */
    public static AddressEvaluation walk(List<Instruction> code, String returnRegister, Step step) {
        StubState state = new StubState();
        for (Instruction insn : code) {
            if (insn.ret()) {
                return state.returned(returnRegister);
            }
            if (insn.call() || insn.jump()) {
                return AddressEvaluation.unresolved("control flow (" + insn.text() + ") before the stub returned");
            }
            try {
                step.apply(insn, state);
            } catch (ElfFormatException e) {
                return AddressEvaluation.unresolved("could not read the loaded word at " + insn.text() + ": " + e.getMessage());
            }
        }
        return AddressEvaluation.unresolved("no return within the decoded code");
    }

    private AddressEvaluation returned(String returnRegister) {
        if (stored.isPresent()) {
            return new AddressEvaluation(stored, "stored to " + storedTo + ", then returned", gotSlots);
        }
        OptionalLong value = get(returnRegister);
        return value.isPresent()
                ? new AddressEvaluation(value, "returned in " + returnRegister, gotSlots)
                : AddressEvaluation.unresolved("returns without having stored or returned a known address");
    }

    public OptionalLong get(String register) {
        Long v = registers.get(register);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** Sets the register to the value, or forgets it when the value is unknown. */
    public void set(String register, OptionalLong value) {
        if (value.isPresent()) {
            registers.put(register, value.getAsLong());
        } else {
            registers.remove(register);
        }
    }

    public void forget(String register) {
        registers.remove(register);
    }

    /** A known value stored to the stack, where Go's ABI0 puts results. */
    public void store(long value, String where) {
        stored = OptionalLong.of(value);
        storedTo = where;
    }

    /** Loads the word the loaded image holds at slot, remembering the slot as evidence. */
    public long load(LoadedMemory memory, long slot) throws ElfFormatException {
        gotSlots.add(slot);
        return memory.word(slot);
    }
}
