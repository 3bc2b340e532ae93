package dev.verifarm.coordinator.web;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The byte diff sets the copied bytes beside the target text, byte for byte, from the artifact's bytes. */
class ByteDiffTest {
    /** A file whose bytes at address {@code 0x1000 + i} are {@code i}, with a changed byte at 0x2005. */
    private static final ByteDiff.FileBytes FILE = (address, length) -> {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = address + i;
            bytes[i] = (byte) (at == 0x2005 ? 0xff : at - (at >= 0x2000 ? 0x2000 : 0x1000));
        }
        return Optional.of(bytes);
    };

    @Test
    void aCopyOfTheBodyWithPaddingDiffersNowhere() {
        ByteDiff diff = ByteDiff.of(FILE, 0x1000, 20, 0x1000, 18, OptionalLong.empty()).orElseThrow();
        assertEquals("+0x0..+0x13", diff.window());
        assertEquals(List.of("+0x0", "+0x10"), diff.lines().stream().map(ByteDiff.Line::offset).toList());
        assertEquals(List.of("same", "same", "past-body", "past-body"), kinds(diff.lines().get(1).copied()));
        assertEquals(List.of("same", "same", "none", "none"), kinds(diff.lines().get(1).target()));
    }

    @Test
    void aDifferingByteIsMarkedOnBothSides() {
        ByteDiff diff = ByteDiff.of(FILE, 0x2000, 8, 0x1000, 8, OptionalLong.of(5)).orElseThrow();
        List<ByteDiff.Cell> copied = diff.lines().get(0).copied();
        assertEquals(new ByteDiff.Cell("ff", "differs"), copied.get(5));
        assertEquals(new ByteDiff.Cell("05", "differs"), diff.lines().get(0).target().get(5));
        assertEquals(new ByteDiff.Cell("04", "same"), copied.get(4));
    }

    @Test
    void aShortCopyLacksTheRestOfTheBody() {
        ByteDiff diff = ByteDiff.of(FILE, 0x1000, 2, 0x1000, 4, OptionalLong.of(2)).orElseThrow();
        assertEquals(List.of("same", "same", "missing", "missing"), kinds(diff.lines().get(0).copied()));
        assertEquals(List.of("same", "same", "missing", "missing"), kinds(diff.lines().get(0).target()));
    }

    @Test
    void theWindowStartsTwoLinesBeforeTheFirstDifference() {
        ByteDiff diff = ByteDiff.of(FILE, 0x1000, 4096, 0x1000, 4096, OptionalLong.of(0x123)).orElseThrow();
        assertEquals("+0x100..+0x1ff", diff.window());
        assertEquals(ByteDiff.WINDOW / 16, diff.lines().size());
    }

    @Test
    void withoutTheArtifactsBytesThereIsNoDiff() {
        assertTrue(ByteDiff.of(ByteDiff.FileBytes.NONE, 0x1000, 4, 0x1000, 4, OptionalLong.empty()).isEmpty());
    }

    private static List<String> kinds(List<ByteDiff.Cell> cells) {
        return cells.stream().map(ByteDiff.Cell::kind).toList();
    }
}
