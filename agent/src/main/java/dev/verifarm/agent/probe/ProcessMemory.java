package dev.verifarm.agent.probe;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A live process's address space, through /proc/PID/maps and /proc/PID/mem. */
final class ProcessMemory {

    /** One line of /proc/PID/maps. */
    record Mapping(long start, long end, String permissions, long offset, String path) {
    }

    private final long pid;

    ProcessMemory(long pid) {
        this.pid = pid;
    }

    List<Mapping> mappings() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).stream().map(ProcessMemory::parse).toList();
    }

    private static Mapping parse(String line) {
        String[] f = line.trim().split("\\s+", 6);
        String[] range = f[0].split("-");
        return new Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16), f[1],
                Long.parseUnsignedLong(f[2], 16), f.length == 6 ? f[5] : "");
    }

    /** The lowest mapping of the file at offset 0: where the loader put the file's first page. */
    Optional<Mapping> imageOf(Path file) throws IOException {
        String real = file.toRealPath().toString();
        return mappings().stream().filter(m -> m.offset() == 0 && m.path().equals(real)).findFirst();
    }

    /** The process's real user id, from the {@code Uid:} line of /proc/PID/status. */
    OptionalLong uid() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[1]).mapToLong(Long::parseLong)
                .findFirst();
    }

    byte[] read(long address, int length) throws IOException {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            byte[] out = new byte[length];
            mem.readFully(out);
            return out;
        }
    }
}
