package dev.verifarm.contract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WordsTest {
    enum State { STATE_UNSPECIFIED, QUEUED, TIMED_OUT, UNRECOGNIZED }

    @Test
    void readsTheProtoNameInAnyCaseWithDashes() {
        assertEquals(State.TIMED_OUT, Words.parse(State.class, "timed-out"));
        assertEquals(State.QUEUED, Words.parse(State.class, " QUEUED"));
    }

    @Test
    void refusesTheZeroValueAndNamesTheChoices() {
        assertEquals("unknown value 'state_unspecified'; expected one of QUEUED, TIMED_OUT",
                assertThrows(ContractException.class, () -> Words.parse(State.class, "state_unspecified"))
                        .getMessage());
    }
}
