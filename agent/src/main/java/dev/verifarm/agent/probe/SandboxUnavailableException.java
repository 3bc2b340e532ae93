package dev.verifarm.agent.probe;

/** This host cannot run probes inside the sandbox the policy demands. */
public final class SandboxUnavailableException extends Exception {

    public SandboxUnavailableException(String message) {
        super(message);
    }
}
