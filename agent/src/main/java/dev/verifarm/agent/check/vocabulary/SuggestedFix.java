package dev.verifarm.agent.check.vocabulary;

import java.util.List;

/**
 * The resolver stub that yields an assembly function's body, written for the user to paste, and the expectations
 * that prove it once built.
 *
 * @param stub           the stub's Go name ({@code main.addrOfMemcpy})
 * @param goDeclaration  its declaration in the Go file beside the assembly function's
 * @param amd64          its TEXT block for the package's {@code _amd64.s}
 * @param arm64          its TEXT block for the package's {@code _arm64.s}
 * @param expectations   {@code check} options that prove the stub: {@code --resolve}, and {@code --copy} for code
 *                       whose text is copied elsewhere
 */
public record SuggestedFix(String stub, String goDeclaration, String amd64, String arm64, List<String> expectations) {

    public SuggestedFix {
        expectations = List.copyOf(expectations);
    }
}
