package dev.verifarm.agent.farm;

import dev.verifarm.agent.check.ArtifactSource;
import dev.verifarm.agent.elf.ElfFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The artifacts this agent has opened (hashed, tables parsed, disassembler loaded), kept for the next lease on the
 * same file: a nightly run sends each agent many jobs on one artifact. Kept by path and by the file's identity
 * (device, inode, size, modification and change times): a downloaded artifact's path is its verified sha256 and
 * never changes, while a host path that now names another or a rewritten file is opened and hashed again, never
 * served from what was opened before. At most {@code limitBytes} of artifact files stay open, the least recently
 * used closed first; an evicted artifact still in use is closed when its last lease gives it back.
 */
final class OpenedArtifacts implements ArtifactSource {

    private final long limitBytes;
    private final ArtifactSource opener;
    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<Path, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** {@code opener}: how an artifact not kept yet is opened; closing its use closes the artifact. */
    OpenedArtifacts(long limitBytes, ArtifactSource opener) {
        this.limitBytes = limitBytes;
        this.opener = opener;
    }

    private record FileIdentity(Object deviceAndInode, long size, FileTime modified, FileTime changed) {
        static FileIdentity of(Path path) throws IOException {
            Map<String, Object> stat = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,ctime");
            return new FileIdentity(stat.get("dev") + ":" + stat.get("ino"), (Long) stat.get("size"),
                    (FileTime) stat.get("lastModifiedTime"), (FileTime) stat.get("ctime"));
        }
    }

    /** One opened artifact; {@code users} and {@code evicted} are guarded by the cache. */
    private static final class Entry {
        final FileIdentity identity;
        final CompletableFuture<Use> opened = new CompletableFuture<>();
        int users;
        boolean evicted;

        Entry(FileIdentity identity) {
            this.identity = identity;
        }
    }

    @Override
    public Use open(Path path) throws IOException, ElfFormatException {
        FileIdentity identity = FileIdentity.of(path);
        Entry entry;
        boolean opensIt;
        synchronized (this) {
            entry = entries.get(path);
            if (entry != null && !entry.identity.equals(identity)) {
                evict(path, entry);
                entry = null;
            }
            opensIt = entry == null;
            if (opensIt) {
                entry = new Entry(identity);
                entries.put(path, entry);
                bytes += identity.size();
                trim(entry);
            }
            entry.users++;
        }
        if (opensIt) {
            openInto(path, entry);
        }
        Use use;
        try {
            use = awaitOpened(entry);
        } catch (IOException | ElfFormatException | RuntimeException e) {
            release(entry);
            throw e;
        }
        Entry held = entry;
        AtomicBoolean released = new AtomicBoolean();
        return new Use(use.artifact(), () -> {
            if (released.compareAndSet(false, true)) {
                release(held);
            }
        });
    }

    /** Opens outside the lock, so that leases on other artifacts are not held up meanwhile. */
    private void openInto(Path path, Entry entry) {
        try {
            Use use = opener.open(path);
            entry.opened.complete(use);
            // Rewritten while it was read: good for this lease, which asked while the file was being rewritten,
            // but what was read may mix the old and new contents, so it is not kept for the next one.
            if (!FileIdentity.of(path).equals(entry.identity)) {
                synchronized (this) {
                    evict(path, entry);
                }
            }
        } catch (IOException | ElfFormatException | RuntimeException | Error e) {
            entry.opened.completeExceptionally(e);
            synchronized (this) {
                evict(path, entry);
            }
        }
    }

    private static Use awaitOpened(Entry entry) throws IOException, ElfFormatException {
        try {
            return entry.opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof ElfFormatException format) {
                throw format;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Evicts least recently used entries other than {@code newest} until the kept bytes fit; then newest if need be. */
    private void trim(Entry newest) {
        for (Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator(); bytes > limitBytes && it.hasNext(); ) {
            Map.Entry<Path, Entry> eldest = it.next();
            if (eldest.getValue() != newest) {
                it.remove();
                dropped(eldest.getValue());
            }
        }
        if (bytes > limitBytes) {
            // larger than the whole limit by itself: used by the leases that asked for it, then closed
            entries.values().remove(newest);
            dropped(newest);
        }
    }

    private void evict(Path path, Entry entry) {
        if (entries.remove(path, entry)) {
            dropped(entry);
        }
    }

    private void dropped(Entry entry) {
        bytes -= entry.identity.size();
        entry.evicted = true;
        closeIfUnused(entry);
    }

    /** The file at {@code path} was deleted: close it once no lease uses it, so that its disk space is freed. */
    synchronized void forget(Path path) {
        Entry entry = entries.get(path);
        if (entry != null) {
            evict(path, entry);
        }
    }

    private synchronized void release(Entry entry) {
        entry.users--;
        closeIfUnused(entry);
    }

    private static void closeIfUnused(Entry entry) {
        if (entry.evicted && entry.users == 0 && entry.opened.isDone() && !entry.opened.isCompletedExceptionally()) {
            entry.opened.join().close();
        }
    }

    /** How many artifacts are kept open now, for the tests. */
    synchronized int size() {
        return entries.size();
    }
}
