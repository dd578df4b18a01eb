package org.parley;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.web.BundleMessageResolver;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A site's default language: set with {@code parley site NAME --set language=fr} (or on the settings page, which
 * shows it), it is what a reader gets whose browser asks for no language Parley has — on the thread page, in the
 * embed and on the no-script forms opened from it — while a browser that asks for one Parley has still gets its
 * own, and the embed's data-lang still wins over both. A language Parley does not have is refused with the list.
 */
class SiteLanguageIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void readersWhoseBrowsersAskForNoLanguageParleyHasGetTheSitesOwn() {
        var thread = server.thread("site-language");
        long comment = server.post(thread, null, "Bonjour à tous");
        String page = TestServer.standalonePath("site-language");
        assertThat(lang(page, "pt-BR,pt;q=0.9")).as("before: English").isEqualTo("en");

        CommandRun bad = parley("site", "default", "--set", "language=pt");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.stderr()).contains("language: Choose one of the languages Parley is written in: en, fr, de, es, ar");
        CommandRun set = parley("site", "default", "--set", "language=fr");
        assertThat(set.status()).as(set.stderr()).isZero();
        assertThat(set.stdout()).contains("changed default language: English → fr");
        // the command ran with a cache of its own; instances sharing memcached with it would see the change at once
        server.mainSql("SELECT 1");

        assertThat(lang(page, "pt-BR,pt;q=0.9")).isEqualTo("fr");
        assertThat(lang(page, null)).as("no Accept-Language at all").isEqualTo("fr");
        assertThat(lang(TestServer.embedPath("site-language"), "ja")).isEqualTo("fr");
        assertThat(lang("/c/" + comment + "/reply", "ja")).as("the no-script reply form").isEqualTo("fr");
        assertThat(server.client().get(page, Map.of("Accept-Language", "pt")).body())
                .contains(BundleMessageResolver.message(Locale.FRENCH, "comment.reply"));
        assertThat(lang(page, "de-AT,de;q=0.9")).as("a browser asking for German").isEqualTo("de");
        assertThat(lang(page, "en-US,en;q=0.9")).as("a browser asking for English").isEqualTo("en");
        assertThat(lang(TestServer.embedPath("site-language") + "&lang=es", "pt")).as("data-lang").isEqualTo("es");

        var admin = server.signedUp("site-language-admin@example.com", "Admin");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE email = 'site-language-admin@example.com'");
        String settings = admin.get("/admin/sites/" + server.site().id()).body();
        assertThat(settings).containsPattern("<option value=\"fr\"[^>]*selected[^>]*>Français</option>");
    }

    /** The embed's data-lang survives a post (the frame comes back in it) and reaches the forms opened from it. */
    @Test
    void theEmbedsForcedLanguageStaysAfterAPostAndOnTheFormsOpenedFromIt() {
        String embed = TestServer.embedPath("forced-language") + "&lang=de";
        var guest = server.client();
        String page = guest.get(embed, Map.of("Accept-Language", "en")).body();
        assertThat(page).contains("<html lang=\"de\"");
        HttpResponse<String> posted = guest.post(embed, Map.of("name", "Gast", "body", "Guten Tag"));
        assertThat(posted.statusCode()).isEqualTo(302);
        String location = posted.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("lang=de");
        String after = guest.get(location.replaceFirst("^https?://[^/]+", "").replaceFirst("#.*$", ""),
                Map.of("Accept-Language", "en")).body();
        assertThat(after).contains("<html lang=\"de\"", "Guten Tag");
        var reply = java.util.regex.Pattern.compile("href=\"(/c/\\d+/reply[^\"]*)\"").matcher(after);
        assertThat(reply.find()).as(after).isTrue();
        String replyForm = reply.group(1).replace("&amp;", "&");
        assertThat(replyForm).contains("lang=de");
        assertThat(lang(replyForm, "en")).as("the no-script reply form opened from the embed").isEqualTo("de");
    }

    private static String lang(String path, String acceptLanguage) {
        HttpResponse<String> page = acceptLanguage == null ? server.client().get(path)
                : server.client().get(path, Map.of("Accept-Language", acceptLanguage));
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        var lang = java.util.regex.Pattern.compile("<html lang=\"([a-z]+)\"").matcher(page.body());
        assertThat(lang.find()).as(page.body()).isTrue();
        return lang.group(1);
    }

    private static CommandRun parley(String... args) {
        return CommandRun.of(new HashMap<>(server.settings()), args);
    }
}
