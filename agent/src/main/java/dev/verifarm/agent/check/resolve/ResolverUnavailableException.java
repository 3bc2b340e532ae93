package dev.verifarm.agent.check.resolve;

/**
 * A resolver cannot be looked for in this artifact at all (a {@code data:} resolver in a stripped binary, where
 * no data symbol has a name): the check cannot be done, which is an ERROR, not a verdict on the resolver.
 */
public final class ResolverUnavailableException extends Exception {

    public ResolverUnavailableException(String message) {
        super(message);
    }
}
