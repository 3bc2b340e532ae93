package dev.verifarm.agent.farm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPathsTest {

    @Test
    void anAbsoluteNormalPathIsOpenedAsGiven() throws IOException {
        assertEquals(Path.of("/usr/bin/true"), HostPaths.require("/usr/bin/true"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "usr/bin/true", "/usr/../etc/shadow", "/usr/./bin/true", "/usr//bin/true",
            "/usr/bin/", "/usr/bin/true\u0000x"})
    void aPathThatIsNotAbsoluteAndNormalIsRefused(String path) {
        IOException e = assertThrows(IOException.class, () -> HostPaths.require(path));
        assertTrue(e.getMessage().startsWith("the host path"), e.getMessage());
    }
}
