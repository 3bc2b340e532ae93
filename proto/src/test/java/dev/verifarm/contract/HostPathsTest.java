package dev.verifarm.contract;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPathsTest {

    @Test
    void aNormalAbsolutePathIsTakenAsItIs() {
        assertEquals("/opt/verifarm/artifacts/stubs", HostPaths.require("/opt/verifarm/artifacts/stubs"));
    }

    @Test
    void aPathThatIsNotNormalIsRefusedSayingWhy() {
        assertEquals("a host path must not contain '.' or '..' segments, got '/opt/x/../y'",
                assertThrows(ContractException.class, () -> HostPaths.require("/opt/x/../y")).getMessage());
        for (String path : List.of("", "opt/x", "/opt//x", "/opt/x/", "/opt/./x", "/opt/\u0000x", "/" + "x".repeat(4096))) {
            assertThrows(ContractException.class, () -> HostPaths.require(path), path);
        }
    }
}
