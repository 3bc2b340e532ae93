package dev.verifarm.agent.probe;

/** The artifact could not be run in probe mode, or did not speak the protocol. */
public final class ProbeException extends Exception {

    public ProbeException(String message) {
        super(message);
    }
}
