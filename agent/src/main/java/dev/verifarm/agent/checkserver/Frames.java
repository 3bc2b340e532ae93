package dev.verifarm.agent.checkserver;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire between client and server, one connection per check: frames of a kind byte, a big-endian 32-bit
 * length and that many bytes. The client sends JAR (its jar's identity), DIRECTORY (its working directory), one
 * ARG per argument and RUN; the server answers STDOUT, STDERR and EXIT (a 32-bit status), or STALE (a message)
 * when the client's jar is not the one the server runs. Strings are UTF-8.
 */
final class Frames {

    static final byte JAR = 'J';
    static final byte DIRECTORY = 'D';
    static final byte ARG = 'A';
    static final byte RUN = 'R';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte EXIT = 'X';
    static final byte STALE = 'S';

    /** More than any command line: a peer that claims more is not a client. */
    private static final int MAX_REQUEST_FRAME = 1 << 20;
    private static final int MAX_ARGS = 10_000;

    /** What a client asked for. */
    record Request(String jarIdentity, String workingDirectory, List<String> args) {
    }

    private Frames() {
    }

    static Request readRequest(DataInputStream in) throws IOException {
        String jar = null;
        String directory = null;
        List<String> args = new ArrayList<>();
        while (true) {
            byte kind = in.readByte();
            int length = in.readInt();
            if (length < 0 || length > MAX_REQUEST_FRAME) {
                throw new IOException("a request frame of " + length + " bytes");
            }
            byte[] payload = in.readNBytes(length);
            if (payload.length < length) {
                throw new EOFException("the request ended within a frame");
            }
            String text = new String(payload, StandardCharsets.UTF_8);
            switch (kind) {
                case JAR -> jar = text;
                case DIRECTORY -> directory = text;
                case ARG -> args.add(text);
                case RUN -> {
                    if (jar == null || directory == null) {
                        throw new IOException("a request without its jar identity or working directory");
                    }
                    return new Request(jar, directory, List.copyOf(args));
                }
                default -> throw new IOException("a request frame of unknown kind " + kind);
            }
            if (args.size() > MAX_ARGS) {
                throw new IOException("a request of more than " + MAX_ARGS + " arguments");
            }
        }
    }

    static void write(DataOutputStream out, byte kind, byte[] payload) throws IOException {
        out.writeByte(kind);
        out.writeInt(payload.length);
        out.write(payload);
    }

    static void writeExit(DataOutputStream out, int status) throws IOException {
        out.writeByte(EXIT);
        out.writeInt(4);
        out.writeInt(status);
    }
}
