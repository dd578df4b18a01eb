package org.parley.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The return-target check against the tricky spellings of "somewhere else": each refused value is one a browser
 * (or Jetty's redirect) would have turned into another host or a path outside Parley's pages.
 */
class ReturnTargetTest {
    private static final String FALLBACK = "/fallback";

    /** Values that must never become a redirect: another host in some spelling, or not a Parley page at all. */
    @ParameterizedTest
    @ValueSource(strings = {
        "//evil.example/",
        "/t/..//evil.example/",
        "/t/./..//evil.example/",
        "/embed/..//evil.example/",
        "/embed/default/../..//evil.example/",
        "/t/%2e%2e//evil.example/",
        "/t/%2E%2E//evil.example/",
        "/t/.%2e//evil.example/",
        "/t/%2e.//evil.example/",
        "/t/%2e/..//evil.example/",
        "/c/1/../../evil",
        "/admin/queue/../../..//evil.example/",
        "/\\evil.example/",
        "/t/\\..\\..\\evil.example",
        "\\\\evil.example",
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "/%5C%5Cevil.example",
        "https://evil.example/t/x",
        "http:/evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "/t/a/b\r\nSet-Cookie: x=1",
        "/t/a/b\nLocation: //evil",
        "/\t/evil.example",
        " /t/default/x",
        "/t/default/x y",
        "/t/default/%zz",
        "/t/default/%",
        "/t/default/%4",
        "/t/default//x",
        "/..",
        "/../t/default/x",
        "/t/default/é",
        "/t/default/x#a#b",
        "/static/parley.css",
        "/metrics",
        "/signout",
        "/administrator",
        "/t/",
        "t/default/x",
        "?return=//evil",
        "#//evil",
    })
    void somewhereElseIsRefusedWithA400OnTheReturnField(String tricky) {
        assertThatThrownBy(() -> ReturnTarget.require(tricky, FALLBACK))
                .isInstanceOfSatisfying(HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("return");
                    assertThat(e.getMessage()).isEqualTo(ReturnTarget.REFUSED);
                });
    }

    /** Parley's own pages, as its templates write them, come back unchanged. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/",
        "/admin",
        "/admin/queue?queue=pending&site=3",
        "/t/default/post-42",
        "/t/default/post-42?sort=newest&after=123#comment-9",
        "/t/blog/2024%2F11%2Fpost",
        "/t/blog/a%5Cb",
        "/t/blog/100%25%20sure",
        "/t/default/%2e%2e%2Fx",
        "/embed/default?key=post-42&url=http%3A%2F%2Flocalhost%3A1234%2Fpost-42&title=A+%22title%22",
        "/embed/default?key=a&url=http://localhost:1234/a?b=c",
        "/c/123456789/reply",
        "/demo",
    })
    void parleysOwnPagesPassUnchanged(String page) {
        assertThat(ReturnTarget.require(page, FALLBACK)).isEqualTo(page);
    }

    /** Dot segments that stay inside Parley's pages are resolved, and the resolved path is what is sent. */
    @ParameterizedTest
    @CsvSource({
        "/t/./default/x, /t/default/x",
        "/t/default/../default/x?sort=best, /t/default/x?sort=best",
        "/t/other/%2e%2e/default/x, /t/default/x",
        "/t/other/.%2E/default/x#comment-1, /t/default/x#comment-1",
        "/admin/./queue, /admin/queue",
    })
    void dotSegmentsAreResolvedBeforeTheCheck(String requested, String resolved) {
        assertThat(ReturnTarget.require(requested, FALLBACK)).isEqualTo(resolved);
    }

    @Test
    void noTargetMeansTheFallback() {
        assertThat(ReturnTarget.require(null, FALLBACK)).isEqualTo(FALLBACK);
        assertThat(ReturnTarget.require("", FALLBACK)).isEqualTo(FALLBACK);
    }

    @Test
    void aNarrowerSetRefusesOtherPagesOfParley() {
        assertThat(ReturnTarget.require("/admin/queue?queue=spam", "/admin/queue", List.of(), Set.of("/admin/queue")))
                .isEqualTo("/admin/queue?queue=spam");
        assertThatThrownBy(() -> ReturnTarget.require("/t/default/x", "/admin/queue", List.of(), Set.of("/admin/queue")))
                .isInstanceOf(HttpError.class);
        assertThatThrownBy(() -> ReturnTarget.require("/admin/queue/../../t/x", "/admin/queue", List.of(),
                Set.of("/admin/queue"))).isInstanceOf(HttpError.class);
    }

    @Test
    void aTargetLongerThanAnyParleyUrlIsRefused() {
        String longest = "/t/default/" + "x".repeat(ReturnTarget.MAX_LENGTH - "/t/default/".length());
        assertThat(ReturnTarget.require(longest, FALLBACK)).isEqualTo(longest);
        assertThatThrownBy(() -> ReturnTarget.require(longest + "x", FALLBACK)).isInstanceOf(HttpError.class);
    }

    /** Whatever passes, resolved by a browser-like parser against Parley's origin, stays on Parley's origin. */
    @ParameterizedTest
    @ValueSource(strings = {"/t/./default/x", "/t/default/../default/x", "/t/blog/2024%2F11%2Fpost", "/admin"})
    void everyAcceptedTargetResolvesOnParleysOwnHost(String requested) {
        URI base = URI.create("https://comments.example/t/default/page");
        URI resolved = base.resolve(ReturnTarget.require(requested, FALLBACK));
        assertThat(resolved.getHost()).isEqualTo("comments.example");
        assertThat(resolved.getRawPath()).doesNotStartWith("//");
    }
}
