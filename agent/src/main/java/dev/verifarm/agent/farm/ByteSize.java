package dev.verifarm.agent.farm;

import java.util.Locale;

/** Sizes as operators spell them: bytes, or a number with a K, M, G or T suffix (powers of 1024). */
public final class ByteSize {
    private static final String UNITS = "KMGT";

    private ByteSize() {
    }

    /** Reads {@code value}; a bad one is an {@link IllegalArgumentException} naming {@code option}. */
    public static long parse(String option, String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        if (v.endsWith("B") && v.length() > 1 && UNITS.indexOf(v.charAt(v.length() - 2)) >= 0) {
            v = v.substring(0, v.length() - 1);  // 10GB reads as 10G
        }
        int shift = 0;
        if (!v.isEmpty() && UNITS.indexOf(v.charAt(v.length() - 1)) >= 0) {
            shift = 10 * (UNITS.indexOf(v.charAt(v.length() - 1)) + 1);
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0 && n <= Long.MAX_VALUE >> shift) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a size in bytes, optionally with a K, M, G or T"
                + " suffix (e.g. 20G), got '" + value + "'");
    }

    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = Math.min(UNITS.length(), (63 - Long.numberOfLeadingZeros(bytes)) / 10);
        return String.format(Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (10 * unit)), UNITS.charAt(unit - 1));
    }
}
