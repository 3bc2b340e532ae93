package dev.verifarm.coordinator.web;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The copied bytes beside the symbol-table target text, sixteen to a line, from the artifact file: a window of at
 * most {@link #WINDOW} bytes that starts a little before the first difference.
 */
public record ByteDiff(String window, List<Line> lines) {
    static final int WINDOW = 256;
    private static final int PER_LINE = 16;
    private static final HexFormat HEX = HexFormat.of();

    /** {@code offset} into the copy. */
    public record Line(String offset, List<Cell> copied, List<Cell> target) {
    }

    /**
     * {@code kind}: same, differs, past-body (copied after the body, which may only be padding), missing (body bytes
     * the copy lacks), none.
     */
    public record Cell(String hex, String kind) {
    }

    /** Reads the bytes at virtual addresses of the artifact, when it has them there. */
    interface FileBytes {
        FileBytes NONE = (address, length) -> Optional.empty();

        Optional<byte[]> at(long address, int length);
    }

    static Optional<ByteDiff> of(FileBytes file, long begin, long copyLength, long bodyAddress, long bodySize,
                                 OptionalLong firstDifference) {
        long start = Math.max(0, firstDifference.orElse(0) / PER_LINE * PER_LINE - 2 * PER_LINE);
        long end = Math.min(start + WINDOW, Math.max(copyLength, bodySize));
        int copiedLength = (int) Math.max(0, Math.min(end, copyLength) - start);
        int targetLength = (int) Math.max(0, Math.min(end, bodySize) - start);
        Optional<byte[]> copied = file.at(begin + start, copiedLength);
        Optional<byte[]> target = file.at(bodyAddress + start, targetLength);
        if (copied.isEmpty() || target.isEmpty()) {
            return Optional.empty();
        }
        List<Line> lines = new ArrayList<>();
        for (long line = start; line < end; line += PER_LINE) {
            List<Cell> c = new ArrayList<>();
            List<Cell> t = new ArrayList<>();
            for (long at = line; at < Math.min(line + PER_LINE, end); at++) {
                c.add(cell(copied.get(), target.get(), (int) (at - start), true));
                t.add(cell(target.get(), copied.get(), (int) (at - start), false));
            }
            lines.add(new Line("+" + Hex.of(line), c, t));
        }
        return Optional.of(new ByteDiff("+" + Hex.of(start) + "..+" + Hex.of(end - 1), lines));
    }

    private static Cell cell(byte[] side, byte[] other, int i, boolean isCopy) {
        if (i >= side.length) {
            return new Cell("  ", isCopy ? "missing" : "none");
        }
        String hex = HEX.toHexDigits(side[i]);
        if (i >= other.length) {
            return new Cell(hex, isCopy ? "past-body" : "missing");
        }
        return new Cell(hex, side[i] == other[i] ? "same" : "differs");
    }
}
