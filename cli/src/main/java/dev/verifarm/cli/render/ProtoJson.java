package dev.verifarm.cli.render;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import java.io.PrintStream;

/** A wire message in protobuf's canonical JSON, field names in lowerCamelCase, for scripts. */
public final class ProtoJson {
    private ProtoJson() {
    }

    public static void print(MessageOrBuilder message, PrintStream out) {
        try {
            out.println(JsonFormat.printer().print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message from the coordinator cannot be printed as JSON", e);
        }
    }
}
