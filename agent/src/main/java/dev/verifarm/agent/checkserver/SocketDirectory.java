package dev.verifarm.agent.checkserver;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory the server's socket is in, which is what keeps other users out: anyone who can reach the socket
 * can make the server read files as its user. So it must be a real directory (not a link), owned by this user,
 * and entered by no one else (mode 0700); the server makes it so when it makes it, and refuses any other.
 */
final class SocketDirectory {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private SocketDirectory() {
    }

    /** {@code dir}, made 0700 if missing. @throws IOException naming what is wrong with it and what to do */
    static Path prepare(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have taken bits off, never added any
        } catch (FileAlreadyExistsException e) {
            // someone made it: judged below like any other
        }
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw new IOException(dir + " is not a directory (a link or a file): remove it, or choose another"
                    + " directory with VERIFARM_CHECK_SERVER_DIR");
        }
        String user = System.getProperty("user.name");
        if (!attributes.owner().getName().equals(user)) {
            throw new IOException(dir + " belongs to " + attributes.owner().getName() + ", not to " + user
                    + ": choose another directory with VERIFARM_CHECK_SERVER_DIR");
        }
        if (!attributes.permissions().equals(OWNER_ONLY)) {
            throw new IOException(dir + " is " + PosixFilePermissions.toString(attributes.permissions())
                    + ", where only its owner may enter (rwx------): chmod 700 " + dir);
        }
        return dir;
    }
}
