package dev.verifarm.agent.isa;

import dev.verifarm.agent.elf.ElfFormatException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Walks a resolver stub from its entry to its return, one instruction at a time, and reports what it hands
 * back. The only control flow it follows is the stack-split check the Go assembler puts before a frame: a
 * conditional branch to a block that calls {@code runtime.morestack*} and jumps back to the entry. Whatever that
 * path does, it starts the stub again, so only the fall-through can reach the return. Any other branch or call
 * ends the walk, unresolved, with the instruction named.
 */
public final class StubWalk {

    /** The stack-growth block is a register move or two (arm64 saves x30 in x3), the call and the jump back. */
    private static final int MAX_GROWTH_BLOCK = 4;

    /** How one architecture's instructions drive the walk. */
    public interface Machine {

        /** Applies one straight-line instruction to the state. */
        void step(Instruction instruction, StubState state) throws ElfFormatException;

        /** Whether a branch may fall through (amd64 {@code jcc}; arm64 {@code b.cond}, {@code cbz}, {@code tbz}...). */
        boolean conditional(Instruction branch);

        /** The target of a direct branch or call. */
        OptionalLong target(Instruction transfer);

        /** Whether the instruction only copies one register to another ({@code mov} on both architectures). */
        default boolean registerMove(Instruction instruction) {
            List<Operand> ops = instruction.operands();
            return instruction.mnemonic().equals("mov") && ops.size() == 2 && ops.get(0) instanceof Operand.Register
                    && ops.get(1) instanceof Operand.Register;
        }

        /** The register a return jumps through (arm64 {@code ret} uses x30); empty where it pops the stack. */
        default Optional<String> returnsThrough(Instruction ret) {
            return Optional.empty();
        }
    }

    /**
     * The registers a convention needs.
     *
     * @param returnRegister where Go code (ABIInternal) and C return a pointer ({@code rax}, {@code x0})
     * @param stackPointer   {@code rsp}, {@code sp}
     * @param linkRegister   the register holding the return address at entry ({@code x30}); empty where the
     *                       call pushed it to the stack (amd64: the word at the entry stack pointer)
     */
    public record Registers(String returnRegister, String stackPointer, Optional<String> linkRegister) {
    }

    private StubWalk() {
    }

    public static AddressEvaluation walk(List<Instruction> code, Registers registers, StubContext context,
                                         Machine machine) {
        StubState state = new StubState(registers.stackPointer(), registers.linkRegister());
        Map<Long, String> notes = new LinkedHashMap<>();
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < code.size(); i++) {
            index.put(code.get(i).address(), i);
        }
        Optional<Long> splitCheck = Optional.empty();
        for (int i = 0; i < code.size(); i++) {
            Instruction insn = code.get(i);
            if (insn.ret()) {
                notes.put(insn.address(), "returns");
                return StubReturn.evaluate(state, registers, machine.returnsThrough(insn), context.convention(),
                        splitCheck, notes);
            }
            if (insn.jump() && machine.conditional(insn) && growsStackAndRestarts(code, i, index, machine, context)) {
                notes.put(insn.address(), "stack-split check: its branch calls runtime.morestack and restarts the stub,"
                        + " so only the fall-through returns");
                splitCheck = Optional.of(insn.address());
                continue;
            }
            if (insn.call() || insn.jump()) {
                return AddressEvaluation.unresolved("control flow (" + insn.text() + " at 0x"
                        + Long.toHexString(insn.address()) + ") before the stub returned", notes);
            }
            SymbolicValue spBefore = state.stackPointerValue();
            try {
                machine.step(insn, state);
            } catch (ElfFormatException e) {
                return AddressEvaluation.unresolved("could not read the loaded word at " + insn.text() + ": "
                        + e.getMessage(), notes);
            }
            SymbolicValue spAfter = state.stackPointerValue();
            if (!spAfter.equals(spBefore)) {
                state.note(registers.stackPointer() + " = " + SymbolicValue.show(spAfter));
            }
            String note = state.takeNotes();
            if (!note.isEmpty()) {
                notes.put(insn.address(), note);
            }
            if (!state.rejected().isEmpty()) {
                return AddressEvaluation.unresolved(state.rejected(), notes);
            }
        }
        return AddressEvaluation.unresolved("no return within the decoded code", notes);
    }

    /**
     * Whether the conditional branch at index i leads forward to a block that calls {@code runtime.morestack*}
     * and then jumps back to the entry, moving registers at most on the way.
     */
    private static boolean growsStackAndRestarts(List<Instruction> code, int i, Map<Long, Integer> index,
                                                 Machine machine, StubContext context) {
        OptionalLong target = machine.target(code.get(i));
        Integer block = target.isPresent() ? index.get(target.getAsLong()) : null;
        if (block == null || block <= i) {
            return false;
        }
        for (int k = block; k < code.size() && k < block + MAX_GROWTH_BLOCK; k++) {
            Instruction insn = code.get(k);
            if (insn.call()) {
                OptionalLong callee = machine.target(insn);
                if (callee.isEmpty() || !context.growsStack().test(callee.getAsLong()) || k + 1 >= code.size()) {
                    return false;
                }
                Instruction back = code.get(k + 1);
                OptionalLong restart = machine.target(back);
                return back.jump() && !machine.conditional(back) && restart.isPresent()
                        && restart.getAsLong() == code.get(0).address();
            }
            if (!machine.registerMove(insn)) {
                return false;
            }
        }
        return false;
    }
}
