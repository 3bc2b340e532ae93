package dev.verifarm.coordinator.api.grpc;

import dev.verifarm.coordinator.access.Caller;
import io.grpc.Context;

/** The caller of the current gRPC call, as {@link GrpcAuthentication} found it. */
final class GrpcCaller {
    static final Context.Key<Caller> KEY = Context.key("verifarm-caller");

    private GrpcCaller() {
    }

    static Caller current() {
        Caller caller = KEY.get();
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this call");
        }
        return caller;
    }
}
