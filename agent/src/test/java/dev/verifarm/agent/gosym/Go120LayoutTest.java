package dev.verifarm.agent.gosym;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.check.vocabulary.WrapperPair;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.ToolchainTruth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Go 1.20+ writes pclntab magic 0xfffffff1 and a _func with startLine, which moves funcID and the flags. */
class Go120LayoutTest {

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void readsTheGo120TableWithEveryFunctionAtNmsAddress(GoArch arch) throws Exception {
        Path binary = GoFixtures.build("stubs", arch, BuildVariant.DEFAULT, GoToolchain.GO_1_22);
        Map<String, ToolchainTruth.NmSymbol> nm = ToolchainTruth.nm(binary);

        Pclntab table = Pclntab.find(ElfFile.open(binary)).orElseThrow();

        assertEquals(PclntabVersion.GO_1_20, table.version());
        for (String name : List.of("main.memcpyish.abi0", "main.memcpyish", "main.addrOfMemcpyish.abi0", "main.main")) {
            long address = nm.get(name).address();
            FuncEntry entry = table.lookup(address).orElseThrow();
            assertEquals(address, entry.entry(), name);
            assertEquals(name.replace(".abi0", ""), entry.name());
        }
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void strippedGo122BinaryStillTellsBodyFromWrapperByFlagAndCall(GoArch arch) throws Exception {
        Path stripped = GoFixtures.build("stubs", arch, BuildVariant.STRIPPED, GoToolchain.GO_1_22);
        Map<String, ToolchainTruth.NmSymbol> nm = ToolchainTruth.nm(
                GoFixtures.build("stubs", arch, BuildVariant.DEFAULT, GoToolchain.GO_1_22));

        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults())).check(stripped, new CheckRequest(
                List.of(Expectation.resolve("main.addrOfMemcpyish", "main.memcpyish"),
                        Expectation.resolve("funcvalue:main.memcpyish", "main.memcpyish")),
                true, ExecutionMode.STATIC));

        CheckResult stub = report.results().get(0);
        CheckResult funcValue = report.results().get(1);
        assertEquals(Verdict.MATCH, stub.verdict(), stub.reason());
        assertEquals(nm.get("main.memcpyish.abi0").address(), stub.evidence().resolved().orElseThrow().address());
        assertEquals(Verdict.WRAPPER, funcValue.verdict(), funcValue.reason());
        assertEquals(nm.get("main.memcpyish").address(), funcValue.evidence().resolved().orElseThrow().address());
        WrapperPair pair = report.discovery().orElseThrow().wrappers().stream()
                .filter(w -> w.name().equals("main.memcpyish")).findFirst().orElseThrow();
        assertTrue(pair.confirmedBy().contains("ASM flag") && pair.confirmedBy().contains("call"), pair.confirmedBy());
    }
}
