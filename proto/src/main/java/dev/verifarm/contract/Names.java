package dev.verifarm.contract;

/** The rules every name in a job follows: a Go symbol, a spelled resolver, an end symbol. */
final class Names {
    /** Names are stored with each result in columns of this many characters. */
    static final int MAX = 1024;

    private Names() {
    }

    static void require(String part, String name, String what) {
        if (name.length() > MAX) {
            throw ContractException.of(part, what + " is at most " + MAX + " characters, got " + name.length());
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ContractException.of(part, what + " contains a control character");
        }
    }
}
