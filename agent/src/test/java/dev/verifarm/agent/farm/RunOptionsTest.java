package dev.verifarm.agent.farm;

import dev.verifarm.agent.cli.RunArguments;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the farm makes of the options the command line read (read by {@code cli.RunAgentCommandTest}). */
class RunOptionsTest {

    @Test
    void aTokenFileThatIsMissingIsAUsageError() {
        RunOptions options = RunArguments.parse("--coordinator", "farm:9090", "--token-file", "/nonexistent/token",
                "--insecure-plaintext");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoordinatorChannel.open(options, options.coordinators().get(0)));
        assertTrue(e.getMessage().startsWith("--token-file /nonexistent/token"), e.getMessage());
    }

    @Test
    void theAgentMovesToTheNextCoordinatorRoundTheList() throws InterruptedException {
        RunOptions options = RunArguments.parse("--coordinator", "127.0.0.1:1,127.0.0.1:2", "--insecure-plaintext");
        Coordinators coordinators = Coordinators.open(options);
        try {
            assertEquals("127.0.0.1:1", coordinators.address().toString());
            assertEquals("127.0.0.1:2", coordinators.next().toString());
            assertEquals("127.0.0.1:1", coordinators.next().toString());
        } finally {
            coordinators.shutdown(5, TimeUnit.SECONDS);
        }
    }
}
