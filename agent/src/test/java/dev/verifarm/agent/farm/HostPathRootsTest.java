package dev.verifarm.agent.farm;

import dev.verifarm.agent.farm.HostPathRoots.HostPathRefusedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPathRootsTest {
    @TempDir
    Path dir;
    /** The one root of most tests, {@code dir/artifacts}. */
    Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createDirectories(dir.resolve("artifacts"));
    }

    private HostPathRoots rootAt(Path root) {
        return HostPathRoots.of(List.of(root));
    }

    private void assertRefused(HostPathRoots roots, String path) {
        HostPathRefusedException e = assertThrows(HostPathRefusedException.class, () -> roots.require(path));
        assertEquals("the host path '" + path.replace('\0', '?') + "' is not a readable regular file under this"
                + " agent's host-path roots (--host-path-root)", e.getMessage());
    }

    @Test
    void aFileUnderARootIsOpenedAtItsRealPath() throws Exception {
        Path file = Files.writeString(root.resolve("stubs"), "x");
        assertEquals(file.toRealPath(), rootAt(root).require(file.toString()));
    }

    @Test
    void aSymbolicLinkOutsideTheRootsToAFileUnderOneIsFollowed() throws Exception {
        Path file = Files.writeString(root.resolve("stubs"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertEquals(file.toRealPath(), rootAt(root).require(link.toString()));
    }

    @Test
    void aSymbolicLinkUnderARootToAFileOutsideIsRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "x");
        Path link = Files.createSymbolicLink(root.resolve("escape"), secret);
        assertRefused(rootAt(root), link.toString());
    }

    @Test
    void aFileOutsideTheRootsAMissingFileAndADirectoryGetTheSameAnswer() throws Exception {
        Files.createDirectories(root.resolve("subdir"));
        HostPathRoots roots = rootAt(root);
        assertRefused(roots, Files.writeString(dir.resolve("outside"), "x").toString());
        assertRefused(roots, root.resolve("missing").toString());
        assertRefused(roots, root.resolve("subdir").toString());
        assertRefused(roots, "/etc/passwd");
    }

    @Test
    void aFifoUnderARootIsNotARegularFile() throws Exception {
        Path fifo = root.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        assertRefused(rootAt(root), fifo.toString());
    }

    @Test
    void withoutRootsNoHostPathIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("stubs"), "x");
        assertRefused(HostPathRoots.of(List.of()), file.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "usr/bin/true", "/usr/../etc/shadow", "/usr/./bin/true", "/usr//bin/true",
            "/usr/bin/", "/usr/bin/true\u0000x"})
    void aPathThatIsNotAbsoluteAndNormalIsRefused(String path) {
        assertRefused(HostPathRoots.of(List.of(Path.of("/"))), path);
    }

    @Test
    void aRootThatIsNotADirectoryIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rootAt(file));
        assertEquals("--host-path-root " + file + " is not a directory", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rootAt(dir.resolve("missing")));
    }
}
