package org.parley.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.Http;
import org.parley.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A visitor's page comes in the first language of their Accept-Language that Parley has, marked with it (lang)
 * and its direction (dir="rtl" for Arabic); the shared page is kept per language, so a Spanish reader never gets
 * the German copy; the console follows the browser too (more in ConsoleLanguagesIT).
 */
class LanguagesIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void thread() {
        server.client().get(TestServer.embedPath("languages"));
    }

    @Test
    void theFirstLanguageParleyHasIsChosenAndMarked() {
        assertPage("ar", "ar", "rtl");
        assertPage("es-MX,es;q=0.9,en;q=0.5", "es", "ltr");
        assertPage("fr-CA,fr;q=0.9,en;q=0.5", "fr", "ltr");
        assertPage("pt-BR,de;q=0.8,en;q=0.5", "de", "ltr");
        assertPage("pt", "en", "ltr");
        assertPage("en-GB", "en", "ltr");
    }

    @Test
    void aPageThatAsksForALanguageGetsItWhateverTheBrowserPrefers() { // the embed's data-lang
        HttpResponse<String> french = server.client().get(TestServer.embedPath("languages") + "&lang=fr",
                Map.of("Accept-Language", "de"));
        assertThat(french.statusCode()).isEqualTo(200);
        assertThat(french.body()).contains("<html lang=\"fr\"", message("fr", "thread.empty"));
        HttpResponse<String> arabic = server.client().get(TestServer.standalonePath("languages") + "?lang=ar-EG",
                Map.of("Accept-Language", "en"));
        assertThat(arabic.body()).contains("<html lang=\"ar\" dir=\"rtl\"");
        // a language Parley does not have: the browser's, as without it
        assertThat(server.client().get(TestServer.standalonePath("languages") + "?lang=tlh",
                Map.of("Accept-Language", "es")).body()).contains("<html lang=\"es\"");
    }

    @Test
    void eachLanguageHasItsOwnCopyOfTheSharedPage() {
        String spanish = page("es").body();
        String german = page("de").body();
        assertThat(spanish).contains(message("es", "thread.empty")).doesNotContain(message("de", "thread.empty"));
        assertThat(german).contains(message("de", "thread.empty"));
        assertThat(page("es-ES").body()).as("es-ES shares the Spanish copy").isEqualTo(spanish);
    }

    @Test
    void theErrorsRaisedBeforeAnyHandlerAreInTheReadersLanguageToo() {
        HttpResponse<String> nowhere = server.client().get("/no/such/page", Map.of("Accept-Language", "de"));
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body()).contains("<html lang=\"de\"", message("de", "error.noPage"));
        HttpResponse<String> wrongMethod = server.client().send("DELETE", "/", Map.of("Accept-Language", "fr"));
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).contains("<html lang=\"fr\"");
    }

    @Test
    void theConsoleFollowsTheBrowserToo() {
        var admin = server.signedUp("languages-admin@example.com", "Lang Admin");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE email = 'languages-admin@example.com'");
        HttpResponse<String> console = admin.get("/admin/sites", Map.of("Accept-Language", "de"));
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("<html lang=\"de\" dir=\"ltr\"", message("de", "console.nav.queue"));
    }

    @Test
    void aSignInRefusalIsInTheVisitorsLanguage() {
        var visitor = server.client().languages("fr");
        visitor.get("/signin");
        HttpResponse<String> refused = visitor.post("/signin",
                Map.of("email", "nobody@example.com", "password", "not the password"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("<html lang=\"fr\"",
                "Cet e-mail et ce mot de passe ne correspondent à aucun compte.").doesNotContain("do not match an account");
    }

    @Test
    void aCommentRefusalIsInTheVisitorsLanguageBesideTheForm() {
        var visitor = server.client().languages("fr");
        String page = TestServer.embedPath("languages");
        visitor.get(page);
        HttpResponse<String> empty = visitor.post(page, Map.of("name", "Grace", "body", "   "));
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("<html lang=\"fr\"", "role=\"alert\"", "Votre commentaire est vide.",
                "value=\"Grace\"").doesNotContain("Your comment is empty.");
        HttpResponse<String> overlong = visitor.post(page, Map.of("name", "Grace", "body", "x".repeat(10_001)));
        assertThat(overlong.statusCode()).isEqualTo(400);
        assertThat(overlong.body()).contains("Votre commentaire fait 10001 caractères ; la limite ici est de 10000.");
    }

    @Test
    void aRateLimitRefusalIsInTheVisitorsLanguageBesideTheFormWithRetryAfter() {
        // the shared test server counts no rates (every visitor there is 127.0.0.1): this one does
        try (TestServer limited = TestServer.start(Map.of("PARLEY_RATE_LIMITS", "true"))) {
            var visitor = limited.client().languages("fr");
            String page = TestServer.embedPath("languages-fast");
            visitor.get(page);
            for (int i = 0; i < 5; i++) {
                assertThat(visitor.post(page, Map.of("name", "Grace", "body", "commentaire " + i)).statusCode())
                        .isEqualTo(302);
                visitor.get(page);
            }

            HttpResponse<String> refused = visitor.post(page, Map.of("name", "Grace", "body", "un de trop"));

            assertThat(refused.statusCode()).isEqualTo(429);
            long seconds = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertThat(seconds).isBetween(1L, 60L);
            String wait = seconds == 60 ? "1 minute" : seconds == 1 ? "1 seconde" : seconds + " secondes";
            assertThat(refused.body()).contains("<html lang=\"fr\"", "role=\"alert\"",
                    "Vous publiez trop vite. Réessayez dans " + wait + ".", ">un de trop</textarea>",
                    "value=\"Grace\"").doesNotContain("too fast");
        }
    }

    @Test
    void aMissingThreadIsNotFoundInTheVisitorsLanguageAndInEnglishForPrograms() {
        String missing = TestServer.standalonePath("no-such-thread");
        HttpResponse<String> page = server.client().get(missing, Map.of("Accept-Language", "es"));
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("<html lang=\"es\"", "Esa conversación no existe.")
                .doesNotContain("No such discussion.");
        // a script asking for JSON gets the problem in English, whatever its browser's language (docs/api.md)
        HttpResponse<String> problem = Http.send(HttpRequest.newBuilder(URI.create(server.base() + missing))
                .header("Accept", "application/json").header("Accept-Language", "es").GET().build());
        assertThat(problem.statusCode()).isEqualTo(404);
        assertThat(problem.body()).contains("\"detail\":\"No such discussion.\"");
    }

    private static void assertPage(String acceptLanguage, String lang, String dir) {
        HttpResponse<String> page = page(acceptLanguage);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).as(acceptLanguage).contains("<html lang=\"" + lang + "\" dir=\"" + dir + "\"")
                .contains(message(lang, "thread.empty"));
    }

    private static HttpResponse<String> page(String acceptLanguage) {
        return server.client().get(TestServer.standalonePath("languages"), Map.of("Accept-Language", acceptLanguage));
    }

    private static String message(String lang, String key) {
        return BundleMessageResolver.message(Locale.forLanguageTag(lang), key);
    }
}
