package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.web.BundleMessageResolver;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console is written in the moderator's language as visitor pages are (their browser's Accept-Language):
 * marked with it and its direction, its sentences made in Java included; without a preference it is English.
 */
class ConsoleLanguagesIT {
    @RegisterExtension
    // a webhook to 127.0.0.1, which is never called: no test here posts an event it asks for
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_WEBHOOKS_TO_PRIVATE_ADDRESSES", "true"));
    private static ConsoleUsers users;
    private static long pending;

    @BeforeAll
    static void start() {
        users = new ConsoleUsers(server);
        users.moderator("polyglot@example.com", "Polyglot", server.site().id());
        long operator = users.account("operator@example.com", "Operator");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + operator);
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        pending = server.post(server.thread("langues"), null, "Bonjour, à valider");
        server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
    }

    @Test
    void theFrontPageAndTheQueueComeInTheBrowsersLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        HttpResponse<String> home = mod.get("/admin", Map.of("Accept-Language", "fr-FR,fr;q=0.9"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("<html lang=\"fr\" dir=\"ltr\"", message("fr", "console.home.embed"),
                message("fr", "console.nav.bans")).doesNotContain("Embed it", "??");

        HttpResponse<String> queue = mod.get("/admin/queue?queue=pending", Map.of("Accept-Language", "ar"));
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(queue.body()).contains("<html lang=\"ar\" dir=\"rtl\"", message("ar", "console.queue.title"),
                message("ar", "console.button.approve"), message("ar", "console.queue.filter.allSites"))
                .doesNotContain(">Approve<", "With the selected", "??");
    }

    @Test
    void theNoticeAfterAnActionIsInTheModeratorsLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        mod.get("/admin/queue?queue=pending");
        HttpResponse<String> done = mod.post("/admin/comments/" + pending + "/approve",
                Map.of("expected", "pending", "return", "/admin/queue?queue=pending"));
        assertThat(done.statusCode()).isEqualTo(302);
        URI back = URI.create(done.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> french = mod.get(back.getRawPath() + "?" + back.getRawQuery(),
                Map.of("Accept-Language", "fr"));
        assertThat(french.body()).contains(BundleMessageResolver.message(Locale.FRENCH, "console.queue.done",
                "comment", Long.toString(pending), message("fr", "console.done.approve"),
                message("fr", "console.was.pending")));
        assertThat(french.body()).contains("Commentaire " + pending + " : approuvé (avant : en attente).");
    }

    @Test
    void aRefusalMadeInJavaIsInTheModeratorsLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        HttpResponse<String> german = mod.get("/admin/sites/999999", Map.of("Accept-Language", "de"));
        assertThat(german.statusCode()).isEqualTo(404);
        assertThat(german.body()).contains("<html lang=\"de\"", message("de", "error.title.404"),
                message("de", "console.error.noSuchSite"));
        assertThat(mod.get("/admin/sites/999999").body()).contains("No such site among the ones you moderate.");
    }

    @Test
    void aNoticeAndAFormErrorMadeInJavaAreInTheModeratorsLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com").languages("es");
        mod.get("/admin/rules");
        String site = Long.toString(server.site().id());
        HttpResponse<String> refused = mod.post("/admin/rules",
                Map.of("site", site, "pattern", "spam", "action", "delete-it"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<html lang=\"es\"", message("es", "console.rules.error.action"),
                message("es", "console.form.notSaved"));
        HttpResponse<String> saved = mod.follow(mod.post("/admin/rules",
                Map.of("site", site, "pattern", "casino", "action", "reject")));
        assertThat(saved.body()).containsPattern("Regla de palabras \\d+ guardada\\.")
                .contains(message("es", "console.rules.heading"));
    }

    @Test
    void theSiteSettingsAndTheirFormErrorsAreInTheModeratorsLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        String path = "/admin/sites/" + server.site().id();
        HttpResponse<String> french = mod.get(path, Map.of("Accept-Language", "fr"));
        assertThat(french.statusCode()).isEqualTo(200);
        assertThat(french.body()).contains("<html lang=\"fr\"", message("fr", "console.site.heading"),
                message("fr", "console.site.language"), message("fr", "console.site.save"))
                .doesNotContain("Default language", "Save settings", "??");

        WebClient german = users.signedIn("polyglot@example.com").languages("de");
        german.get(path);
        HttpResponse<String> refused = german.post(path, Map.of("displayName", "Blog", "editWindowMinutes", "15",
                "maxCommentLength", "5000", "maxLinks", "viele"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<html lang=\"de\"", "Das Link-Limit ist eine Zahl von 0 bis 1000",
                message("de", "console.form.notSaved"));
    }

    @Test
    void theStatisticsAndTheirChartsAreInTheModeratorsLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        HttpResponse<String> spanish = mod.get("/admin/stats?site=" + server.site().id(),
                Map.of("Accept-Language", "es"));
        assertThat(spanish.statusCode()).isEqualTo(200);
        assertThat(spanish.body()).contains("<html lang=\"es\"", message("es", "console.stats.col.median"),
                "<figcaption>" + message("es", "console.stats.chart.comments") + "</figcaption>",
                "<title id=\"chart-comments-title\">Comentarios por día</title>",
                ">" + message("es", "console.stats.col.day") + "</text>")
                .doesNotContain("Comments per day", "Day (UTC)", "The numbers", "??");
    }

    @Test
    void theAuditLogAuthorsAndEditingPagesAreInTheModeratorsLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        HttpResponse<String> audit = mod.get("/admin/audit?from=hier", Map.of("Accept-Language", "fr"));
        assertThat(audit.body()).contains("<html lang=\"fr\"", "<h1>" + message("fr", "console.audit.title") + "</h1>",
                "« hier » n’est pas un jour comme 2026-11-25.").doesNotContain("Audit log", "??");

        HttpResponse<String> authors = mod.get("/admin/authors", Map.of("Accept-Language", "ar"));
        assertThat(authors.body()).contains("<html lang=\"ar\" dir=\"rtl\"", message("ar", "console.authors.heading"),
                message("ar", "console.authors.submit")).doesNotContain("Find an author", "??");

        HttpResponse<String> author = mod.get("/admin/authors/" + server.site().id() + "/ip/198.51.100.7",
                Map.of("Accept-Language", "de"));
        assertThat(author.statusCode()).isEqualTo(200);
        assertThat(author.body()).contains("<html lang=\"de\"", "Adresse 198.51.100.7/32",
                message("de", "console.author.standing")).doesNotContain("Comments, newest first", "??");

        HttpResponse<String> edit = mod.get("/admin/edit/" + pending, Map.of("Accept-Language", "es"));
        assertThat(edit.statusCode()).isEqualTo(200);
        assertThat(edit.body()).contains("<html lang=\"es\"", message("es", "console.edit.submit"),
                message("es", "console.edit.never")).doesNotContain("Save the edit", "??");
    }

    @Test
    void apiKeysAndWebhooksAreInTheOwnersLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        String site = "/admin/sites/" + server.site().id();
        HttpResponse<String> keys = mod.get(site + "/keys", Map.of("Accept-Language", "fr"));
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).contains("<html lang=\"fr\"", message("fr", "console.keys.add"),
                message("fr", "console.keys.col.scopes")).doesNotContain("Create a key", "??");

        WebClient german = users.signedIn("polyglot@example.com").languages("de");
        german.get(site + "/webhooks");
        HttpResponse<String> refused = german.post(site + "/webhooks", Map.of("url", "https://example.com/hook"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<html lang=\"de\"", message("de", "console.webhooks.add"),
                message("de", "console.webhooks.error.events"), message("de", "console.webhooks.event.comment.flagged"))
                .doesNotContain("Add a webhook", "??");
        // the address's reason (WebhookAddress), and a webhook the address names that is not there
        HttpResponse<String> fragment = german.post(site + "/webhooks",
                Map.of("url", "https://8.8.8.8/hook#here", "events", "comment.created"));
        assertThat(fragment.statusCode()).isEqualTo(400);
        assertThat(fragment.body()).contains(message("de", "console.webhooks.error.url.fragment"))
                .doesNotContain("Leave the #fragment out");
        HttpResponse<String> missing = german.get(site + "/webhooks/none");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains(message("de", "console.error.noWebhook"));
    }

    @Test
    void aWebhooksPageAndTheImportsAreInTheOwnersLanguage() {
        WebClient mod = users.signedIn("polyglot@example.com");
        String site = "/admin/sites/" + server.site().id();
        mod.get(site + "/webhooks");
        HttpResponse<String> added = mod.post(site + "/webhooks",
                Map.of("url", "http://127.0.0.1:9/hook", "events", "thread.created"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(302);
        URI hook = URI.create(added.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> spanish = mod.get(hook.getRawPath(), Map.of("Accept-Language", "es"));
        assertThat(spanish.statusCode()).isEqualTo(200);
        assertThat(spanish.body()).contains("<html lang=\"es\"", message("es", "console.webhook.ping"),
                message("es", "console.webhook.checking")).doesNotContain("Send a test event", "??");

        HttpResponse<String> imports = mod.get("/admin/imports", Map.of("Accept-Language", "ar"));
        assertThat(imports.statusCode()).isEqualTo(200);
        assertThat(imports.body()).contains("<html lang=\"ar\" dir=\"rtl\"", message("ar", "console.imports.heading"))
                .doesNotContain("Imports from Disqus", "??");
    }

    @Test
    void theOperatorsPagesAreInTheAdministratorsLanguage() {
        WebClient admin = users.signedIn("operator@example.com");
        HttpResponse<String> errors = admin.get("/admin/errors", Map.of("Accept-Language", "de"));
        assertThat(errors.statusCode()).isEqualTo(200);
        assertThat(errors.body()).contains("<html lang=\"de\"", message("de", "console.errors.heading"))
                .doesNotContain("Unexpected errors", "??");

        HttpResponse<String> queries = admin.get("/admin/queries", Map.of("Accept-Language", "fr"));
        assertThat(queries.statusCode()).isEqualTo(200);
        assertThat(queries.body()).contains("<html lang=\"fr\"", "<h1>" + message("fr", "console.queries.title"))
                .doesNotContain("Query inspector", "??");

        HttpResponse<String> mail = admin.get("/admin/mail", Map.of("Accept-Language", "es"));
        assertThat(mail.statusCode()).isEqualTo(200);
        assertThat(mail.body()).contains("<html lang=\"es\"", "<h1>" + message("es", "console.mail.title"))
                .doesNotContain("Outgoing mail", "??");
    }

    @Test
    void withoutAPreferenceTheConsoleIsEnglish() {
        WebClient mod = users.signedIn("polyglot@example.com");
        HttpResponse<String> queue = mod.get("/admin/queue");
        assertThat(queue.body()).contains("<html lang=\"en\" dir=\"ltr\"", ">Moderation</h1>", "Keyboard shortcuts");
    }

    private static String message(String lang, String key) {
        return BundleMessageResolver.message(Locale.forLanguageTag(lang), key);
    }
}
