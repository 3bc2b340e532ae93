package dev.verifarm.coordinator.store;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Ids for rows written many times a second (jobs, leases): UUIDs of version 7 (RFC 9562), whose first 48 bits are
 * the Unix time in milliseconds and the other 74 random. The rows and index entries of jobs in flight are then
 * neighbours in the database's B-trees: the embedded database rewrites every page a commit touched, and with random
 * ids each job in a group was a page of its own.
 */
public final class TimeOrderedIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedIds() {
    }

    public static String next() {
        return next(System.currentTimeMillis()).toString();
    }

    static UUID next(long unixMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = (unixMillis << 16) | 0x7000L | ((random[0] & 0x0fL) << 8) | (random[1] & 0xffL);
        long low = 0x8000_0000_0000_0000L | (ByteBuffer.wrap(random).getLong(2) & 0x3fff_ffff_ffff_ffffL);
        return new UUID(high, low);
    }
}
