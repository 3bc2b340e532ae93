package dev.verifarm.cli;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The command line's packages are layers (docs/design.md section 3): {@code exit} (statuses and the failure that
 * carries one) and {@code contract} (expectations to and from their wire message), then {@code connect} and {@code render}, then {@code command}, then {@code Main}; none uses one
 * above it, and no two packages need each other.
 */
@AnalyzeClasses(packages = "dev.verifarm.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayersTest {

    @ArchTest
    static final ArchRule noPackageNeedsAnotherThatNeedsIt =
            slices().matching("dev.verifarm.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noLayerReachesUpward = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("exit").definedBy("dev.verifarm.cli.exit", "dev.verifarm.cli.contract")
            .layer("connect and render").definedBy("dev.verifarm.cli.connect", "dev.verifarm.cli.render")
            .layer("command").definedBy("dev.verifarm.cli.command")
            .layer("main").definedBy("dev.verifarm.cli")
            .whereLayer("exit").mayOnlyBeAccessedByLayers("connect and render", "command", "main")
            .whereLayer("connect and render").mayOnlyBeAccessedByLayers("command", "main")
            .whereLayer("command").mayOnlyBeAccessedByLayers("main")
            .whereLayer("main").mayNotBeAccessedByAnyLayer();
}
