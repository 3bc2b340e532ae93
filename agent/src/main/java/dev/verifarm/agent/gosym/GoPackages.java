package dev.verifarm.agent.gosym;

import java.util.Optional;
import java.util.Set;

/**
 * Which package a Go symbol belongs to, and whether that package is Go's own. A standard package's path has no
 * dot in its first element ({@code runtime}, {@code internal/abi}, {@code vendor/golang.org/x/net}); a module
 * path may have none either ({@code example}), so the binary's own module paths decide first.
 */
public final class GoPackages {

    private final Set<String> modulePaths;

    public GoPackages(Set<String> modulePaths) {
        this.modulePaths = Set.copyOf(modulePaths);
    }

    /**
     * The package path of a function or data symbol name: {@code crypto/elliptic.(*nistCurve[...]).Add} is in
     * {@code crypto/elliptic}, {@code main.memcpy} in {@code main}; empty for a name with no package
     * ({@code go:buildid}, a section+offset).
     */
    public static Optional<String> packageOf(String symbol) {
        int bracket = symbol.indexOf('[');
        String head = bracket < 0 ? symbol : symbol.substring(0, bracket); // type arguments may hold any path
        int slash = head.lastIndexOf('/');
        int dot = head.indexOf('.', slash + 1);
        if (dot <= 0 || head.indexOf(':') >= 0 && head.indexOf(':') < dot) {
            return Optional.empty();
        }
        return Optional.of(head.substring(0, dot));
    }

    /** Whether the package is part of Go's standard library (the runtime and everything the toolchain ships). */
    public boolean isStandard(String packagePath) {
        if (packagePath.equals("main") || packagePath.isEmpty()) {
            return false;
        }
        for (String module : modulePaths) {
            if (packagePath.equals(module) || packagePath.startsWith(module + "/")) {
                return false;
            }
        }
        int slash = packagePath.indexOf('/');
        String first = slash < 0 ? packagePath : packagePath.substring(0, slash);
        return !first.contains(".");
    }
}
