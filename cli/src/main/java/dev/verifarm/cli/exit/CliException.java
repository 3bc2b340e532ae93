package dev.verifarm.cli.exit;

/** Ends the command with a message for the user and an exit status. */
public class CliException extends RuntimeException {
    private final int exitStatus;

    public CliException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** Bad usage or an infrastructure problem: exit status 2. */
    public static CliException error(String message) {
        return new CliException(ExitStatus.ERROR, message);
    }

    public int exitStatus() {
        return exitStatus;
    }
}
