package dev.verifarm.agent.check;

/** How resolvers are evaluated. */
public enum ExecutionMode {
    /** Decode the resolver's machine code; runs on any host. */
    STATIC,
    /** Run the artifact in probe mode and read its memory; needs a host of the artifact's architecture or qemu-user. */
    NATIVE
}
