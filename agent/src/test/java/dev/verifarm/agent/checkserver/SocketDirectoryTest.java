package dev.verifarm.agent.checkserver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SocketDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsMadeForItsOwnerAlone() throws IOException {
        Path sockets = SocketDirectory.prepare(dir.resolve("sockets"));

        assertEquals(SocketDirectory.OWNER_ONLY, Files.getPosixFilePermissions(sockets));
    }

    @Test
    void aDirectoryOthersMayEnterIsRefusedWithTheFix() throws IOException {
        Path sockets = Files.createDirectory(dir.resolve("sockets"));
        Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString("rwx--x---"));

        IOException refused = assertThrows(IOException.class, () -> SocketDirectory.prepare(sockets));

        assertTrue(refused.getMessage().endsWith("chmod 700 " + sockets), refused.getMessage());
    }

    @Test
    void aLinkIsRefusedEvenToAGoodDirectory() throws IOException {
        Path real = SocketDirectory.prepare(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("sockets"), real);

        IOException refused = assertThrows(IOException.class, () -> SocketDirectory.prepare(link));

        assertTrue(refused.getMessage().contains("is not a directory (a link or a file)"), refused.getMessage());
    }

    @Test
    void anotherUsersDirectoryIsRefused() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
        Path sockets = SocketDirectory.prepare(dir.resolve("sockets"));
        UserPrincipal nobody = sockets.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(sockets, nobody);

        IOException refused = assertThrows(IOException.class, () -> SocketDirectory.prepare(sockets));

        assertTrue(refused.getMessage().contains("belongs to nobody, not to root"), refused.getMessage());
    }
}
