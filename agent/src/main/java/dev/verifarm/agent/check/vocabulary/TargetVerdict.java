package dev.verifarm.agent.check.vocabulary;

import dev.verifarm.agent.symbols.GoFunction;

/** Compares an address a resolver yields with the target's body and wrapper. */
public final class TargetVerdict {

    private TargetVerdict() {
    }

    public static TargetInfo info(GoFunction target) {
        return new TargetInfo(target.name(), target.body().name(), target.body().address(), target.body().size(),
                target.pclntabEnd(), target.wrapper().map(w -> w.address()));
    }

    public static Verdict classify(long address, GoFunction target) {
        if (address == target.body().address()) {
            return Verdict.MATCH;
        }
        if (target.wrapper().isPresent() && address == target.wrapper().get().address()) {
            return Verdict.WRAPPER;
        }
        return Verdict.MISMATCH;
    }

    public static String explain(Verdict verdict, Location resolved, GoFunction target) {
        return switch (verdict) {
            case MATCH -> "yields the body " + target.body().name() + " at 0x" + Long.toHexString(resolved.address());
            case WRAPPER -> "yields the ABI wrapper " + target.wrapper().orElseThrow().name() + " at 0x"
                    + Long.toHexString(resolved.address()) + ", not the body " + target.body().name() + " at 0x"
                    + Long.toHexString(target.body().address());
            default -> "yields " + resolved + ", not the body " + target.body().name() + " at 0x"
                    + Long.toHexString(target.body().address())
                    + target.wrapper().map(w -> " (nor its wrapper at 0x" + Long.toHexString(w.address()) + ")")
                    .orElse("");
        };
    }
}
