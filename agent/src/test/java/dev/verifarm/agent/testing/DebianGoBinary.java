package dev.verifarm.agent.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One of Debian's stripped Go executables, with the pclntab layout it shows (docs/design.md section 6).
 *
 * @param pkg    the Debian package
 * @param file   the executable's path inside the package
 * @param layout where its pclntab lives
 */
public record DebianGoBinary(String pkg, String file, GoArch arch, Layout layout) {

    public enum Layout {
        /** Its own .gopclntab section: static and cgo executables. */
        GOPCLNTAB(".gopclntab"),
        /** .data.rel.ro.gopclntab: an internally linked PIE. */
        DATA_REL_RO_GOPCLNTAB(".data.rel.ro.gopclntab"),
        /** Somewhere inside .data.rel.ro, found by its magic only: an externally linked PIE. */
        INSIDE_DATA_REL_RO(".data.rel.ro");

        private final String section;

        Layout(String section) {
            this.section = section;
        }

        /** The section that holds the table. */
        public String section() {
            return section;
        }
    }

    private static final List<DebianGoBinary> PER_ARCH = List.of(
            new DebianGoBinary("shfmt", "usr/bin/shfmt", null, Layout.GOPCLNTAB),
            new DebianGoBinary("runc", "usr/sbin/runc", null, Layout.GOPCLNTAB),
            new DebianGoBinary("age", "usr/bin/age-keygen", null, Layout.DATA_REL_RO_GOPCLNTAB),
            new DebianGoBinary("age", "usr/bin/age", null, Layout.INSIDE_DATA_REL_RO));

    /** shfmt, runc, age-keygen and age for amd64 and arm64. */
    public static Stream<DebianGoBinary> all() {
        return Stream.of(GoArch.values())
                .flatMap(a -> PER_ARCH.stream().map(b -> new DebianGoBinary(b.pkg, b.file, a, b.layout)));
    }

    /** The unpacked executable, downloaded with apt-get on first use. */
    public Path path() {
        return DebianBinaries.get(pkg, arch.goarch(), file);
    }

    @Override
    public String toString() {
        return Path.of(file).getFileName() + " " + arch.goarch();
    }
}
