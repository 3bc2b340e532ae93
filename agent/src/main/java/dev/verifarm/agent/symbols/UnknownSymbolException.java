package dev.verifarm.agent.symbols;

/** A name the user gave is not a function of the artifact, or names several that cannot be told apart. */
public final class UnknownSymbolException extends Exception {

    public UnknownSymbolException(String message) {
        super(message);
    }
}
