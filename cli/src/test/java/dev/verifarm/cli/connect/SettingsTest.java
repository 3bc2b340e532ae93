package dev.verifarm.cli.connect;

import dev.verifarm.cli.exit.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {
    @TempDir
    Path home;

    @Test
    void withNothingConfiguredItIsLocalhostPlaintextWithoutAToken() {
        Settings settings = Settings.resolve(Optional.empty(), Optional.empty(), Map.of("HOME", home.toString()));
        assertEquals(new Settings("localhost", 9090, Optional.empty(), Optional.empty()), settings);
    }

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheConfigFile() throws IOException {
        config("coordinator=file:1\ntoken=from-file\n");
        Map<String, String> env = Map.of("HOME", home.toString(), "VERIFARM_COORDINATOR", "env:2");
        assertEquals("file:1", Settings.resolve(Optional.empty(), Optional.empty(),
                Map.of("HOME", home.toString())).target());
        assertEquals("env:2", Settings.resolve(Optional.empty(), Optional.empty(), env).target());
        assertEquals("flag:3", Settings.resolve(Optional.of("flag:3"), Optional.empty(), env).target());
        assertEquals(Optional.of("from-file"), Settings.resolve(Optional.empty(), Optional.empty(), env).token());
        assertEquals(Optional.of("from-env"), Settings.resolve(Optional.empty(), Optional.empty(),
                Map.of("HOME", home.toString(), "VERIFARM_TOKEN", "from-env")).token());
    }

    @Test
    void anIpv6CoordinatorLosesItsBrackets() {
        assertEquals("::1", Settings.resolve(Optional.of("[::1]:9090"), Optional.empty(), Map.of()).host());
    }

    @Test
    void aCoordinatorWithoutAPortIsRefused() {
        CliException e = assertThrows(CliException.class,
                () -> Settings.resolve(Optional.of("farm.example"), Optional.empty(), Map.of()));
        assertEquals("the coordinator must be HOST:PORT, got 'farm.example'", e.getMessage());
        CliException port = assertThrows(CliException.class,
                () -> Settings.resolve(Optional.of("farm:99999"), Optional.empty(), Map.of()));
        assertEquals("the coordinator's port must be a number from 1 to 65535, got '99999'", port.getMessage());
    }

    @Test
    void anUnknownKeyInTheConfigFileIsRefusedWithItsName() throws IOException {
        config("coordinater=farm:9090\n");
        CliException e = assertThrows(CliException.class,
                () -> Settings.resolve(Optional.empty(), Optional.empty(), Map.of("HOME", home.toString())));
        assertEquals("the config file " + home.resolve(".config/verifarm/cli.properties")
                + " has an unknown key 'coordinater' (known: coordinator, token, tls-ca)", e.getMessage());
    }

    @Test
    void anUnreadableCaFileIsRefused() {
        CliException e = assertThrows(CliException.class, () -> Settings.resolve(Optional.empty(),
                Optional.of(home.resolve("missing.pem").toString()), Map.of("HOME", home.toString())));
        assertEquals("the TLS CA file " + home.resolve("missing.pem") + " cannot be read", e.getMessage());
    }

    private void config(String text) throws IOException {
        Path file = home.resolve(".config/verifarm/cli.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
