package dev.verifarm.coordinator.e2e;

/** Closing what a test started, each thing even when closing another failed. */
final class Cleanup {
    private Cleanup() {
    }

    /** Closes each of {@code closeables} in order, skipping nulls (never started); a failure is printed. */
    static void closeAll(AutoCloseable... closeables) {
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
