package dev.verifarm.agent.checkserver;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which build of the agent jar a process runs, as {@code device:inode:size:mtime-nanoseconds} of the file: a
 * rebuilt jar differs in one of them, so a server whose jar changed under it knows it answers with old code. The
 * client (agent/src/main/go/verifarm-check) spells it the same way from the same stat fields.
 */
record JarIdentity(String value) {

    static JarIdentity of(Path jar) throws IOException {
        Map<String, Object> stat = Files.readAttributes(jar, "unix:dev,ino,size,lastModifiedTime");
        long mtime = ((FileTime) stat.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        return new JarIdentity(stat.get("dev") + ":" + stat.get("ino") + ":" + stat.get("size") + ":" + mtime);
    }

    /** The jar (or classes directory) this class was loaded from. */
    static Path runningJar() {
        try {
            return Path.of(JarIdentity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the agent's code source is not a file: " + e.getMessage(), e);
        }
    }
}
