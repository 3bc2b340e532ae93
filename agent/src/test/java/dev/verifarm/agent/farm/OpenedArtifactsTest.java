package dev.verifarm.agent.farm;

import dev.verifarm.agent.check.ArtifactSource;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenedArtifactsTest {

    private static final Path AMD64 = new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary();
    private static final Path ARM64 = new StubsFixture(GoArch.ARM64, BuildVariant.DEFAULT).binary();

    @TempDir
    Path dir;

    /** Opens real artifacts and counts, per path, how often each was opened and closed. */
    private static final class CountingSource implements ArtifactSource {
        final Map<Path, AtomicInteger> opens = new ConcurrentHashMap<>();
        final Map<Path, AtomicInteger> closes = new ConcurrentHashMap<>();

        @Override
        public Use open(Path path) throws IOException, ElfFormatException {
            Use use = FRESH.open(path);
            opens.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            return new Use(use.artifact(), () -> {
                closes.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                use.close();
            });
        }

        int opens(Path path) {
            return opens.getOrDefault(path, new AtomicInteger()).get();
        }

        int closes(Path path) {
            return closes.getOrDefault(path, new AtomicInteger()).get();
        }
    }

    /** Decodes main.memcpyish.abi0, which a closed artifact's disassembler refuses to do. */
    private static boolean decodesTheBody(Artifact artifact) throws ElfFormatException {
        CodeSymbol body = artifact.symbols().symtabFunctions("main.memcpyish.abi0").get(0);
        return !artifact.decode(artifact.text(body.address(), body.size()), body.address()).isEmpty();
    }

    private Path copy(Path binary, String name) throws IOException {
        return Files.copy(binary, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static long size(Path... files) throws IOException {
        long sum = 0;
        for (Path f : files) {
            sum += Files.size(f);
        }
        return sum;
    }

    @Test
    void aSecondRequestOnTheSameArtifactDoesNotOpenItAgain() {
        CountingSource source = new CountingSource();
        CheckEngine engine = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()),
                new OpenedArtifacts(1L << 30, source));
        CheckRequest request = new CheckRequest(List.of(StubsFixture.RESOLVE_STUB), false, ExecutionMode.STATIC);

        Report first = engine.check(AMD64, request);
        Report second = engine.check(AMD64, request);

        assertEquals(1, source.opens(AMD64));
        assertEquals(0, source.closes(AMD64));
        assertEquals(Verdict.MATCH, second.results().get(0).verdict());
        assertEquals(first, second);
    }

    @Test
    void theLeastRecentlyUsedArtifactIsClosedWhenTheLimitIsReached() throws Exception {
        Path a = copy(AMD64, "a");
        Path b = copy(AMD64, "b");
        Path c = copy(AMD64, "c");
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(size(a, b), source);
        opened.open(a).close();
        opened.open(b).close();
        opened.open(a).close(); // a is now more recently used than b

        opened.open(c).close();

        assertEquals(1, source.closes(b), "b, the least recently used, is closed");
        assertEquals(0, source.closes(c));
        opened.open(a).close();
        assertEquals(1, source.opens(a), "a stayed opened");
        assertEquals(2, opened.size());
    }

    @Test
    void anEvictedArtifactInUseIsClosedOnlyWhenItsLastUserGivesItBack() throws Exception {
        Path a = copy(AMD64, "a");
        Path b = copy(AMD64, "b");
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(size(a), source);
        ArtifactSource.Use first = opened.open(a);
        ArtifactSource.Use second = opened.open(a);

        opened.open(b).close(); // evicts a, which two requests still use

        assertEquals(0, source.closes(a));
        Artifact artifact = first.artifact();
        assertTrue(decodesTheBody(artifact), "still decodes after eviction");
        first.close();
        first.close(); // a second close of one use gives nothing back twice
        assertEquals(0, source.closes(a));
        second.close();
        assertEquals(1, source.closes(a));
    }

    @Test
    void aFileTheCacheDeletedIsClosedOnceUnusedSoItsSpaceIsFreed() throws Exception {
        Path a = copy(AMD64, "a");
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(1L << 30, source);
        opened.open(a).close();
        ArtifactSource.Use inUse = opened.open(a);

        opened.forget(a);

        assertEquals(0, source.closes(a), "a lease still reads it");
        inUse.close();
        assertEquals(1, source.closes(a));
        assertEquals(0, opened.size());
    }

    @Test
    void aRewrittenHostFileIsOpenedAndHashedAgain() throws Exception {
        Path host = copy(AMD64, "host-binary");
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(1L << 30, source);
        String before;
        try (ArtifactSource.Use use = opened.open(host)) {
            before = use.artifact().info().sha256();
        }

        Path replacement = copy(ARM64, "replacement");
        Files.move(replacement, host, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        try (ArtifactSource.Use use = opened.open(host)) {
            assertNotEquals(before, use.artifact().info().sha256());
            assertEquals("arm64", use.artifact().info().architecture());
        }
        assertEquals(2, source.opens(host));
        assertEquals(1, source.closes(host), "the stale artifact is closed, not kept beside the new one");
    }

    @Test
    void aFileModifiedInPlaceIsOpenedAgain() throws Exception {
        Path host = copy(AMD64, "host-binary");
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(1L << 30, source);
        opened.open(host).close();

        // same inode and size: only the modification time tells
        Files.write(host, Files.readAllBytes(host));
        Files.setLastModifiedTime(host, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        opened.open(host).close();

        assertEquals(2, source.opens(host));
    }

    @Test
    void aFileThatCannotBeOpenedIsNotKept() throws Exception {
        Path notElf = Files.writeString(dir.resolve("not-elf"), "#!/bin/sh\n");
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(1L << 30, source);

        assertThrows(ElfFormatException.class, () -> opened.open(notElf));
        assertThrows(ElfFormatException.class, () -> opened.open(notElf));

        assertEquals(0, opened.size());
    }

    @Test
    void concurrentRequestsOnOneArtifactOpenItOnceAndShareIt() throws Exception {
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(1L << 30, source);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Artifact>> uses = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                uses.add(pool.submit(() -> {
                    start.await();
                    try (ArtifactSource.Use use = opened.open(AMD64)) {
                        return use.artifact();
                    }
                }));
            }
            start.countDown();
            Set<Artifact> seen = ConcurrentHashMap.newKeySet();
            for (Future<Artifact> use : uses) {
                seen.add(use.get());
            }
            assertEquals(1, seen.size());
            assertEquals(1, source.opens(AMD64));
            try (ArtifactSource.Use use = opened.open(AMD64)) {
                assertSame(seen.iterator().next(), use.artifact());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRequestsOverMoreArtifactsThanFitCloseEachExactlyOnceAfterUse() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(copy(AMD64, "f" + i));
        }
        CountingSource source = new CountingSource();
        OpenedArtifacts opened = new OpenedArtifacts(size(files.get(0)) * 2, source);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Path file = files.get(i % files.size());
                work.add(pool.submit(() -> {
                    try (ArtifactSource.Use use = opened.open(file)) {
                        Artifact artifact = use.artifact();
                        // a closed disassembler would refuse: no use ever sees its artifact closed under it
                        assertTrue(decodesTheBody(artifact));
                    }
                    return null;
                }));
            }
            for (Future<?> w : work) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int stillOpen = 0;
        for (Path f : files) {
            int open = source.opens(f) - source.closes(f);
            assertTrue(open == 0 || open == 1, f + ": opened " + source.opens(f) + ", closed " + source.closes(f));
            stillOpen += open;
        }
        assertEquals(opened.size(), stillOpen, "what is not kept was closed, and only that");
        assertTrue(opened.size() <= 2);
    }
}
