package dev.verifarm.coordinator.store;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeOrderedIdsTest {
    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        long millis = 1_796_500_000_123L;
        UUID id = TimeOrderedIds.next(millis);
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "the RFC's variant");
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
        assertEquals(id, UUID.fromString(id.toString()));
    }

    @Test
    void idsSortAsTextByTimeAndDoNotRepeat() {
        String earlier = TimeOrderedIds.next(1_796_500_000_123L).toString();
        String later = TimeOrderedIds.next(1_796_500_000_124L).toString();
        assertTrue(earlier.compareTo(later) < 0, earlier + " before " + later);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(TimeOrderedIds.next()), "a repeated id");
        }
    }
}
