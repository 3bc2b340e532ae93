package dev.verifarm.agent.isa;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** What a walked stub hands back when it returns, and whether it really returns to its caller. */
final class StubReturn {

    private StubReturn() {
    }

    /**
     * @param returnsThrough the register the return jumps through; empty where it pops the return address
     */
    static AddressEvaluation evaluate(StubState state, StubWalk.Registers registers, Optional<String> returnsThrough,
                                      ResultConvention convention, Optional<Long> splitCheck, Map<Long, String> notes) {
        String lost = lost(state);
        SymbolicValue result = state.result();
        if (result instanceof SymbolicValue.Known k) {
            return returning(state, registers, returnsThrough, k.value(), "stored to " + state.resultStoredBy() + frame(state, true)
                    + ", then returned" + split(splitCheck), notes);
        }
        if (!state.resultStoredBy().isEmpty()) {
            return AddressEvaluation.unresolved("the result slot ret+0(FP) " + StubState.RESULT_SLOT_TEXT
                    + " holds a value the walk did not follow, last written by " + state.resultStoredBy() + lost, notes);
        }
        if (convention == ResultConvention.STACK) {
            return AddressEvaluation.unresolved("an assembly (ABI0) stub hands its result back in ret+0(FP) "
                    + StubState.RESULT_SLOT_TEXT + ", and this one returns without storing it there" + lost, notes);
        }
        OptionalLong value = state.get(registers.returnRegister());
        if (value.isPresent()) {
            return returning(state, registers, returnsThrough, value.getAsLong(), "returned in " + registers.returnRegister()
                    + frame(state, false) + split(splitCheck), notes);
        }
        return AddressEvaluation.unresolved("returns without having stored or returned a known address" + lost, notes);
    }

    /** The result, when the stub returns to its caller with the frame unwound; else why not. */
    private static AddressEvaluation returning(StubState state, StubWalk.Registers registers,
                                               Optional<String> returnsThrough, long value, String how,
                                               Map<Long, String> notes) {
        SymbolicValue sp = state.stackPointerValue();
        if (!(sp instanceof SymbolicValue.StackAddress s && s.offset() == 0)) {
            return AddressEvaluation.unresolved("returns with " + registers.stackPointer() + " at "
                    + SymbolicValue.show(sp) + ", not where it was at entry: the frame the walk followed does not unwind"
                    + " (it would have yielded 0x" + Long.toHexString(value) + ")" + lost(state), notes);
        }
        SymbolicValue returnAddress = returnsThrough.map(state::value).orElseGet(state::returnAddressSlot);
        if (!(returnAddress instanceof SymbolicValue.ReturnAddress)) {
            return AddressEvaluation.unresolved("returns through " + returnsThrough.orElse("[" + registers.stackPointer()
                    + "]") + ", which does not hold its caller's return address" + lost(state), notes);
        }
        return new AddressEvaluation(OptionalLong.of(value), how, state.gotSlots(), notes);
    }

    /** Why the walk forgot what it knew, if it did. */
    private static String lost(StubState state) {
        return state.lost().isEmpty() ? "" : " (" + state.lost() + ")";
    }

    private static String frame(StubState state, boolean stored) {
        if (state.frameSize() == 0) {
            return "";
        }
        return (stored ? ", ret+0(FP) " : ", ") + "under a 0x" + Long.toHexString(state.frameSize()) + "-byte frame";
    }

    private static String split(Optional<Long> splitCheck) {
        return splitCheck.map(a -> ", past the stack-split check at 0x" + Long.toHexString(a)).orElse("");
    }
}
