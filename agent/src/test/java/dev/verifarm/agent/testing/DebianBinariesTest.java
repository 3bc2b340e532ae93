package dev.verifarm.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.testing.ToolchainTruth.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Debian's stripped Go binaries have the pclntab layouts docs/design.md section 6 lists. */
class DebianBinariesTest {
    // Go 1.18-1.19 pclntab header: magic 0xfffffff0, two zero bytes, pc quantum, pointer size.
    private static byte[] pclntabHeader(GoArch arch) {
        return new byte[] {(byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0,
                (byte) (arch == GoArch.AMD64 ? 1 : 4), 8};
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void staticAndCgoExecutablesKeepGopclntab(GoArch arch) {
        for (Path binary : new Path[] {
                DebianBinaries.get("shfmt", arch.goarch(), "usr/bin/shfmt"),
                DebianBinaries.get("runc", arch.goarch(), "usr/sbin/runc")}) {
            assertStrippedGoBinary(binary, arch, "EXEC");
            assertTrue(ToolchainTruth.sectionsByName(binary).containsKey(".gopclntab"), binary + " has .gopclntab");
        }
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void internallyLinkedPieHasDataRelRoGopclntab(GoArch arch) {
        Path binary = DebianBinaries.get("age", arch.goarch(), "usr/bin/age-keygen");

        assertStrippedGoBinary(binary, arch, "DYN");
        Map<String, Section> sections = ToolchainTruth.sectionsByName(binary);
        assertTrue(sections.containsKey(".data.rel.ro.gopclntab"), "sections: " + sections.keySet());
        assertFalse(sections.containsKey(".gopclntab"));
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void externallyLinkedPieHidesPclntabInDataRelRo(GoArch arch) throws IOException {
        Path binary = DebianBinaries.get("age", arch.goarch(), "usr/bin/age");

        assertStrippedGoBinary(binary, arch, "DYN");
        Map<String, Section> sections = ToolchainTruth.sectionsByName(binary);
        assertFalse(sections.keySet().stream().anyMatch(n -> n.contains("gopclntab")), "sections: " + sections.keySet());
        Section relro = sections.get(".data.rel.ro");
        byte[] file = Files.readAllBytes(binary);
        long at = indexOf(file, pclntabHeader(arch));
        assertTrue(at >= relro.offset() && at < relro.offset() + relro.size(),
                "pclntab magic at file offset " + at + ", .data.rel.ro is " + relro);
    }

    private static void assertStrippedGoBinary(Path binary, GoArch arch, String type) {
        Map<String, String> header = ToolchainTruth.elfHeader(binary);
        assertEquals(arch == GoArch.AMD64 ? "Advanced Micro Devices X86-64" : "AArch64", header.get("Machine"));
        assertTrue(header.get("Type").startsWith(type), binary + " type " + header.get("Type"));
        assertTrue(ToolchainTruth.nmAll(binary).isEmpty(), binary + " should be stripped");
    }

    private static long indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
