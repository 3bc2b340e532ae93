package dev.verifarm.agent.isa;

/**
 * What the walk of a resolver stub knows a register or a stack slot holds. Only {@link Known} values can be
 * a result; stack addresses let the walk follow the frame, and the return address lets it check that the stub
 * really returns to its caller.
 */
public sealed interface SymbolicValue {

    SymbolicValue UNKNOWN = new Unknown();
    SymbolicValue RETURN_ADDRESS = new ReturnAddress();

    /** A number the walk computed: an address in the image, or a constant. */
    record Known(long value) implements SymbolicValue {
    }

    /** The stack pointer's value at the stub's entry, plus offset. */
    record StackAddress(long offset) implements SymbolicValue {
    }

    /** The address the caller is returned to: amd64's word at the entry SP, arm64's x30 at entry. */
    record ReturnAddress() implements SymbolicValue {
    }

    /** Anything the walk did not follow. */
    record Unknown() implements SymbolicValue {
    }

    static SymbolicValue known(long value) {
        return new Known(value);
    }

    /** The value as evidence shows it. */
    static String show(SymbolicValue v) {
        if (v instanceof Known k) {
            return "0x" + Long.toHexString(k.value);
        }
        if (v instanceof StackAddress s) {
            return StubState.frameOffset(s.offset);
        }
        return v instanceof ReturnAddress ? "the return address" : "a value not followed";
    }

    /** a + b, where the walk can say what it is. */
    static SymbolicValue plus(SymbolicValue a, SymbolicValue b) {
        if (a instanceof Known x && b instanceof Known y) {
            return known(x.value + y.value);
        }
        if (a instanceof StackAddress s && b instanceof Known k) {
            return new StackAddress(s.offset + k.value);
        }
        if (a instanceof Known k && b instanceof StackAddress s) {
            return new StackAddress(s.offset + k.value);
        }
        return UNKNOWN;
    }

    /** a - b, where the walk can say what it is. */
    static SymbolicValue minus(SymbolicValue a, SymbolicValue b) {
        if (b instanceof Known k) {
            return plus(a, known(-k.value));
        }
        if (a instanceof StackAddress x && b instanceof StackAddress y) {
            return known(x.offset - y.offset);
        }
        return UNKNOWN;
    }
}
