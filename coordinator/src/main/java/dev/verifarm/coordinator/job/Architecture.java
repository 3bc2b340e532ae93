package dev.verifarm.coordinator.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The machines the farm routes work for, by ELF e_machine and by Go's name for them. */
public enum Architecture {
    AMD64(62),
    ARM64(183);

    private final int elfMachine;

    Architecture(int elfMachine) {
        this.elfMachine = elfMachine;
    }

    public int elfMachine() {
        return elfMachine;
    }

    /** {@code amd64} or {@code arm64}, as GOARCH and Debian spell them. */
    public String goName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Architecture> ofElfMachine(int machine) {
        return Arrays.stream(values()).filter(a -> a.elfMachine == machine).findFirst();
    }

    public static Optional<Architecture> ofGoName(String name) {
        return Arrays.stream(values()).filter(a -> a.goName().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return goName();
    }
}
