package dev.verifarm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verifarm.cli.exit.CliException;
import dev.verifarm.cli.render.JobText;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.EndRuleKind;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;

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
        assertEquals("--state: unknown value 'errored'; expected one of QUEUED, LEASED, RUNNING, PASSED, FAILED,"
                + " ERROR, CANCELLED, TIMED_OUT", e.getMessage());
    }

    @Test
    void everySpelledFormGoesOutAndIsPrintedBackAsWritten() {
        for (String spelling : List.of("main.addrOf=main.f@pclntab-end", "data:main.slot=main.f@symbol-size",
                "funcvalue:main.f=main.f@symbol:main.fEnd")) {
            assertEquals("copy " + spelling, JobText.expectation(Wire.copy(spelling)));
        }
        assertEquals("resolve symbol:main.f.abi0=main.f", JobText.expectation(Wire.resolve("symbol:main.f.abi0=main.f")));
        assertEquals("copy a=b@pclntab-end", JobText.expectation(Wire.copy("a=b")));
    }

    @Test
    void aBadSpellingIsRefusedWithTheContractsWords() {
        CliException end = assertThrows(CliException.class, () -> Wire.copy("a=b@nowhere"));
        assertEquals("--copy a=b@nowhere: unknown end rule 'nowhere': use symbol-size, pclntab-end or symbol:NAME",
                end.getMessage());
        CliException target = assertThrows(CliException.class, () -> Wire.resolve("a="));
        assertEquals("--resolve a=: target is required, e.g. main.memcpyish", target.getMessage());
        CliException arch = assertThrows(CliException.class, () -> Wire.architecture("x86"));
        assertEquals("--arch: unknown value 'x86'; expected one of AMD64, ARM64", arch.getMessage());
    }
}
