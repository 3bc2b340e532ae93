package dev.verifarm.agent.check;

import dev.verifarm.agent.testing.AgentModule;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.ElfLayout;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.Mutation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the fuzzers' committed seed inputs from the real fixtures; how every file under
 * {@code src/test/resources/**}{@code /*FuzzTestInputs/} that is not a {@code crash-*} finding was made.
 * Run it after the fixtures change: {@code mvn test -Dtest=SeedCorpusWriter -Dverifarm.writeSeeds=true}.
 * Seeds stay small: ELF headers, prefixes of at most 4 KiB, compacted copies whose sections are cut to
 * 256 bytes, pclntab windows of 256 bytes, and edit scripts; never a whole binary.
 */
@EnabledIfSystemProperty(named = "verifarm.writeSeeds", matches = "true")
class SeedCorpusWriter {

    private static final int PREFIX = 4096;
    private static final int SECTION_CAP = 256;
    private static final int PCLNTAB_WINDOW = 256;
    private static final List<BuildVariant> VARIANTS = List.of(BuildVariant.DEFAULT, BuildVariant.PIE_STRIPPED,
            BuildVariant.EXTERNAL);

    @Test
    void writeSeeds() throws IOException {
        Path resources = AgentModule.dir().resolve("src/test/resources/dev/verifarm/agent");
        Path elf = clean(resources.resolve("elf/ElfFileFuzzTestInputs/parse"));
        Path arbitrary = clean(resources.resolve("check/CheckEngineFuzzTestInputs/arbitraryFile"));
        Path mutated = clean(resources.resolve("check/CheckEngineFuzzTestInputs/mutatedFixture"));
        Path pclntab = clean(resources.resolve("gosym/PclntabFuzzTestInputs/parse"));
        for (GoArch arch : GoArch.values()) {
            for (BuildVariant variant : VARIANTS) {
                ElfLayout layout = ElfLayout.stubs(arch, variant);
                String name = "stubs-" + arch.goarch() + "-" + variant.id();
                for (Path dir : List.of(elf, arbitrary)) {
                    Files.write(dir.resolve(name + "-prefix"), Arrays.copyOf(layout.bytes(), PREFIX));
                    Files.write(dir.resolve(name + "-compacted"), compacted(layout));
                }
                Files.write(mutated.resolve(name + "-unchanged"),
                        new Mutation.Script(arch, variant, List.of()).encode());
            }
            ElfLayout layout = ElfLayout.stubs(arch, BuildVariant.DEFAULT);
            for (int window = 0; window < ElfLayout.PCLNTAB_WINDOWS; window++) {
                // the selector byte (arch, window), then the window's original bytes
                byte[] seed = new byte[1 + PCLNTAB_WINDOW];
                seed[0] = (byte) ((arch == GoArch.ARM64 ? 1 : 0) | window << 1);
                System.arraycopy(layout.bytes(), (int) layout.pclntabWindow(window), seed, 1, PCLNTAB_WINDOW);
                Files.write(pclntab.resolve("stubs-" + arch.goarch() + "-window" + window), seed);
            }
            for (MalformedElfTest.Case c : MalformedElfTest.cases()) {
                try {
                    byte[] script = new Mutation.Script(arch, BuildVariant.DEFAULT, c.mutations().apply(layout)).encode();
                    Files.write(mutated.resolve(arch.goarch() + "-" + slug(c.name())), script);
                } catch (IllegalArgumentException e) {
                    // a value wider than the fuzzer's 32-bit field (2^31 symbols): the deterministic test has it
                }
            }
        }
    }

    /**
     * The headers with every section cut to {@link #SECTION_CAP} bytes (.shstrtab kept whole) and packed after
     * the section header table, offsets rewritten; PT_LOAD segments clipped to the smaller file.
     */
    static byte[] compacted(ElfLayout l) {
        byte[] src = l.bytes();
        int phEnd = (int) l.programHeader(l.phnum());
        int shEnd = (int) (l.shoff() + (long) l.shnum() * ElfLayout.SHDR_SIZE);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] head = new byte[Math.max(phEnd, ElfLayout.EHDR_SIZE)];
        System.arraycopy(src, 0, head, 0, head.length);
        byte[] shdrs = Arrays.copyOfRange(src, (int) l.shoff(), shEnd);
        long next = head.length + shdrs.length;
        for (int i = 1; i < l.shnum(); i++) {
            int sh = i * ElfLayout.SHDR_SIZE;
            long type = ElfLayout.u32(shdrs, sh + 4);
            long offset = ElfLayout.u64(shdrs, sh + ElfLayout.SH_OFFSET);
            long size = ElfLayout.u64(shdrs, sh + ElfLayout.SH_SIZE);
            if (type == 8 || size == 0) {
                continue;
            }
            long kept = i == l.shstrndx() ? size : Math.min(size, SECTION_CAP);
            body.write(src, (int) offset, (int) kept);
            ElfLayout.put(shdrs, sh + ElfLayout.SH_OFFSET, next, 8);
            ElfLayout.put(shdrs, sh + ElfLayout.SH_SIZE, kept, 8);
            next += kept;
        }
        ElfLayout.put(head, ElfLayout.E_SHOFF, head.length, 8);
        for (int i = 0; i < l.phnum(); i++) {
            int ph = (int) l.programHeader(i);
            if (ElfLayout.u32(head, ph) == 1) {
                ElfLayout.put(head, ph + ElfLayout.P_OFFSET, 0, 8);
                ElfLayout.put(head, ph + ElfLayout.P_FILESZ, Math.min(next, ElfLayout.u64(head, ph + ElfLayout.P_FILESZ)), 8);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head);
        all.writeBytes(shdrs);
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    private static Path clean(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("crash-")).toList()) {
                Files.delete(f);
            }
        }
        return dir;
    }

    private static String slug(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
