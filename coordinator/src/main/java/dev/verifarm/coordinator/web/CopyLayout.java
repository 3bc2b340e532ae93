package dev.verifarm.coordinator.web;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The byte map of a copied range against the target text, as far as the report knows it: the bytes equal up to the
 * first difference, the differing byte, the body bytes past it (not compared further), the padding after the body,
 * and the body bytes a short copy left out.
 */
public record CopyLayout(String range, List<Segment> segments) {

    /** {@code kind} is the CSS class: equal, differs, unchecked, padding, bad-padding or missing. */
    public record Segment(String kind, String label, double percent) {
    }

    static CopyLayout of(long begin, long end, long bodySize, OptionalLong firstDifference, long paddingBytes,
                         boolean paddingClean) {
        long copied = end - begin;
        long covered = Math.max(copied, bodySize);
        List<Segment> segments = new ArrayList<>();
        long bodyCopied = Math.min(copied, bodySize);
        long differs = firstDifference.orElse(bodyCopied);
        add(segments, covered, "equal", 0, Math.min(differs, bodyCopied), "equal to the target text");
        if (differs < bodyCopied) {
            add(segments, covered, "differs", differs, differs + 1, "first difference");
            add(segments, covered, "unchecked", differs + 1, bodyCopied, "not compared past the difference");
        }
        add(segments, covered, "missing", bodyCopied, bodySize, "body bytes the copy left out");
        add(segments, covered, paddingClean ? "padding" : "bad-padding", bodySize, bodySize + paddingBytes,
                paddingClean ? "alignment padding" : "not all alignment padding");
        return new CopyLayout("[" + Hex.of(begin) + ", " + Hex.of(end) + ") " + copied + " bytes, body "
                + bodySize + " bytes", segments);
    }

    private static void add(List<Segment> segments, long covered, String kind, long from, long to, String what) {
        if (to > from) {
            String bytes = to - from == 1 ? "+" + Hex.of(from) : "+" + Hex.of(from) + "..+" + Hex.of(to - 1);
            segments.add(new Segment(kind, bytes + " " + what, Math.max(1.0, 100.0 * (to - from) / covered)));
        }
    }
}
