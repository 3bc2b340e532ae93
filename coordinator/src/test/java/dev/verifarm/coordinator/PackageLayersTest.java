package dev.verifarm.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The coordinator's packages are layers (docs/design.md section 3): each may use the layers below it, never one
 * above, and no two packages need each other. Read from the compiled main classes (the generated gRPC classes live
 * outside dev.verifarm.coordinator and are not looked at), so a new cycle or an upward reference fails the build
 * with the classes and lines that make it.
 */
@AnalyzeClasses(packages = "dev.verifarm.coordinator", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayersTest {

    private static final String COORDINATOR = "dev.verifarm.coordinator.";

    /** Lowest first; a layer's packages may use one another as long as they form no cycle. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("problem", "threads"),
            List.of("job", "access", "config"),
            List.of("logging"),
            List.of("store"),
            List.of("capacity"),
            List.of("artifact"),
            List.of("retention"),
            List.of("fleet"),
            List.of("metrics"),
            List.of("scheduling"),
            List.of("quarantine"),
            List.of("security"),
            List.of("nightly.report"),
            List.of("nightly"),
            List.of("api.grpc", "api.rest", "web"));

    /** The top layer: each face stands on the layers below, none on another face. */
    private static final List<String> FACES = LAYERS.get(LAYERS.size() - 1);

    @ArchTest
    static final ArchRule noPackageNeedsAnotherThatNeedsIt =
            slices().matching(COORDINATOR + "(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noLayerReachesUpward = lowestFirst(LAYERS);

    @ArchTest
    static final ArchRule noFaceUsesAnother = CompositeArchRule.of(FACES.stream().map(face -> (ArchRule) noClasses()
            .that().resideInAPackage(COORDINATOR + face)
            .should().dependOnClassesThat().resideInAnyPackage(FACES.stream().filter(other -> !other.equals(face))
                    .map(other -> COORDINATOR + other).toArray(String[]::new))).toList());

    private static ArchRule lowestFirst(List<List<String>> layers) {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (int i = 0; i < layers.size(); i++) {
            rule = rule.layer(name(layers, i)).definedBy(
                    layers.get(i).stream().map(p -> COORDINATOR + p).toArray(String[]::new));
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
