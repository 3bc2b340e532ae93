package dev.verifarm.coordinator.web;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte map of a copy says exactly what the report's text comparison says, byte range by byte range. */
class CopyLayoutTest {

    @Test
    void anExactCopyWithPaddingIsTheBodyThenThePadding() {
        CopyLayout layout = CopyLayout.of(0x486f80, 0x486fc0, 34, OptionalLong.empty(), 30, true);
        assertEquals("[0x486f80, 0x486fc0) 64 bytes, body 34 bytes", layout.range());
        assertEquals(List.of("equal +0x0..+0x21 equal to the target text",
                "padding +0x22..+0x3f alignment padding"), describe(layout));
    }

    @Test
    void aDifferenceSplitsTheBodyAtTheFirstDifferingByte() {
        CopyLayout layout = CopyLayout.of(0x1000, 0x1040, 36, OptionalLong.of(1), 28, false);
        assertEquals(List.of("equal +0x0 equal to the target text", "differs +0x1 first difference",
                "unchecked +0x2..+0x23 not compared past the difference",
                "bad-padding +0x24..+0x3f not all alignment padding"), describe(layout));
    }

    @Test
    void aShortCopyShowsTheBodyBytesItLeftOut() {
        // the agent reports a copy shorter than the body as differing at its own length
        CopyLayout layout = CopyLayout.of(0x1000, 0x1010, 36, OptionalLong.of(16), 0, true);
        assertEquals(List.of("equal +0x0..+0xf equal to the target text",
                "missing +0x10..+0x23 body bytes the copy left out"), describe(layout));
    }

    @Test
    void segmentWidthsShareTheWholeBar() {
        CopyLayout layout = CopyLayout.of(0, 64, 32, OptionalLong.empty(), 32, true);
        assertEquals(List.of(50.0, 50.0), layout.segments().stream().map(CopyLayout.Segment::percent).toList());
    }

    private static List<String> describe(CopyLayout layout) {
        return layout.segments().stream().map(s -> s.kind() + " " + s.label()).toList();
    }
}
