package io.imgpress;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code as rules the build checks: features ({@code io.imgpress.<feature>}) hold
 * their ports at the root and their adapters in technology-named subpackages ({@code
 * io.imgpress.<feature>.<technology>}); {@code io.imgpress.db} holds shared JDBC helpers, {@code
 * io.imgpress.wiring} is the composition root that may know every adapter.
 */
class ArchitectureTest {

  static final String[] FEATURES = {
    "io.imgpress.intake",
    "io.imgpress.request",
    "io.imgpress.processing",
    "io.imgpress.storage",
    "io.imgpress.queue",
    "io.imgpress.webhook",
    "io.imgpress.web",
    "io.imgpress.net",
    "io.imgpress.security",
    "io.imgpress.retention"
  };

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.imgpress");
  }

  @Test
  void featurePackagesHaveNoCycles() {
    slices().matching("io.imgpress.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void adaptersNeverUseAnotherAdapter() {
    slices().matching("io.imgpress.(*).(*)..").should().notDependOnEachOther().check(production);
  }

  @Test
  void portsNeverDependOnAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage(FEATURES)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.imgpress.*.*..")
        .because("a port is implemented by adapters, it never names one")
        .check(production);
  }

  @Test
  void onlyTheCompositionRootKnowsItself() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.imgpress.wiring..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.imgpress.wiring..")
        .check(production);
  }

  @Test
  void theSharedRootPackageDependsOnNoFeature() {
    noClasses()
        .that()
        .resideInAPackage("io.imgpress")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.imgpress.*..")
        .check(production);
  }
}
