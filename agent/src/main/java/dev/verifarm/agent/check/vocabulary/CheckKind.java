package dev.verifarm.agent.check.vocabulary;

/** The two kinds of check the engine runs. */
public enum CheckKind {
    /** What does a resolver really point at: the body, a wrapper, something else? */
    RESOLVE,
    /** Is a copied [begin,end) range exactly the target's text, and can it run elsewhere? */
    COPY
}
