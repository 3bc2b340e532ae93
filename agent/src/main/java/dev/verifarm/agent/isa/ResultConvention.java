package dev.verifarm.agent.isa;

/** Where a resolver hands its result back, by the ABI it was written for. */
public enum ResultConvention {
    /** Assembly (ABI0): in the result slot ret+0(FP) on the stack, never in a register. */
    STACK,
    /** Go code (ABIInternal) or unknown: in the first result register, or on the stack. */
    STACK_OR_REGISTER
}
