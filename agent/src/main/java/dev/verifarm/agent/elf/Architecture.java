package dev.verifarm.agent.elf;

import java.util.Arrays;
import java.util.Optional;

/** The machines the engine understands, by their ELF e_machine and their Go GOARCH name. */
public enum Architecture {
    AMD64(62, "amd64"),
    ARM64(183, "arm64");

    private final int elfMachine;
    private final String goName;

    Architecture(int elfMachine, String goName) {
        this.elfMachine = elfMachine;
        this.goName = goName;
    }

    public int elfMachine() {
        return elfMachine;
    }

    public String goName() {
        return goName;
    }

    public static Optional<Architecture> ofElfMachine(int machine) {
        return Arrays.stream(values()).filter(a -> a.elfMachine == machine).findFirst();
    }

    public static Optional<Architecture> ofGoName(String name) {
        return Arrays.stream(values()).filter(a -> a.goName.equals(name)).findFirst();
    }

    /** The architecture of the JVM's host, from {@code os.arch}. */
    public static Optional<Architecture> host() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> Optional.of(AMD64);
            case "aarch64", "arm64" -> Optional.of(ARM64);
            default -> Optional.empty();
        };
    }
}
