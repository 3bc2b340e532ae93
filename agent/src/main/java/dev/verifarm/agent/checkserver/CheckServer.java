package dev.verifarm.agent.checkserver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A resident JVM that runs checks for the native client (docs/checks.md, "The check server"), so a check pays
 * for a connection instead of a JVM's start. One per agent jar and user: a lock file beside the socket keeps a
 * second one from starting. It opens every artifact anew for every request (nothing about a file is kept between
 * calls), and stops by itself when idle for the idle timeout, when its jar changes on disk, and when a client
 * comes with another build of the jar: it removes its socket and gives up its lock first, so a new server can
 * start at once, and lets the checks under way finish. SIGTERM stops it the same way.
 */
public final class CheckServer {

    /** The exit status of a server that is not needed: another one holds the socket (the client waits for it). */
    public static final int ANOTHER_SERVER = 3;

    private static final Duration WATCH_PERIOD = Duration.ofSeconds(1);

    private final Path socket;
    private final Duration idleTimeout;
    private final CheckRunner runner;
    private final PrintStream log;
    private final Path jar;
    private final JarIdentity identity;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastActive = new AtomicLong(System.nanoTime());
    private ServerSocketChannel listener;
    private FileChannel lockFile;
    private boolean stopped;

    private CheckServer(Path socket, Duration idleTimeout, CheckRunner runner, PrintStream log, Path jar,
                        JarIdentity identity) {
        this.socket = socket;
        this.idleTimeout = idleTimeout;
        this.runner = runner;
        this.log = log;
        this.jar = jar;
        this.identity = identity;
    }

    /**
     * Serves on {@code socket} until it stops; returns 0 then, {@link #ANOTHER_SERVER} when another server holds
     * the socket.
     * @throws IOException when the socket's directory is not one only this user can enter, or the socket cannot
     *                     be made
     */
    public static int serve(Path socket, Duration idleTimeout, CheckRunner runner, PrintStream log)
            throws IOException, InterruptedException {
        Path absolute = socket.toAbsolutePath();
        SocketDirectory.prepare(absolute.getParent());
        Path jar = JarIdentity.runningJar();
        return new CheckServer(absolute, idleTimeout, runner, log, jar, JarIdentity.of(jar)).serve();
    }

    private int serve() throws IOException, InterruptedException {
        Path lock = socket.resolveSibling(socket.getFileName() + ".lock");
        lockFile = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lockFile.tryLock();
        if (held == null) {
            lockFile.close();
            log("another check server holds " + lock + ": this one is not needed");
            return ANOTHER_SERVER;
        }
        Files.deleteIfExists(socket); // a server killed without a chance to remove it left it: the lock is ours
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        log("check server " + ProcessHandle.current().pid() + " listening on " + socket + " for " + jar + " ("
                + identity.value() + "), idle timeout " + idleTimeout);
        ExecutorService checks = Executors.newFixedThreadPool(Math.max(2, 2 * Runtime.getRuntime()
                .availableProcessors()), daemon("check"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // SIGTERM: as when idle, the checks under way finish
            stop("the JVM is shutting down");
            checks.shutdown();
            try {
                checks.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "check-server-shutdown"));
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(daemon("watch"));
        watch.scheduleWithFixedDelay(this::watch, WATCH_PERIOD.toMillis(), WATCH_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            while (true) {
                SocketChannel client = listener.accept();
                running.incrementAndGet();
                checks.execute(() -> answer(client));
            }
        } catch (ClosedChannelException e) {
            // stop() closed it
        } finally {
            stop("the listener failed");
            watch.shutdownNow();
            checks.shutdown();
            checks.awaitTermination(1, TimeUnit.HOURS);
        }
        log("check server " + ProcessHandle.current().pid() + " stopped");
        return 0;
    }

    private void answer(SocketChannel client) {
        try (client;
             DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)))) {
            Frames.Request request = Frames.readRequest(in);
            if (!request.jarIdentity().equals(identity.value())) {
                stop("a client runs " + jar + " as " + request.jarIdentity() + ", this server " + identity.value());
                Frames.write(out, Frames.STALE, ("this check server runs another build of " + jar)
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int status;
            try (PrintStream o = new PrintStream(stdout, true); PrintStream e = new PrintStream(stderr, true)) {
                status = runner.run(request.args(), Path.of(request.workingDirectory()), o, e);
            }
            Frames.write(out, Frames.STDOUT, stdout.toByteArray());
            Frames.write(out, Frames.STDERR, stderr.toByteArray());
            Frames.writeExit(out, status);
        } catch (IOException | RuntimeException e) {
            // the client gets no EXIT frame and runs the check in a JVM of its own
            log("a request failed: " + e);
        } finally {
            lastActive.set(System.nanoTime());
            running.decrementAndGet();
        }
    }

    /** Stops when idle too long or when the jar is no longer the one this JVM loaded. */
    private void watch() {
        try {
            if (!JarIdentity.of(jar).equals(identity)) {
                stop(jar + " changed on disk");
            }
        } catch (IOException e) {
            stop(jar + " is gone: " + e.getMessage());
        }
        if (running.get() == 0 && System.nanoTime() - lastActive.get() > idleTimeout.toNanos()) {
            stop("idle for " + idleTimeout);
        }
    }

    /** Takes no more clients: the socket goes, then the lock, so a new server may start while these finish. */
    private synchronized void stop(String why) {
        if (stopped) {
            return;
        }
        stopped = true;
        log("stopping: " + why);
        try {
            listener.close();
            Files.deleteIfExists(socket);
            lockFile.close();
        } catch (IOException e) {
            log("while stopping: " + e);
        }
    }

    private void log(String line) {
        synchronized (log) {
            log.println(Instant.now() + " " + line);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "check-server-" + name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
