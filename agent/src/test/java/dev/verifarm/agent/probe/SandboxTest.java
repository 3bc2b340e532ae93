package dev.verifarm.agent.probe;

import dev.verifarm.agent.check.Cancellation;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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

        ProbeSession session = new ProbeRunner(Sandbox.detect(policy)).run(plain, new Cancellation());

        List<String> network = session.output().network();
        assertFalse(network.isEmpty(), "the probe reported no network attempt");
        for (String line : network) {
            assertTrue(line.startsWith("refused") && line.contains("network is unreachable"), line);
        }
    }

    @Test
    void cancellationKillsAProbeThatWouldWaitForItsWholeTimeLimit() throws Exception {
        // cat never speaks the protocol: it waits on the stdin the runner keeps open, until the 10-minute limit
        ElfFile cat = ElfFile.open(Path.of("/usr/bin/cat"));
        SandboxPolicy policy = new SandboxPolicy(Duration.ofMinutes(10), 4L << 30, false);
        Cancellation cancellation = new Cancellation();
        Set<Long> before = descendants();
        Sandbox sandbox = Sandbox.detect(policy);
        CompletableFuture<ProbeException> run = CompletableFuture.supplyAsync(() -> {
            try {
                new ProbeRunner(sandbox).run(cat, cancellation);
                return null;
            } catch (ProbeException e) {
                return e;
            }
        });
        Set<Long> probes = awaitNewDescendants(before);

        cancellation.cancel();

        ProbeException failure = run.get(30, TimeUnit.SECONDS);
        assertTrue(failure != null && failure.getMessage().startsWith("cancelled"), String.valueOf(failure));
        for (long pid : probes) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "probe " + pid + " lives");
        }
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static Set<Long> awaitNewDescendants(Set<Long> before) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Set<Long> now = descendants();
            now.removeAll(before);
            if (!now.isEmpty()) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the probe process never started");
    }

    @Test
    void probeOfARootAgentRunsAsNobody() throws Exception {
        ElfFile stubs = ElfFile.open(GoFixtures.build("stubs", GoArch.AMD64, BuildVariant.DEFAULT));

        ProbeSession session = new ProbeRunner(Sandbox.detect(SandboxPolicy.defaults())).run(stubs, new Cancellation());

        long expected = "root".equals(System.getProperty("user.name"))
                ? Sandbox.UNPRIVILEGED_ID : new com.sun.security.auth.module.UnixSystem().getUid();
        assertEquals(expected, session.uid().orElseThrow());
        assertTrue(session.output().ready());
    }
}
