package dev.verifarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every command shares, without a coordinator: --help, the error lines and their exit status, the options
 * that stand before or after the command, and shell completion.
 */
class MainTest {

    private static final List<String> COMMANDS =
            List.of("submit", "job", "jobs", "watch", "cancel", "agents", "nightly", "completion", "help");

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("XDG_CONFIG_HOME", "/nonexistent"),
                false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandOnStdoutAndExitsZero() {
        Run help = run("--help");
        assertEquals(0, help.status(), help.err());
        COMMANDS.forEach(c -> assertTrue(help.out().lines().anyMatch(l -> l.startsWith("  " + c + " ")), c + "\n"
                + help.out()));
        assertTrue(help.out().contains("Exit status: 0 all matched"), help.out());
    }

    @Test
    void everyCommandHasHelpThatExitsZero() {
        for (String command : List.of("submit", "job", "jobs", "watch", "cancel", "agents", "nightly")) {
            Run help = run(command, "--help");
            assertEquals(0, help.status(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: verifarm " + command), help.out());
        }
        Run nested = run("nightly", "junit", "-h");
        assertTrue(nested.out().contains("-o, --output=FILE"), nested.out());
    }

    @Test
    void noCommandPrintsTheUsageOnStderrAndExitsTwo() {
        Run none = run();
        assertEquals(2, none.status());
        assertEquals("", none.out());
        assertTrue(none.err().startsWith("Usage: verifarm"), none.err());
    }

    @Test
    void aCommandLineThatCannotBeParsedNamesTheCommandAndWhereItsHelpIs() {
        Run unknown = run("submit", "a.out", "--resovle", "a=b");
        assertEquals(2, unknown.status());
        assertEquals("", unknown.out());
        assertTrue(unknown.err().startsWith("verifarm submit: Unknown options: '--resovle', 'a=b'"), unknown.err());
        assertTrue(unknown.err().endsWith("see 'verifarm submit --help'\n"), unknown.err());

        Run missing = run("nightly", "report");
        assertEquals(2, missing.status());
        assertTrue(missing.err().startsWith("verifarm nightly: Missing required parameter: 'RUN_ID'"), missing.err());

        Run typo = run("sbumit");
        assertEquals(2, typo.status());
        assertTrue(typo.err().contains("Did you mean: verifarm submit?"), typo.err());
    }

    @Test
    void anErrorTheCommandFindsIsOneLineAndExitsTwo() {
        Run nothing = run("submit", "a.out");
        assertEquals(new Run(2, "", "verifarm submit: nothing to check: give --resolve, --copy, --discover or"
                + " --hazards\n"), nothing);
    }

    @Test
    void theCoordinatorOptionHoldsBeforeOrAfterTheCommand() {
        String refused = "verifarm jobs: the coordinator must be HOST:PORT, got 'nowhere'\n";
        assertEquals(new Run(2, "", refused), run("--coordinator", "nowhere", "jobs"));
        assertEquals(new Run(2, "", refused), run("jobs", "--coordinator=nowhere"));
    }

    @Test
    void completionPrintsABashScriptThatKnowsEveryCommand() {
        Run completion = run("completion");
        assertEquals(0, completion.status(), completion.err());
        assertTrue(completion.out().contains("complete -F _complete_verifarm"),
                completion.out());
        COMMANDS.forEach(c -> assertTrue(completion.out().contains(c), c));
    }
}
