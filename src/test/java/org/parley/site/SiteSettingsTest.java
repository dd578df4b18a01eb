package org.parley.site;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SiteSettingsTest {
    private static Map<String, String> good() {
        Map<String, String> form = new HashMap<>(Map.of("displayName", " My blog ", "editWindowMinutes", "15",
                "maxCommentLength", "5000", "maxLinks", "", "origins", "https://Blog.Example.com/\r\n\nhttp://localhost:8080\nhttps://a.example:443"));
        form.put("premoderation", "on");
        return form;
    }

    @Test
    void aGoodFormGivesSettingsWithOriginsAsBrowsersSendThem() {
        var parsed = SiteSettings.parse(good()::get, Locale.ENGLISH);
        assertThat(parsed.errors()).isEmpty();
        var s = parsed.settings();
        assertThat(s.displayName()).isEqualTo("My blog");
        assertThat(s.premoderation()).isTrue();
        assertThat(s.guestsAllowed()).isFalse(); // an unticked box is not sent
        assertThat(s.editWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.maxLinks()).isNull();
        assertThat(s.origins()).containsExactly("https://blog.example.com", "http://localhost:8080", "https://a.example");
    }

    @Test
    void everyBadFieldHasItsOwnMessage() {
        Map<String, String> form = good();
        form.put("displayName", "x".repeat(201));
        form.put("editWindowMinutes", "10081");
        form.put("maxCommentLength", "0");
        form.put("maxLinks", "-1");
        form.put("origins", "https://ok.example\njavascript:alert(1)\nhttps://user@host.example\nhttps://x.example/?q");
        var parsed = SiteSettings.parse(form::get, Locale.ENGLISH);
        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.settings()).isNull();
        assertThat(parsed.errors()).containsOnlyKeys("displayName", "editWindowMinutes", "maxCommentLength", "maxLinks", "origins");
        assertThat(parsed.errors().get("origins")).contains("javascript:alert(1)", "https://user@host.example", "https://x.example/?q")
                .doesNotContain("ok.example");
    }

    @Test
    void changesListOnlyWhatDiffers() {
        var before = SiteSettings.parse(good()::get, Locale.ENGLISH).settings();
        Map<String, String> form = good();
        form.put("maxLinks", "3");
        form.put("closed", "on");
        var after = SiteSettings.parse(form::get, Locale.ENGLISH).settings();
        var changes = after.changesFrom(before);
        assertThat(changes).containsOnlyKeys("closed", "link limit");
        assertThat(changes.get("link limit")).containsExactly("none", "3");
        assertThat(before.changesFrom(before)).isEmpty();
    }
}
