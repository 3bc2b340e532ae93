package dev.verifarm.agent.testing;

import java.util.Locale;
import java.util.Optional;

/** The Go architectures the test fixtures are built for. */
public enum GoArch {
    AMD64("amd64", "x86_64"),
    ARM64("arm64", "aarch64");

    private final String goarch;
    private final String unameMachine;

    GoArch(String goarch, String unameMachine) {
        this.goarch = goarch;
        this.unameMachine = unameMachine;
    }

    /** The GOARCH value, which is also Debian's architecture name. */
    public String goarch() {
        return goarch;
    }

    /** The kernel's name for this architecture ({@code uname -m}). */
    public String unameMachine() {
        return unameMachine;
    }

    /** The architecture this JVM runs on, if it is one of ours. */
    public static Optional<GoArch> host() {
        String osArch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (osArch) {
            case "amd64", "x86_64" -> Optional.of(AMD64);
            case "aarch64", "arm64" -> Optional.of(ARM64);
            default -> Optional.empty();
        };
    }

    /** Whether binaries of this architecture run natively here, without qemu-user. */
    public boolean isHost() {
        return host().filter(h -> h == this).isPresent();
    }
}
