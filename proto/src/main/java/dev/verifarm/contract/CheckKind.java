package dev.verifarm.contract;

/** What an expectation checks; the names are verifarm.v1.CheckKind's. */
public enum CheckKind {
    /** The resolver yields the target's ABIInternal entry. */
    RESOLVE,
    /** Copying the target's text range from the resolved address yields the target's body. */
    COPY
}
