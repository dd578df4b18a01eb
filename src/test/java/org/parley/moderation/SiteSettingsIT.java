package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Site settings in the console: validated whole, saved whole, audited, and seen at once by every page. */
class SiteSettingsIT {
    private static final String PASSWORD = "correct horse battery";
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static long otherSite;

    @BeforeAll
    static void start() {
        var main = server.parley().databases().main();
        otherSite = new SiteRepository(main).create("other", "Other site", List.of(TestServer.ORIGIN));
        var accounts = new AccountRepository(main);
        var moderators = new Moderators(main);
        moderators.add(server.site().id(), accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow());
        moderators.add(otherSite, accounts.create("othermod@example.com", "Other Mod", Passwords.hash(PASSWORD)).orElseThrow());
        long boss = accounts.create("boss@example.com", "Boss", Passwords.hash(PASSWORD)).orElseThrow();
        server.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + boss);
    }

    @Test
    void aModeratorTurnsOnPremoderationAndTheNextCommentWaitsAtOnce() {
        WebClient mod = signedIn("mod@example.com");
        // the site is in the object cache from this page view: the save must drop it
        assertThat(postAsGuest("settings-before", "Before the change").statusCode()).isEqualTo(302);
        assertThat(server.client().get(TestServer.standalonePath("settings-before")).body()).contains("Before the change");

        Map<String, String> form = currentForm(mod);
        form.put("premoderation", "on");
        form.put("maxLinks", "2");
        form.put("editWindowMinutes", "5");
        form.put("origins", TestServer.ORIGIN + "\nhttps://Blog.Example.com/\nhttps://news.example.com:8443");
        HttpResponse<String> saved = mod.post(settingsPath(server.site().id()), form);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        String page = mod.follow(saved).body();
        assertThat(page).contains("Saved (4 settings changed).", "https://blog.example.com", "https://news.example.com:8443");

        assertThat(postAsGuest("settings-after", "After the change").statusCode()).isEqualTo(302);
        assertThat(server.client().get(TestServer.standalonePath("settings-after")).body()).doesNotContain("After the change");
        assertThat(mod.get("/admin/queue?queue=pending").body()).contains("After the change");

        String audit = mod.get("/admin/audit").body();
        assertThat(audit).contains("settings", "site:" + server.site().id(), "pre-moderation: false", "pre-moderation: true",
                "link limit: none", "link limit: 2", "edit window (minutes): 15", "edit window (minutes): 5");

        Map<String, String> back = currentForm(mod);
        back.remove("premoderation");
        back.put("maxLinks", "");
        assertThat(mod.post(settingsPath(server.site().id()), back).statusCode()).isEqualTo(302);
    }

    @Test
    void singleSignOnIsSetInTheConsoleAndItsSecretIsNeverShownBack() {
        WebClient mod = signedIn("othermod@example.com");
        String secret = "console-secret-0123456789abcdefghij";
        var sso = new org.parley.sso.SsoSettingsRepository(server.parley().databases().main());
        Map<String, String> form = currentForm(mod, otherSite);
        form.put("ssoSecret", "too short");
        HttpResponse<String> refused = mod.post(settingsPath(otherSite), form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("The secret is 32 to 200 printable characters").doesNotContain("too short");

        form.put("ssoSecret", secret);
        form.put("ssoLoginUrl", "https://other.example/login");
        HttpResponse<String> saved = mod.post(settingsPath(otherSite), form);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        String page = mod.follow(saved).body();
        assertThat(page).contains("Secret (set; type a new one to replace it)", "https://other.example/login")
                .doesNotContain(secret);
        assertThat(mod.get("/admin/audit").body()).contains("SSO secret: none", "SSO secret: set").doesNotContain(secret);

        Map<String, String> again = currentForm(mod, otherSite);
        again.put("ssoLoginUrl", "https://other.example/login");
        assertThat(mod.post(settingsPath(otherSite), again).statusCode()).isEqualTo(302);
        assertThat(sso.of(otherSite).secret()).as("a blank secret field keeps the secret").isEqualTo(secret);

        again.put("ssoOff", "on");
        assertThat(mod.post(settingsPath(otherSite), again).statusCode()).isEqualTo(302);
        assertThat(sso.of(otherSite).enabled()).isFalse();
    }

    @Test
    void ownersAppointAndRemoveModeratorsAndModeratorsCannot() {
        var main = server.parley().databases().main();
        var accounts = new AccountRepository(main);
        long helper = accounts.create("helper@example.com", "Helper", Passwords.hash(PASSWORD)).orElseThrow();
        WebClient owner = signedIn("othermod@example.com");
        owner.get(settingsPath(otherSite));

        HttpResponse<String> unknown = owner.post(settingsPath(otherSite) + "/moderators",
                Map.of("email", "not an address", "role", "moderator"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("&#39;not an address&#39; does not look like an email address.");
        // an address without an account is invited instead (InvitationIT follows one through)

        owner.get(settingsPath(otherSite));
        HttpResponse<String> appointed = owner.post(settingsPath(otherSite) + "/moderators",
                Map.of("email", "HELPER@example.com", "role", "moderator"));
        assertThat(appointed.statusCode()).as(appointed.body()).isEqualTo(302);
        assertThat(owner.follow(appointed).body()).contains("Moderators changed.", "helper@example.com", "Helper");

        WebClient moderator = signedIn("helper@example.com");
        String page = moderator.get(settingsPath(otherSite)).body();
        assertThat(page).contains("its owners change its settings and moderators").doesNotContain("id=\"moderators\"");
        assertThat(moderator.post(settingsPath(otherSite) + "/moderators/" + helper + "/remove", Map.of()).statusCode())
                .isEqualTo(403);

        owner.get(settingsPath(otherSite));
        assertThat(owner.post(settingsPath(otherSite) + "/moderators/" + helper + "/remove", Map.of()).statusCode())
                .isEqualTo(302);
        assertThat(new Moderators(main).sitesOf(accounts.byId(helper).orElseThrow())).isEmpty();
        assertThat(owner.get("/admin/audit").body()).contains("appoint", "Helper as moderator", "remove-moderator");
    }

    @Test
    void everyBadFieldIsShownBesideItselfAndNothingIsSaved() {
        WebClient mod = signedIn("mod@example.com");
        long auditBefore = auditCount();
        Map<String, String> form = currentForm(mod);
        form.put("displayName", "");
        form.put("editWindowMinutes", "-3");
        form.put("maxCommentLength", "lots");
        form.put("maxLinks", "1001");
        form.put("origins", "https://ok.example.com\nftp://files.example.com\nhttps://blog.example.com/path");
        form.put("closed", "on");
        HttpResponse<String> refused = mod.post(settingsPath(server.site().id()), form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Nothing was saved",
                "id=\"displayName-error\"", "The name is 1 to 200 characters.",
                "id=\"editWindowMinutes-error\"", "The edit window is a number of minutes from 0",
                "id=\"maxCommentLength-error\"", "The longest comment is a number of characters from 1 to 100000.",
                "id=\"maxLinks-error\"", "The link limit is a number from 0 to 1000",
                "id=\"origins-error\"", "ftp://files.example.com, https://blog.example.com/path",
                "value=\"lots\"");

        assertThat(auditCount()).isEqualTo(auditBefore);
        var site = server.site();
        assertThat(site.closed()).isFalse();
        assertThat(site.displayName()).isNotEmpty();
        assertThat(new SiteRepository(server.parley().databases().main()).origins(site.id()))
                .doesNotContain("https://ok.example.com");
    }

    @Test
    void aSaveOverAnotherModeratorsChangeIsRefusedAndShowsTheCurrentSettings() {
        WebClient first = signedIn("mod@example.com");
        WebClient second = signedIn("boss@example.com");
        Map<String, String> firstForm = currentForm(first);
        Map<String, String> secondForm = currentForm(second);
        firstForm.put("maxCommentLength", "4321");
        assertThat(first.post(settingsPath(server.site().id()), firstForm).statusCode()).isEqualTo(302);

        secondForm.put("maxCommentLength", "1234");
        HttpResponse<String> stale = second.post(settingsPath(server.site().id()), secondForm);
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("Another moderator changed these settings meanwhile", "value=\"4321\"");
        assertThat(server.site().maxCommentLength()).isEqualTo(4321);

        Map<String, String> again = currentForm(second);
        again.put("maxCommentLength", "10000");
        assertThat(second.post(settingsPath(server.site().id()), again).statusCode()).isEqualTo(302);
    }

    @Test
    void closingTheSiteChangesAGuestsCachedPageAtOnce() {
        WebClient guest = server.client();
        HttpResponse<String> first = guest.get(TestServer.embedPath("revalidated"));
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(guest.get(TestServer.embedPath("revalidated"), Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);

        WebClient mod = signedIn("mod@example.com");
        Map<String, String> form = currentForm(mod);
        form.put("closed", "on");
        assertThat(mod.post(settingsPath(server.site().id()), form).statusCode()).isEqualTo(302);
        try {
            HttpResponse<String> again = guest.get(TestServer.embedPath("revalidated"), Map.of("If-None-Match", etag));
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("Comments are closed here.");
        } finally {
            Map<String, String> reopen = currentForm(mod);
            reopen.remove("closed");
            assertThat(mod.post(settingsPath(server.site().id()), reopen).statusCode()).isEqualTo(302);
        }
    }

    @Test
    void aForgedSiteIdIsNotFoundAndChangesNothing() {
        WebClient otherMod = signedIn("othermod@example.com");
        otherMod.get(settingsPath(otherSite));
        Map<String, String> form = new HashMap<>(Map.of("displayName", "Taken over", "editWindowMinutes", "1",
                "maxCommentLength", "10", "origins", "https://evil.example.com", "site", Long.toString(otherSite)));
        HttpResponse<String> forged = otherMod.post(settingsPath(server.site().id()), form);
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(forged.body()).contains("No such site among the ones you moderate.");
        assertThat(server.site().displayName()).isNotEqualTo("Taken over");
        assertThat(otherMod.get("/admin/sites").body()).contains("Other site").doesNotContain("Default");
    }

    @Test
    void anAdministratorCreatesASiteWithAValidatedName() {
        WebClient boss = signedIn("boss@example.com");
        boss.get("/admin/sites");
        HttpResponse<String> bad = boss.post("/admin/sites", Map.of("name", "Has Spaces", "displayName", "x",
                "origins", "not an origin"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"name-error\"", "id=\"origins-error\"", "Nothing was saved");
        HttpResponse<String> duplicate = boss.post("/admin/sites", Map.of("name", "other", "displayName", "x", "origins", ""));
        assertThat(duplicate.body()).contains("There is already a site named &#39;other&#39;.");

        HttpResponse<String> created = boss.post("/admin/sites", Map.of("name", "blog", "displayName", "The Blog",
                "origins", "https://blog.example.com"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        assertThat(boss.follow(created).body()).contains("Site created", "The Blog", "https://blog.example.com");
        assertThat(new SiteRepository(server.parley().databases().main()).byName("blog")).isPresent();
    }

    private static Map<String, String> currentForm(WebClient mod) {
        return currentForm(mod, server.site().id());
    }

    private static Map<String, String> currentForm(WebClient mod, long site) {
        String page = mod.get(settingsPath(site)).body();
        Map<String, String> form = new HashMap<>();
        for (String f : List.of("displayName", "editWindowMinutes", "maxCommentLength", "maxLinks", "seen")) {
            var m = java.util.regex.Pattern.compile("name=\"" + f + "\"[^>]*value=\"([^\"]*)\"").matcher(page);
            form.put(f, m.find() ? m.group(1) : "");
        }
        var origins = java.util.regex.Pattern.compile("name=\"origins\"[^>]*>([^<]*)</textarea>").matcher(page);
        form.put("origins", origins.find() ? origins.group(1) : "");
        for (String box : List.of("guestsAllowed", "premoderation", "closed", "firstCommentPending")) {
            if (java.util.regex.Pattern.compile("name=\"" + box + "\" type=\"checkbox\" checked").matcher(page).find()) {
                form.put(box, "on");
            }
        }
        return form;
    }

    private static String settingsPath(long site) {
        return "/admin/sites/" + site;
    }

    private static long auditCount() {
        return server.parley().databases().main().fetchSingle("SELECT count(*) FROM main.audit_log").get(0, Long.class);
    }

    private static HttpResponse<String> postAsGuest(String key, String body) {
        WebClient guest = server.client();
        guest.get(TestServer.embedPath(key));
        return guest.post(TestServer.embedPath(key), Map.of("body", body, "name", "Guest"));
    }

    private static WebClient signedIn(String email) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", new HashMap<>(Map.of("email", email, "password", PASSWORD)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
