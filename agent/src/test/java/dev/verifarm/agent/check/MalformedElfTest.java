package dev.verifarm.agent.check;

import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import static dev.verifarm.agent.testing.ElfLayout.E_IDENT_CLASS;
import static dev.verifarm.agent.testing.ElfLayout.E_IDENT_DATA;
import static dev.verifarm.agent.testing.ElfLayout.E_MACHINE;
import static dev.verifarm.agent.testing.ElfLayout.E_PHENTSIZE;
import static dev.verifarm.agent.testing.ElfLayout.E_PHOFF;
import static dev.verifarm.agent.testing.ElfLayout.E_SHENTSIZE;
import static dev.verifarm.agent.testing.ElfLayout.E_SHNUM;
import static dev.verifarm.agent.testing.ElfLayout.E_SHOFF;
import static dev.verifarm.agent.testing.ElfLayout.E_SHSTRNDX;
import static dev.verifarm.agent.testing.ElfLayout.E_TYPE;
import static dev.verifarm.agent.testing.ElfLayout.PCLN_FUNCNAME_OFFSET;
import static dev.verifarm.agent.testing.ElfLayout.PCLN_NFUNC;
import static dev.verifarm.agent.testing.ElfLayout.PCLN_PCLN_OFFSET;
import static dev.verifarm.agent.testing.ElfLayout.PCLN_TEXT_START;
import static dev.verifarm.agent.testing.ElfLayout.P_FILESZ;
import static dev.verifarm.agent.testing.ElfLayout.P_OFFSET;
import static dev.verifarm.agent.testing.ElfLayout.P_VADDR;
import static dev.verifarm.agent.testing.ElfLayout.SHDR_SIZE;
import static dev.verifarm.agent.testing.ElfLayout.SH_LINK;
import static dev.verifarm.agent.testing.ElfLayout.SH_OFFSET;
import static dev.verifarm.agent.testing.ElfLayout.SH_SIZE;
import static dev.verifarm.agent.testing.ElfLayout.SYM_SIZE;
import static dev.verifarm.agent.testing.Mutation.Region.BODY_TEXT;
import static dev.verifarm.agent.testing.Mutation.Region.ELF_HEADER;
import static dev.verifarm.agent.testing.Mutation.Region.PCLNTAB_HEADER;
import static dev.verifarm.agent.testing.Mutation.Region.PROGRAM_HEADERS;
import static dev.verifarm.agent.testing.Mutation.Region.SECTION_HEADERS;
import static dev.verifarm.agent.testing.Mutation.Region.STUB_TEXT;
import static dev.verifarm.agent.testing.Mutation.Region.SYMTAB;
import static dev.verifarm.agent.testing.Mutation.Region.WHOLE_FILE;
import static dev.verifarm.agent.testing.Mutation.set;
import static dev.verifarm.agent.testing.Mutation.truncate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.ElfLayout;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.HonestVerdicts;
import dev.verifarm.agent.testing.Mutation;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted copies of the real stubs fixtures (amd64 and arm64): truncated, with header fields, section and
 * program headers, symbols and pclntab fields overwritten. Each one is checked with
 * {@code --resolve main.addrOfMemcpyish=main.memcpyish} and must end quickly, without an exception, in ERROR
 * with a reason naming what is wrong, or, where nothing the check reads was touched, in an honest verdict:
 * never a MATCH that does not rest on the original stub and body.
 */
class MalformedElfTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final long MAX_ALLOCATION = 64L << 20;
    private static final CheckRequest RESOLVE = new CheckRequest(
            List.of(Expectation.resolve(ElfLayout.STUB, ElfLayout.TARGET)), false, ExecutionMode.STATIC);
    private static final CheckEngine ENGINE = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()));
    private static final String OUTSIDE = "past the end|outside|shorter than|not an ELF";
    private static final long TWO_TO_THE_31 = 1L << 31;

    @TempDir
    Path dir;

    /** A corruption, and the verdict and reason it must give (empty: any honest verdict). */
    record Case(String name, Function<ElfLayout, List<Mutation>> mutations, Optional<Verdict> verdict,
                Optional<Pattern> reason) {

        static Case error(String name, String reason, Function<ElfLayout, List<Mutation>> mutations) {
            return verdict(Verdict.ERROR, name, reason, mutations);
        }

        static Case verdict(Verdict verdict, String name, String reason, Function<ElfLayout, List<Mutation>> mutations) {
            return new Case(name, mutations, Optional.of(verdict),
                    Optional.of(Pattern.compile(reason, Pattern.CASE_INSENSITIVE)));
        }

        static Case honest(String name, Function<ElfLayout, List<Mutation>> mutations) {
            return new Case(name, mutations, Optional.empty(), Optional.empty());
        }
    }

    /** Every case, shared with the engine fuzzer's seeds. */
    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (int at : new int[] {0, 1, 4, 15, 16, 17, 40, 63}) {
            all.add(Case.error("truncated at " + at + " inside the ELF header", OUTSIDE,
                    l -> List.of(truncate(ELF_HEADER, at))));
        }
        all.add(Case.error("truncated inside the program headers", "program header table",
                l -> List.of(truncate(PROGRAM_HEADERS, 10))));
        all.add(Case.error("truncated at the last program header byte", "program header table|PT_LOAD segment",
                l -> List.of(truncate(PROGRAM_HEADERS, l.phnum() * ElfLayout.PHDR_SIZE - 1))));
        all.add(Case.error("truncated inside the stub's text", OUTSIDE, l -> List.of(truncate(STUB_TEXT, 3))));
        all.add(Case.error("truncated inside the body's text", OUTSIDE, l -> List.of(truncate(BODY_TEXT, 4))));
        all.add(Case.error("truncated inside .symtab", OUTSIDE, l -> List.of(truncate(SYMTAB, 100))));
        all.add(Case.error("truncated inside the pclntab header", OUTSIDE, l -> List.of(truncate(PCLNTAB_HEADER, 8))));
        all.add(Case.error("truncated inside the section headers", "section header table|PT_LOAD segment",
                l -> List.of(truncate(SECTION_HEADERS, 10))));
        all.add(Case.error("truncated by one byte", OUTSIDE,
                l -> List.of(truncate(SECTION_HEADERS, l.shnum() * SHDR_SIZE - 1))));
        for (int step = 1; step < 8; step++) {
            int at = step * 0x2000;
            all.add(Case.error("truncated at " + step + "/8 of the file", OUTSIDE, l -> List.of(truncate(WHOLE_FILE, at))));
        }

        all.add(Case.error("not an ELF magic", "not an ELF", l -> List.of(set(ELF_HEADER, 1, 1, 'X'))));
        all.add(Case.error("32-bit identity", "32-bit", l -> List.of(set(ELF_HEADER, E_IDENT_CLASS, 1, 1))));
        all.add(Case.error("unknown ELF class", "ELF class", l -> List.of(set(ELF_HEADER, E_IDENT_CLASS, 1, 7))));
        all.add(Case.error("big-endian identity", "big-endian", l -> List.of(set(ELF_HEADER, E_IDENT_DATA, 1, 2))));
        all.add(Case.error("unknown e_machine", "e_machine=3", l -> List.of(set(ELF_HEADER, E_MACHINE, 2, 3))));
        all.add(Case.error("relocatable e_type", "e_type=1", l -> List.of(set(ELF_HEADER, E_TYPE, 2, 1))));
        all.add(Case.error("e_phoff huge", "program header table", l -> List.of(set(ELF_HEADER, E_PHOFF, 8, -1))));
        all.add(Case.error("e_phoff near the end", "program header table",
                l -> List.of(set(ELF_HEADER, E_PHOFF, 8, l.size() - 8))));
        all.add(Case.error("e_phentsize wrong", "e_phentsize", l -> List.of(set(ELF_HEADER, E_PHENTSIZE, 2, 32))));
        all.add(Case.error("e_shoff huge", "section header table", l -> List.of(set(ELF_HEADER, E_SHOFF, 8, -1))));
        all.add(Case.error("e_shoff near the end", "section header table",
                l -> List.of(set(ELF_HEADER, E_SHOFF, 8, l.size() - 100))));
        all.add(Case.honest("e_shoff zero", l -> List.of(set(ELF_HEADER, E_SHOFF, 8, 0))));
        all.add(Case.error("e_shentsize wrong", "e_shentsize", l -> List.of(set(ELF_HEADER, E_SHENTSIZE, 2, 40))));
        all.add(Case.error("e_shnum 0xffff", "section header table", l -> List.of(set(ELF_HEADER, E_SHNUM, 2, 0xffff))));
        all.add(Case.error("e_shnum zero", "neither \\.symtab nor \\.gopclntab", l -> List.of(set(ELF_HEADER, E_SHNUM, 2, 0))));
        all.add(Case.error("e_shnum one", "e_shstrndx", l -> List.of(set(ELF_HEADER, E_SHNUM, 2, 1))));
        all.add(Case.error("e_shstrndx 0xffff", "e_shstrndx", l -> List.of(set(ELF_HEADER, E_SHSTRNDX, 2, 0xffff))));
        all.add(Case.honest("e_shstrndx names .text", l -> List.of(set(ELF_HEADER, E_SHSTRNDX, 2, 1))));

        all.add(Case.error(".symtab sh_offset huge", "\\.symtab", l -> List.of(set(SECTION_HEADERS,
                symtabHeader(l) + SH_OFFSET, 8, -1))));
        all.add(Case.error(".symtab sh_offset near the end", "\\.symtab", l -> List.of(set(SECTION_HEADERS,
                symtabHeader(l) + SH_OFFSET, 8, l.size() - 10))));
        all.add(Case.error(".symtab sh_size huge", "\\.symtab", l -> List.of(set(SECTION_HEADERS,
                symtabHeader(l) + SH_SIZE, 8, -1))));
        all.add(Case.error(".symtab claims 2^31 symbols", "\\.symtab", l -> List.of(set(SECTION_HEADERS,
                symtabHeader(l) + SH_SIZE, 8, TWO_TO_THE_31 * SYM_SIZE))));
        all.add(Case.error(".symtab sh_link to no section", "links to string table", l -> List.of(set(SECTION_HEADERS,
                symtabHeader(l) + SH_LINK, 4, 0xffff))));
        all.add(Case.error(".symtab sh_link zero", "links to string table", l -> List.of(set(SECTION_HEADERS,
                symtabHeader(l) + SH_LINK, 4, 0))));
        all.add(Case.honest(".symtab sh_link to itself", l -> List.of(set(SECTION_HEADERS,
                symtabHeader(l) + SH_LINK, 4, l.symtab().orElseThrow().index()))));
        all.add(Case.error(".strtab empty", "symbol name", l -> List.of(set(SECTION_HEADERS,
                sectionHeader(l, l.strtab().orElseThrow().index()) + SH_SIZE, 8, 0))));
        all.add(Case.error(".shstrtab sh_offset huge", "section name table", l -> List.of(set(SECTION_HEADERS,
                sectionHeader(l, l.shstrndx()) + SH_OFFSET, 8, -1))));
        all.add(Case.error(".gopclntab sh_offset huge", "\\.gopclntab", l -> List.of(set(SECTION_HEADERS,
                pclntabHeader(l) + SH_OFFSET, 8, -1))));
        all.add(Case.error(".gopclntab sh_size huge", "\\.gopclntab", l -> List.of(set(SECTION_HEADERS,
                pclntabHeader(l) + SH_SIZE, 8, -1))));
        all.add(Case.error(".gopclntab cut to its header", "claims \\d+ functions, more than its 72 bytes", l -> List.of(set(
                SECTION_HEADERS, pclntabHeader(l) + SH_SIZE, 8, 72))));

        all.add(Case.error("text PT_LOAD p_offset huge", "PT_LOAD", l -> List.of(set(PROGRAM_HEADERS,
                textSegment(l) + P_OFFSET, 8, -1))));
        all.add(Case.error("text PT_LOAD p_filesz huge", "PT_LOAD", l -> List.of(set(PROGRAM_HEADERS,
                textSegment(l) + P_FILESZ, 8, -1))));
        all.add(Case.honest("text PT_LOAD moved by a page", l -> List.of(new Mutation(PROGRAM_HEADERS,
                Mutation.Op.ADD_U64, textSegment(l) + P_VADDR, 0x1000))));
        all.add(Case.honest("text PT_LOAD at address zero", l -> List.of(set(PROGRAM_HEADERS,
                textSegment(l) + P_VADDR, 8, 0))));

        all.add(Case.error("pclntab claims 2^31 functions", "claims 2147483648 functions",
                l -> List.of(set(PCLNTAB_HEADER, PCLN_NFUNC, 8, TWO_TO_THE_31))));
        all.add(Case.error("pclntab nfunc huge", "claims 18446744073709551615 functions",
                l -> List.of(set(PCLNTAB_HEADER, PCLN_NFUNC, 8, -1))));
        all.add(Case.honest("pclntab nfunc one too many", l -> List.of(new Mutation(PCLNTAB_HEADER,
                Mutation.Op.ADD_U64, PCLN_NFUNC, 1))));
        all.add(Case.error("pclntab function name table offset huge", "function name table",
                l -> List.of(set(PCLNTAB_HEADER, PCLN_FUNCNAME_OFFSET, 8, -1))));
        all.add(Case.error("pclntab function table offset huge", "function table",
                l -> List.of(set(PCLNTAB_HEADER, PCLN_PCLN_OFFSET, 8, -1))));
        all.add(Case.error("pclntab magic unknown", "magic 0x12345678", l -> List.of(set(PCLNTAB_HEADER, 0, 4, 0x12345678))));
        all.add(Case.error("pclntab pointer size 4", "pointer size 4", l -> List.of(set(PCLNTAB_HEADER, 7, 1, 4))));
        all.add(Case.error("pclntab quantum 3", "quantum 3", l -> List.of(set(PCLNTAB_HEADER, 6, 1, 3))));
        all.add(Case.honest("pclntab text start moved", l -> List.of(new Mutation(PCLNTAB_HEADER,
                Mutation.Op.ADD_U64, PCLN_TEXT_START, 0x100))));

        all.add(Case.honest("body symbol moved", l -> List.of(new Mutation(SYMTAB, Mutation.Op.ADD_U64,
                symbol(l, ElfLayout.TARGET + ".abi0") + 8, 0x10))));
        all.add(Case.honest("body symbol size huge", l -> List.of(set(SYMTAB,
                symbol(l, ElfLayout.TARGET + ".abi0") + 16, 8, -1))));
        all.add(Case.honest("stub symbol at address zero", l -> List.of(set(SYMTAB,
                symbol(l, ElfLayout.STUB + ".abi0") + 8, 8, 0))));
        all.add(Case.error("stub symbol name outside .strtab", "symbol name", l -> List.of(set(SYMTAB,
                symbol(l, ElfLayout.STUB + ".abi0"), 4, 0x7fffffff))));
        all.add(Case.honest("stub's address computation off by one", l -> List.of(new Mutation(STUB_TEXT,
                Mutation.Op.XOR_U8, l.architecture() == Architecture.AMD64 ? 3 : 4 + 1, 0x04))));
        all.add(Case.verdict(Verdict.UNRESOLVED, "stub stores its result to the wrong stack slot", "not to the result slot",
                l -> List.of(
                l.architecture() == Architecture.AMD64 ? set(STUB_TEXT, 11, 1, 0x10) : set(STUB_TEXT, 9, 1, 0x0b))));
        all.add(Case.verdict(Verdict.UNRESOLVED, "stub computes its address in 32 bits",
                "holds a value the walk did not follow",
                l -> List.of(l.architecture() == Architecture.AMD64
                        ? set(STUB_TEXT, 0, 1, 0x64) // fs: lea eax, [rip+...] (the engine fuzzer's finding)
                        : set(STUB_TEXT, 7, 1, 0x11)))); // add w0, w0, #... in place of add x0, x0, #...
        // the engine fuzzer's findings: amd64 mov [rcx], rax; and al, 8; ret and arm64 str x0, [x15]; ret
        all.add(Case.verdict(Verdict.UNRESOLVED, "stub stores its result through another register and returns",
                "returns without storing it there", l -> List.of(set(STUB_TEXT, 9, 1, 0x01))));
        all.add(Case.verdict(Verdict.UNRESOLVED, "stub overwrites part of its result register instead of storing it",
                "returns without storing it there", l -> l.architecture() == Architecture.AMD64
                        ? List.of(set(STUB_TEXT, 7, 4, 0x08e08348), set(STUB_TEXT, 11, 1, 0x90)) // and rax, 8; nop
                        : List.of(set(STUB_TEXT, 8, 4, 0x11000400)))); // add w0, w0, #1 in place of the store
        return all;
    }

    /** The baseline the corruptions start from: without them, every fixture's stub yields its target's body. */
    @TestFactory
    Stream<DynamicTest> theUnmodifiedFixturesMatch() {
        return Stream.of(GoArch.values()).flatMap(arch -> Mutation.VARIANTS.stream().map(variant ->
                dynamicTest(arch.goarch() + " " + variant.id(), () -> {
                    ElfLayout layout = ElfLayout.stubs(arch, variant);
                    Report report = check(layout.copy());

                    CheckResult r = report.results().get(0);
                    assertEquals(Verdict.MATCH, r.verdict(), r::reason);
                    assertTrue(HonestVerdicts.violations(report, layout).isEmpty());
                })));
    }

    @TestFactory
    Stream<DynamicTest> everyCorruptionEndsInErrorOrAnHonestVerdict() {
        return Stream.of(GoArch.AMD64, GoArch.ARM64).flatMap(arch -> cases().stream().map(c ->
                dynamicTest(arch.goarch() + ": " + c.name(), () -> {
                    ElfLayout layout = ElfLayout.stubs(arch, BuildVariant.DEFAULT);
                    byte[] mutated = Mutation.apply(layout, c.mutations().apply(layout));
                    Report report = check(mutated);

                    List<String> dishonest = HonestVerdicts.violations(report, layout);
                    assertTrue(dishonest.isEmpty(), dishonest::toString);
                    if (c.verdict().isPresent()) {
                        CheckResult r = report.results().get(0);
                        assertEquals(c.verdict().get(), r.verdict(), r::reason);
                        assertTrue(c.reason().get().matcher(r.reason()).find(),
                                "reason should match /" + c.reason().get() + "/: " + r.reason());
                    }
                })));
    }

    @Test
    void aPclntabClaimingTwoToThe31FunctionsFailsFastWithoutAllocatingForThem() throws IOException {
        ElfLayout layout = ElfLayout.stubs(GoArch.AMD64, BuildVariant.DEFAULT);
        byte[] mutated = Mutation.apply(layout, List.of(set(PCLNTAB_HEADER, PCLN_NFUNC, 8, TWO_TO_THE_31)));

        CheckResult r = checkWithinAllocation(mutated).results().get(0);

        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.reason().contains("claims 2147483648 functions"), r.reason());
    }

    @Test
    void aSymtabClaimingTwoToThe31SymbolsFailsFastWithoutAllocatingForThem() throws IOException {
        ElfLayout layout = ElfLayout.stubs(GoArch.AMD64, BuildVariant.DEFAULT);
        byte[] mutated = Mutation.apply(layout, List.of(set(SECTION_HEADERS, symtabHeader(layout) + SH_SIZE, 8,
                TWO_TO_THE_31 * SYM_SIZE)));

        CheckResult r = checkWithinAllocation(mutated).results().get(0);

        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.reason().contains(".symtab claims file bytes"), r.reason());
    }

    /**
     * Every symbol's name starts at a different offset of one long unterminated run: decoding them one by one
     * would cost the square of .strtab's size in time and memory.
     */
    @Test
    void symbolNamesOverlappingInOneLongRunCostLinearMemory() throws IOException {
        ElfLayout layout = ElfLayout.stubs(GoArch.AMD64, BuildVariant.DEFAULT);
        byte[] mutated = layout.copy();
        var symtab = layout.symtab().orElseThrow();
        var strtab = layout.strtab().orElseThrow();
        java.util.Arrays.fill(mutated, (int) strtab.offset(), (int) (strtab.offset() + strtab.size() - 1), (byte) 'A');
        long count = symtab.size() / SYM_SIZE;
        for (long i = 1; i < count; i++) {
            ElfLayout.put(mutated, symtab.offset() + i * SYM_SIZE, i, 4);
        }

        CheckResult r = checkWithinAllocation(mutated).results().get(0);

        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.reason().contains("overlap"), r.reason());
    }

    /**
     * A stripped table where every function but the stub carries the target's name: telling body from wrapper
     * among them must stay linear, and whatever it concludes must not be a dishonest MATCH.
     */
    @Test
    void aPclntabGivingEveryFunctionTheTargetsNameStaysHonestAndBounded() throws IOException {
        ElfLayout layout = ElfLayout.stubs(GoArch.AMD64, BuildVariant.STRIPPED);
        byte[] mutated = layout.copy();
        int pcln = (int) layout.pclntabStart();
        long nfunc = ElfLayout.u64(mutated, pcln + PCLN_NFUNC);
        long textStart = ElfLayout.u64(mutated, pcln + PCLN_TEXT_START);
        int functab = pcln + (int) ElfLayout.u64(mutated, pcln + PCLN_PCLN_OFFSET);
        long targetName = -1;
        for (int i = 0; i < nfunc; i++) {
            long func = functab + ElfLayout.u32(mutated, functab + 8 * i + 4);
            if (textStart + ElfLayout.u32(mutated, functab + 8 * i) == layout.body().address()) {
                targetName = ElfLayout.u32(mutated, (int) func + 4);
            }
        }
        for (int i = 0; i < nfunc; i++) {
            long func = functab + ElfLayout.u32(mutated, functab + 8 * i + 4);
            if (textStart + ElfLayout.u32(mutated, functab + 8 * i) != layout.stub().address()) {
                ElfLayout.put(mutated, func + 4, targetName, 4);
            }
        }

        Report report = check(mutated);

        List<String> dishonest = HonestVerdicts.violations(report, layout);
        assertTrue(dishonest.isEmpty(), dishonest::toString);
    }

    private Report check(byte[] contents) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "malformed", ""), contents);
        return assertTimeoutPreemptively(BOUND, () -> ENGINE.check(file, RESOLVE));
    }

    private Report checkWithinAllocation(byte[] contents) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "claims", ""), contents);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            Report report = ENGINE.check(file, RESOLVE);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < MAX_ALLOCATION, "allocated " + allocated + " bytes to reject the file");
            return report;
        });
    }

    private static int sectionHeader(ElfLayout l, int index) {
        return index * SHDR_SIZE;
    }

    private static int symtabHeader(ElfLayout l) {
        return sectionHeader(l, l.symtab().orElseThrow().index());
    }

    private static int pclntabHeader(ElfLayout l) {
        return sectionHeader(l, l.pclntab().index());
    }

    private static int textSegment(ElfLayout l) {
        return l.textSegment() * ElfLayout.PHDR_SIZE;
    }

    private static int symbol(ElfLayout l, String name) {
        return (int) (l.symbolEntry(name) - l.symtab().orElseThrow().offset());
    }
}
