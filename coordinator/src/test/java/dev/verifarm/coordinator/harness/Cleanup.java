package dev.verifarm.coordinator.harness;

/** Closing what a test started, each thing even when closing another failed. */
public final class Cleanup {
    private Cleanup() {
    }

    /** Closes each of {@code closeables} in order, skipping nulls (never started); a failure is printed. */
    public static void closeAll(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }
}
