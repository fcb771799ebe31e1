package io.mast.broker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of mast-broker form one-way layers (docs/architecture.md, "Layers"): a package may use the packages
 * below it in {@link #LAYERS}, never one above, so no two packages depend on each other. A new dependency that goes
 * up, or a cycle, fails the build here.
 */
class LayersTest {

    /** From the bottom up. */
    static final List<String> LAYERS = List.of(
            "tls", "message", "client", "metrics", "config",
            "store", "store.rocksdb", "retain", "routing", "policy", "events", "publish",
            "session", "connection", "transport", "admin", "plugin");

    private static final String BASE = "io.mast.broker";

    private static JavaClasses classes;

    @BeforeAll
    static void importBroker() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
    }

    @Test
    void noPackageUsesAPackageAboveIt() {
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(p -> BASE + "." + p + "..")
                    .toArray(String[]::new);
            String layer = BASE + "." + LAYERS.get(i);
            if (above.length > 0) {
                noClasses().that().resideInAPackage(layer).should().dependOnClassesThat().resideInAnyPackage(above)
                        .because(LAYERS.get(i) + " is below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())))
                        .check(classes);
            }
        }
    }

    @Test
    void nothingBelowTheRootUsesTheRoot() {
        noClasses().that().resideInAPackage(BASE + ".*..").should().dependOnClassesThat().resideInAPackage(BASE)
                .because("the root package (MastBroker, BrokerCore) composes the layers; they get narrow services")
                .check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageHasItsLayer() {
        List<String> unknown = classes.stream().map(c -> c.getPackageName())
                .filter(p -> p.startsWith(BASE + "."))
                .map(p -> p.substring(BASE.length() + 1))
                .filter(p -> !LAYERS.contains(p)).distinct().toList();
        org.assertj.core.api.Assertions.assertThat(unknown).as("packages missing from LAYERS").isEmpty();
    }
}
