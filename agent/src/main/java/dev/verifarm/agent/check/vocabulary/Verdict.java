package dev.verifarm.agent.check.vocabulary;

/** The outcome of one expectation, as defined in docs/design.md section 2. */
public enum Verdict {
    /** The resolver yields the target's body, or the copied range is exactly the body's text and relocatable. */
    MATCH,
    /** The resolver yields the ABIInternal-to-ABI0 wrapper of the target instead of its body. */
    WRAPPER,
    /** The resolver yields some other address; the evidence names it as symbol+offset. */
    MISMATCH,
    /** The copied text references code or data outside the copied range. */
    NOT_RELOCATABLE,
    /** The resolver could not be decoded or run. */
    UNRESOLVED,
    /** The check itself failed; the reason says why. */
    ERROR;

    public boolean passed() {
        return this == MATCH;
    }
}
