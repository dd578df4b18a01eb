package org.parley.snapshot;

import org.junit.jupiter.api.Test;
import org.parley.web.Languages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The static loader on the CDN names snapshots the way Parley publishes them. */
class SnapshotLoaderTest {

    @Test
    void theLoaderLooksForTheLanguagesSnapshotsArePublishedIn() throws IOException {
        String loader = Files.readString(Path.of("static/snapshot.html"));
        Matcher languages = Pattern.compile("var LANGUAGES = \\[([^\\]]*)\\];").matcher(loader);
        assertThat(languages.find()).as("LANGUAGES in static/snapshot.html").isTrue();
        List<String> named = Arrays.stream(languages.group(1).split(","))
                .map(s -> s.strip().replace("'", "")).toList();
        assertThat(named).isEqualTo(Languages.SUPPORTED);
    }

    @Test
    void objectNamesCarryTheKeyInBase64urlSoAnyKeyIsOneSafeSegment() {
        var names = new SnapshotNames("parley/");
        // what the loader computes with TextEncoder and btoa for the same key
        assertThat(names.object("default", "/2019/03/post?ref=a+b", "fr"))
                .isEqualTo("parley/snapshots/default/LzIwMTkvMDMvcG9zdD9yZWY9YSti/fr.html");
        assertThat(names.object("blog", "café ☕", "en")).isEqualTo("parley/snapshots/blog/Y2Fmw6kg4piV/en.html");
        assertThat(SnapshotNames.publishable("my-blog.en_1")).isTrue();
        assertThat(SnapshotNames.publishable("a/b")).isFalse();
    }

    @Test
    void aSnapshotIsTheGuestsPageWithItsLinksOnParleyAndItsScriptsToldItIsOne() {
        String page = "<!DOCTYPE html>\n<html lang=\"en\" class=\"in-frame\">\n<head>\n<meta charset=\"utf-8\">"
                + "</head><body><a href=\"/embed/default?key=k&amp;sort=newest\">Newest</a>"
                + "<img src=\"/avatar/ab12.svg\" alt=\"\"><img src=\"https://www.gravatar.com/avatar/x\" alt=\"\"></body></html>";

        String snapshot = SnapshotPage.of(page, "https://comments.example.com/",
                "https://comments.example.com/embed/default?key=k&lang=en", "https://cdn.example.com/snapshot-frame.1.js",
                "https://cdn.example.com/avatars/");

        assertThat(snapshot).isEqualTo("<!DOCTYPE html>\n<html data-snapshot data-live-url=\"https://comments"
                + ".example.com/embed/default?key=k&amp;lang=en\" lang=\"en\" class=\"in-frame\">\n<head>"
                + "<base href=\"https://comments.example.com/\"><meta name=\"referrer\" content=\"no-referrer\">"
                + "<script src=\"https://cdn.example.com/snapshot-frame.1.js\" defer></script>\n"
                + "<meta charset=\"utf-8\"></head><body><a href=\"/embed/default?key=k&amp;sort=newest\">Newest</a>"
                + "<img src=\"https://cdn.example.com/avatars/ab12.svg\" alt=\"\">"
                + "<img src=\"https://www.gravatar.com/avatar/x\" alt=\"\"></body></html>");
    }
}
