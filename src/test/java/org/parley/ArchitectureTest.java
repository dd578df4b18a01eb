package org.parley;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import org.jooq.Name;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of the code, checked on every build (docs/architecture.md says why each rule exists). A rule that fails
 * names the classes and the dependency that broke it.
 */
class ArchitectureTest {
    private static final JavaClasses PARLEY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.parley");

    private static final String[] BASE = {"org.parley.config..", "org.parley.build..", "org.parley.metrics.."};
    private static final String[] PLUMBING = {"org.parley.data..", "org.parley.cache..", "org.parley.web..",
            "org.parley.outbox..", "org.parley.edge.."};
    private static final String[] FEATURES = {"org.parley.account..", "org.parley.discussion..",
            "org.parley.moderation..", "org.parley.site..", "org.parley.ops..", "org.parley.cdn..", "org.parley.bench..",
            "org.parley.disqus..", "org.parley.sso..", "org.parley.feed..", "org.parley.api..",
            "org.parley.mail..", "org.parley.notify..", "org.parley.profile..", "org.parley.webhook..", "org.parley.live..",
            "org.parley.backup..", "org.parley.snapshot.."};
    /** The generated jOOQ classes: they declare the columns, which is the point of generating them. */
    private static final String GENERATED = "org.parley.db..";

    @Test
    void no_package_imports_another_that_imports_it_back() {
        slices().matching("org.parley.(*)..").should().beFreeOfCycles().check(PARLEY);
    }

    @Test
    void layers_point_one_way_from_the_wiring_down_to_the_vocabulary() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Wiring").definedBy("org.parley")
                .layer("Features").definedBy(FEATURES)
                .layer("Plumbing").definedBy(PLUMBING)
                .layer("Base").definedBy(BASE)
                .whereLayer("Wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Plumbing").mayOnlyBeAccessedByLayers("Features", "Wiring")
                .whereLayer("Base").mayOnlyBeAccessedByLayers("Plumbing", "Features", "Wiring")
                .check(PARLEY);
    }

    @Test
    void every_package_belongs_to_a_layer() {
        classes().should().resideInAnyPackage("org.parley", GENERATED).orShould()
                .resideInAnyPackage(BASE).orShould().resideInAnyPackage(PLUMBING).orShould()
                .resideInAnyPackage(FEATURES)
                .because("a new package must be placed in a layer of this test, or the layer rule would not see it")
                .check(PARLEY);
    }

    @Test
    void the_only_servlets_are_the_router_and_the_container_error_page() {
        classes().that().implement(Servlet.class)
                .should().resideInAPackage("org.parley.web")
                .because("every page is a handler in ParleyRoutes' table; a feature's own servlet would be an address"
                        + " outside the table and behind no guard")
                .check(PARLEY);
    }

    @Test
    void features_read_their_path_through_the_route_not_by_parsing_it() {
        noClasses().that().resideOutsideOfPackage("org.parley.web..")
                .should().callMethod(HttpServletRequest.class, "getPathInfo")
                .orShould().callMethod(HttpServletRequest.class, "getServletPath")
                .orShould().callMethod(HttpServletRequest.class, "getHttpServletMapping")
                .because("a handler's path parameters are PathParams, matched once by the route table")
                .check(PARLEY);
    }

    @Test
    void columns_and_tables_are_not_declared_by_name_outside_the_data_layer() {
        noClasses().that().resideOutsideOfPackages("org.parley.data..", GENERATED)
                .should().callMethodWhere(declaresByName())
                .because("jOOQ generates every table and column (COMMENT.as(\"c\"), COMMENT.IP); a name written by"
                        + " hand is not checked against the schema")
                .check(PARLEY);
    }

    /** {@code DSL.field(Name, …)} or {@code DSL.table(Name)}: a column or table known only by its name. */
    private static DescribedPredicate<JavaMethodCall> declaresByName() {
        return DescribedPredicate.describe("DSL.field(Name, ...) or DSL.table(Name, ...)", call ->
                call.getTargetOwner().isEquivalentTo(DSL.class)
                        && Set.of("field", "table").contains(call.getName())
                        && !call.getTarget().getRawParameterTypes().isEmpty()
                        && call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(Name.class));
    }
}
