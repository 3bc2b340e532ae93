package dev.verifarm.agent.check.hazard;

import dev.verifarm.agent.check.vocabulary.SuggestedFix;

import java.util.List;
import java.util.Locale;

/**
 * The fix gVisor made for its safecopy functions, written out for one assembly function: a resolver stub whose
 * asm→asm reference resolves straight to the body, to call instead of taking the function's value.
 */
final class ResolverStubFix {

    private ResolverStubFix() {
    }

    /** The stub for {@code function} ({@code main.memcpy}, {@code gvisor.dev/gvisor/pkg/safecopy.memcpy}). */
    static SuggestedFix of(String function) {
        int slash = function.lastIndexOf('/');
        int dot = function.indexOf('.', slash + 1);
        String pkg = function.substring(0, dot);
        String local = function.substring(dot + 1);
        String stubLocal = "addrOf" + local.substring(0, 1).toUpperCase(Locale.ROOT) + local.substring(1);
        String stub = pkg + "." + stubLocal;
        String amd64 = """
                #include "textflag.h"

                // func %1$s() uintptr: the address of %2$s's body, not of its ABI wrapper.
                TEXT ·%1$s(SB), NOSPLIT, $0-8
                \tLEAQ ·%2$s(SB), AX
                \tMOVQ AX, ret+0(FP)
                \tRET
                """.formatted(stubLocal, local);
        String arm64 = """
                #include "textflag.h"

                // func %1$s() uintptr: the address of %2$s's body, not of its ABI wrapper.
                TEXT ·%1$s(SB), NOSPLIT, $0-8
                \tMOVD $·%2$s(SB), R0
                \tMOVD R0, ret+0(FP)
                \tRET
                """.formatted(stubLocal, local);
        String declaration = """
                // %1$s returns the address of %2$s's assembly body: use it where the
                // code used %2$s's func value as an address (reflect.ValueOf(%2$s).Pointer(),
                // a table of func values), which is the ABI wrapper, not the body.
                func %1$s() uintptr
                """.formatted(stubLocal, local);
        return new SuggestedFix(stub, declaration, amd64, arm64, List.of(
                "--resolve " + stub + "=" + function,
                "--copy " + stub + "=" + function + "@pclntab-end"));
    }
}
