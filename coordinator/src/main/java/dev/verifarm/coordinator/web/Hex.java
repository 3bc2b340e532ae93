package dev.verifarm.coordinator.web;

/** Addresses and offsets as the agent's reports and disassemblers print them. */
final class Hex {

    private Hex() {
    }

    static String of(long value) {
        return "0x" + Long.toHexString(value);
    }
}
