package dev.verifarm.agent.probe;

import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SandboxTest {

    @Test
    void probeCannotReachEvenLoopbackInsideTheSandbox() throws Exception {
        // On the host a connection to 127.0.0.1:9 is refused by the kernel; in a fresh network namespace
        // loopback is down, so the probe must see "network is unreachable" instead.
        ElfFile plain = ElfFile.open(GoFixtures.build("plain", GoArch.AMD64, BuildVariant.DEFAULT));
        SandboxPolicy policy = new SandboxPolicy(Duration.ofSeconds(20), 4L << 30, false);

        ProbeSession session = new ProbeRunner(Sandbox.detect(policy)).run(plain);

        List<String> network = session.output().network();
        assertFalse(network.isEmpty(), "the probe reported no network attempt");
        for (String line : network) {
            assertTrue(line.startsWith("refused") && line.contains("network is unreachable"), line);
        }
    }

    @Test
    void probeOfARootAgentRunsAsNobody() throws Exception {
        ElfFile stubs = ElfFile.open(GoFixtures.build("stubs", GoArch.AMD64, BuildVariant.DEFAULT));

        ProbeSession session = new ProbeRunner(Sandbox.detect(SandboxPolicy.defaults())).run(stubs);

        long expected = "root".equals(System.getProperty("user.name"))
                ? Sandbox.UNPRIVILEGED_ID : new com.sun.security.auth.module.UnixSystem().getUid();
        assertEquals(expected, session.uid().orElseThrow());
        assertTrue(session.output().ready());
    }
}
