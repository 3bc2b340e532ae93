package dev.verifarm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verifarm.cli.exit.CliException;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.EndRuleKind;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.Job;
import org.junit.jupiter.api.Test;

/** Every resolver spelling the agent understands goes through the command line as written. */
class WireTest {

    @Test
    void aDataWordResolverIsSentAsWritten() {
        Expectation e = Wire.resolve("data:main.bodyAddr=main.body");

        assertEquals(CheckKind.RESOLVE, e.getKind());
        assertEquals("data:main.bodyAddr", e.getResolver());
        assertEquals("main.body", e.getTarget());
    }

    @Test
    void aCopyMayBeginAtADataWordAndEndAtASymbol() {
        Expectation e = Wire.copy("data:main.bodyAddr=main.body@symbol:main.bodyEnd");

        assertEquals("data:main.bodyAddr", e.getResolver());
        assertEquals("main.body", e.getTarget());
        assertEquals(EndRuleKind.END_SYMBOL, e.getEndRule().getKind());
        assertEquals("main.bodyEnd", e.getEndRule().getEndSymbol());
    }

    @Test
    void aJobStateIsSpelledAsEverywhereElse() {
        assertEquals(Job.State.ERROR, Wire.state("error"));
        assertEquals(Job.State.TIMED_OUT, Wire.state("timed-out"));
        CliException e = assertThrows(CliException.class, () -> Wire.state("errored"));
        assertEquals("--state must be one of queued, leased, running, passed, failed, error, cancelled, timed_out;"
                + " got 'errored'", e.getMessage());
    }
}
