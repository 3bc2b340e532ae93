package dev.verifarm.agent.isa;

/** Capstone, the native disassembler the engine decodes with, cannot be loaded on this host. */
public final class DisassemblerUnavailableException extends RuntimeException {

    public DisassemblerUnavailableException(Throwable cause) {
        super("the Capstone disassembler library (libcapstone.so.4) could not be loaded: "
                + "install Debian's libcapstone4 package (apt-get install libcapstone4)", cause);
    }
}
