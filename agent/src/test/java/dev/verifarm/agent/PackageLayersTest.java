package dev.verifarm.agent;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The agent's packages are layers (docs/design.md section 3): each may use the layers below it, never one above, and
 * no two packages need each other. Read from the compiled main classes, so a new cycle or an upward reference fails
 * the build with the classes and lines that make it.
 */
@AnalyzeClasses(packages = "dev.verifarm.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayersTest {

    private static final String AGENT = "dev.verifarm.agent.";

    /** Lowest first; a layer's packages may use one another as long as they form no cycle. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("elf"),
            List.of("gosym", "isa.."),
            List.of("symbols"),
            List.of("check.vocabulary"),
            List.of("check.artifact"),
            List.of("check.resolve"),
            List.of("check.copy", "check.discover", "check.hazard"),
            List.of("check"),
            List.of("probe", "wire"),
            List.of("report"),
            List.of("health", "checkserver"),
            List.of("farm"),
            List.of("cli"));

    @ArchTest
    static final ArchRule noPackageNeedsAnotherThatNeedsIt =
            slices().matching(AGENT + "(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noLayerReachesUpward = lowestFirst(LAYERS);

    private static ArchRule lowestFirst(List<List<String>> layers) {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (int i = 0; i < layers.size(); i++) {
            rule = rule.layer(name(layers, i)).definedBy(
                    layers.get(i).stream().map(p -> AGENT + p).toArray(String[]::new));
        }
        for (int i = 0; i < layers.size() - 1; i++) {
            int lowest = i + 1;
            rule = rule.whereLayer(name(layers, i)).mayOnlyBeAccessedByLayers(
                    IntStream.range(lowest, layers.size()).mapToObj(j -> name(layers, j)).toArray(String[]::new));
        }
        return rule.whereLayer(name(layers, layers.size() - 1)).mayNotBeAccessedByAnyLayer();
    }

    private static String name(List<List<String>> layers, int i) {
        return String.join(" and ", layers.get(i));
    }
}
