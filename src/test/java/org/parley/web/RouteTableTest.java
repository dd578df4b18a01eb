package org.parley.web;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {
    private static final Handler THREAD = (req, resp) -> { };
    private static final Handler POST_TO_THREAD = (req, resp) -> { };
    private static final Handler SELECTION = (req, resp) -> { };
    private static final Handler ACT = (req, resp) -> { };
    private static final Handler HOME = (req, resp) -> { };
    private static final Guard DOOR = (req, resp) -> false;

    private final RouteTable table = RouteTable.builder()
            .group("public", Guard.EVERYONE, r -> r
                    .get("/", HOME)
                    .get("/t/:site/:key", THREAD)
                    .post("/t/:site/:key", POST_TO_THREAD))
            .group("console", DOOR, r -> r
                    .post("/admin/comments/selection", SELECTION)
                    .post("/admin/comments/:id/:action", ACT))
            .build();

    @Test
    void aPathGetsItsRouteAndTheNamedSegmentsDecodedOneByOne() {
        RouteTable.Resolution found = table.resolve("GET", "/t/blog/2024%2F11%2Fpost%20one");

        assertThat(found.route().handler()).isSameAs(THREAD);
        assertThat(found.route().pattern()).isEqualTo("/t/:site/:key");
        assertThat(found.params().values()).isEqualTo(Map.of("site", "blog", "key", "2024/11/post one"));
    }

    @Test
    void aPlusInAPathIsAPlusNotASpace() {
        assertThat(table.resolve("GET", "/t/blog/c++").params().text("key")).isEqualTo("c++");
    }

    @Test
    void headIsAnsweredByTheGetRouteAndTheMethodPicksAmongRoutesOfOnePath() {
        assertThat(table.resolve("HEAD", "/t/blog/post").route().handler()).isSameAs(THREAD);
        assertThat(table.resolve("POST", "/t/blog/post").route().handler()).isSameAs(POST_TO_THREAD);
    }

    @Test
    void theRoutesGuardComesWithIt() {
        RouteTable.Resolution act = table.resolve("POST", "/admin/comments/42/approve");

        assertThat(act.route().guard()).isSameAs(DOOR);
        assertThat(act.route().group()).isEqualTo("console");
        assertThat(act.params().number("id", () -> HttpError.notFound("no such comment"))).isEqualTo(42);
    }

    @Test
    void aLiteralSegmentIsNotAParameterAndLengthsMustAgree() {
        assertThat(table.resolve("POST", "/admin/comments/selection").route().handler()).isSameAs(SELECTION);
        assertThat(table.resolve("GET", "/t/blog").route()).isNull();
        assertThat(table.resolve("GET", "/t/blog/post/extra").route()).isNull();
        assertThat(table.resolve("GET", "/t/blog/").route()).isNull(); // an empty key names nothing
    }

    @Test
    void thePathWithoutARouteOfThisMethodNamesTheMethodsItHas() {
        RouteTable.Resolution wrong = table.resolve("POST", "/");

        assertThat(wrong.route()).isNull();
        assertThat(wrong.allowed()).containsExactly("GET");
        assertThat(table.resolve("GET", "/no/such/page").allowed()).isEmpty();
    }

    @Test
    void brokenPercentEncodingIsReportedNotThrown() {
        RouteTable.Resolution broken = table.resolve("GET", "/t/blog/%zz");

        assertThat(broken.badlyEncoded()).isTrue();
        assertThat(broken.route()).isNull();
    }

    @Test
    void aNumberParameterThatIsNotANumberNamesNothing() {
        PathParams params = table.resolve("POST", "/admin/comments/abc/approve").params();

        assertThatThrownBy(() -> params.number("id", () -> HttpError.worded(404, "console.error.noComment")))
                .isInstanceOf(HttpError.class).hasMessage("This comment does not exist.")
                .satisfies(e -> assertThat(((HttpError) e).status()).isEqualTo(404))
                .satisfies(e -> assertThat(((HttpError) e).message(java.util.Locale.FRENCH))
                        .isEqualTo("Ce commentaire n’existe pas."));
    }

    @Test
    void aRouteWrittenTwiceIsRefusedWhenTheTableIsBuilt() {
        assertThatThrownBy(() -> RouteTable.builder()
                .group("a", Guard.EVERYONE, r -> r.get("/c/:id", HOME))
                .group("b", DOOR, r -> r.get("/c/:comment", THREAD))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET /c/:comment is in the table twice");
    }
}
