package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.discussion.CommentForm;
import org.parley.discussion.ThreadRepository;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.web.RouteTable;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's authorisation matrix: every /admin route and action × every kind of visitor. The target site is
 * T ("default"); O ("other") is a second site. Only T's moderator and administrators may act on T:
 * <ul>
 *   <li>anonymous: a GET is sent to sign in (302 → /signin), a POST is refused (401);</li>
 *   <li>a plain account: 403;</li>
 *   <li>O's moderator: 404, the same answer as for something that does not exist — or, on a page whose address
 *   does not name T (it lists all the viewer's sites), their own page without a trace of T (such rows name a
 *   secret only T's staff see);</li>
 *   <li>T's moderator and an administrator: the page (and its secret), or the action's effect.</li>
 * </ul>
 * Every POST sends the exact form T's moderator would send, so O's moderator is forging T's ids; rows marked
 * "forged" also put a site id or comment id the viewer does moderate beside one they do not. Every refused POST
 * is checked to have changed nothing. A new route is one line in {@link #ROUTES}.
 *
 * <p>Placeholders in paths and forms: {@code {T}} {@code {O}} the sites, {@code {mine}} a site the viewer
 * moderates (O for O's moderator, else T), {@code {pending}} a fresh pending comment on T, {@code {approved}} a
 * fresh approved one on T, {@code {onO}} a fresh pending comment on O, {@code {n}} a marker unique to the
 * attempt, {@code {account}} the plain account's id.
 */
class ConsoleAuthorisationIT {
    private static final String PASSWORD = "correct horse battery";

    /** MOD owns T; SITEMOD moderates T without owning it (no settings, no moderators). */
    enum Role { ANONYMOUS, PLAIN, OTHERMOD, SITEMOD, MOD, BOSS }

    private static final Set<Role> SITE_STAFF = EnumSet.of(Role.SITEMOD, Role.MOD, Role.BOSS);
    private static final Set<Role> OWNERS = EnumSet.of(Role.MOD, Role.BOSS);
    private static final Set<Role> ADMIN_ONLY = EnumSet.of(Role.BOSS);

    /** What a route does when allowed: a page (with a secret of T it must show), a redirect, or an effect. */
    record Route(String method, String path, String form, Set<Role> allowed, String secret, String redirect,
                 Predicate<Attempt> applied, int refusedForModerators) {
        @Override
        public String toString() {
            return method + " " + path + (form.isEmpty() ? "" : " [" + form + "]");
        }
    }

    /** One request: the placeholders' values for it. */
    record Attempt(Map<String, String> values) {
        String get(String name) {
            return values.get(name);
        }

        long id(String name) {
            return Long.parseLong(values.get(name));
        }
    }

    private static final String SECRET_COMMENT = "secret-pending-comment-of-T";
    private static final String SECRET_BAN = "secret-ban-reason-of-T";
    private static final String SECRET_RULE = "secret-word-rule-of-T";
    private static final String SECRET_IMPORT = "secret-import-of-t.xml";
    private static final String SECRET_MAIL = "secret-mail-subject";
    private static final String SECRET_HOOK = "secret-hook-of-T";
    private static final String SECRET_HOOK_BODY = "secret-hook-delivery-of-T";
    private static final String SECRET_KEY = "secret-key-name-of-T";
    private static final String SECRET_SPOOL = "secret-spooled-comment-of-T";
    /** A valid settings form for T (guests stay allowed: the fixtures post as guests). */
    private static final String SETTINGS = "guestsAllowed=on&editWindowMinutes=15&maxCommentLength=10000&origins="
            + TestServer.ORIGIN;

    /** The matrix. GET rows come first: the POST rows add audit entries and queue items. */
    static final List<Route> ROUTES = List.of(
            page("/admin", null),
            page("/admin/", null),
            page("/admin/queue?site={T}", null),
            page("/admin/queue?queue=pending", SECRET_COMMENT),
            page("/admin/audit", SECRET_BAN),
            page("/admin/spool", SECRET_SPOOL),
            page("/admin/audit?site={T}&action=ban", SECRET_BAN),
            page("/admin/bans", SECRET_BAN),
            page("/admin/rules", SECRET_RULE),
            page("/admin/sites", "<code>default</code>"),
            page("/admin/sites/{T}", null),
            page("/admin/stats?site={T}", null),
            page("/admin/stats", null),
            page("/admin/authors", null),
            page("/admin/authors/{T}/account/{account}", null),
            page("/admin/authors/{T}/ip/127.0.0.1", null),
            redirect("/admin/authors?site={T}&kind=account&value={account}", "/admin/authors/{T}/account/{account}"),
            page("/admin/edit/{approved}", null),
            page("/admin/imports", SECRET_IMPORT),
            page("/admin/imports/{import}", SECRET_IMPORT),
            ownersPage("/admin/sites/{T}/webhooks", SECRET_HOOK),
            ownersPage("/admin/sites/{T}/webhooks/{hook}", SECRET_HOOK),
            ownersPage("/admin/sites/{T}/webhooks/{hook}/deliveries/{delivery}", SECRET_HOOK_BODY),
            // forged: T's hook under the viewer's own site's address
            ownersPage("/admin/sites/{mine}/webhooks/{hook}", SECRET_HOOK),
            ownersPage("/admin/sites/{T}/keys", SECRET_KEY),
            // operator pages: administrators only, whatever sites a moderator has
            new Route("GET", "/admin/errors", "", ADMIN_ONLY, null, null, a -> true, 403),
            new Route("GET", "/admin/queries", "", ADMIN_ONLY, null, null, a -> true, 403),
            new Route("GET", "/admin/queries/{sample}", "", ADMIN_ONLY, null, null, a -> true, 403),
            new Route("GET", "/admin/mail", "", ADMIN_ONLY, SECRET_MAIL, null, a -> true, 403),
            new Route("GET", "/admin/mail/main/{mail}", "", ADMIN_ONLY, SECRET_MAIL, null, a -> true, 403),
            new Route("POST", "/admin/mail/main/{mail}/resend", "", ADMIN_ONLY, null, null,
                    a -> !mailState(a.id("mail")).equals("dead"), 403),

            action("/admin/comments/{pending}/approve", "expected=pending&return=/admin/queue", a -> state(a.id("pending")).equals("approved")),
            action("/admin/comments/{pending}/reject", "", a -> state(a.id("pending")).equals("deleted")),
            action("/admin/comments/{pending}/spam", "", a -> state(a.id("pending")).equals("spam")),
            action("/admin/comments/{pending}/restore", "", a -> state(a.id("pending")).equals("approved")),
            action("/admin/comments/{approved}/hold", "", a -> state(a.id("approved")).equals("pending")),
            action("/admin/comments/selection", "action=approve&select={pending}:pending",
                    a -> state(a.id("pending")).equals("approved")),
            action("/admin/edit/{approved}", "seen=-1&body=Edited {n}",
                    a -> commentText(a.id("approved")).equals("Edited " + a.get("n"))),
            action("/admin/pin/{approved}/pin", "expected=unpinned", a -> commentFlag(a.id("approved"), "pinned")),
            action("/admin/reports/{reported}/dismiss", "expected=open", a -> flagCount(a.id("reported")) == 0),
            action("/admin/threads/{thread}/close", "expected=open", a -> threadClosed(a.id("thread"))),
            action("/admin/threads/{thread}/lock", "expected=open", a -> threadClosed(a.id("thread"))),
            // forged: a site the viewer moderates in the form does not make T's comment theirs
            action("/admin/comments/{pending}/approve", "site={mine}&expected=pending", a -> state(a.id("pending")).equals("approved")),
            // forged: T's moderator acting on O's comment, naming T in the form — only O's staff may
            new Route("POST", "/admin/comments/{onO}/approve", "site={T}", EnumSet.of(Role.OTHERMOD, Role.BOSS), null, null,
                    a -> state(a.id("onO")).equals("approved"), 404),

            action("/admin/bans", "site={T}&kind=email&value={n}@example.com&reason=matrix {n}",
                    a -> count("SELECT count(*) FROM main.ban WHERE reason = 'matrix " + a.get("n") + "'") == 1),
            action("/admin/rules", "site={T}&pattern=matrix{n}&action=pending",
                    a -> count("SELECT count(*) FROM main.word_rule WHERE pattern = 'matrix" + a.get("n") + "'") == 1),
            action("/admin/rules/trusted", "site={T}&account={account}",
                    a -> count("SELECT count(*) FROM main.trusted_author WHERE site_id = " + a.get("T")
                            + " AND account_id = " + a.get("account")) == 1),

            owners("/admin/sites/{T}", SETTINGS + "&displayName=Matrix {n}", a -> displayName(a.id("T")).equals("Matrix " + a.get("n"))),
            // forged: the viewer's own site in a hidden field, T in the address
            owners("/admin/sites/{T}", SETTINGS + "&site={mine}&displayName=Matrix {n}", a -> displayName(a.id("T")).equals("Matrix " + a.get("n"))),
            owners("/admin/sites/{T}/moderators", "email={fresh}&role=moderator",
                    a -> count("SELECT count(*) FROM main.site_moderator WHERE site_id = " + a.get("T")
                            + " AND account_id = " + a.get("freshId")) == 1),
            owners("/admin/sites/{T}/moderators/{member}/remove", "",
                    a -> count("SELECT count(*) FROM main.site_moderator WHERE site_id = " + a.get("T")
                            + " AND account_id = " + a.get("member")) == 0),
            owners("/admin/sites/{T}/invitations/withdraw", "email={invited}",
                    a -> count("SELECT count(*) FROM main.moderator_invitation WHERE site_id = " + a.get("T")
                            + " AND email = '" + a.get("invited") + "'") == 0),
            owners("/admin/sites/{T}/webhooks", "url=http://127.0.0.1:9/hook-{n}&events=comment.created",
                    a -> count("SELECT count(*) FROM main.webhook WHERE site_id = " + a.get("T")
                            + " AND url = 'http://127.0.0.1:9/hook-" + a.get("n") + "'") == 1),
            owners("/admin/sites/{T}/webhooks/{hook}/ping", "",
                    a -> count("SELECT count(*) FROM main.outbox WHERE kind = 'webhook' AND payload ->> 'hook' = '"
                            + a.get("hook") + "' AND payload ->> 'type' = 'ping'") == 1),
            owners("/admin/sites/{T}/webhooks/{hook}/deliveries/{delivery}/redeliver", "",
                    a -> mailState(a.id("delivery")).equals("queued")),
            // answered with the page that shows the new key once (200), not a redirect
            owners("/admin/sites/{T}/keys", "name=matrix key {n}&scopes=read",
                    a -> count("SELECT count(*) FROM main.api_key WHERE site_id = " + a.get("T")
                            + " AND name = 'matrix key " + a.get("n") + "'") == 1),
            owners("/admin/sites/{T}/keys/{key}/revoke", "",
                    a -> count("SELECT count(*) FROM main.api_key WHERE id = " + a.get("key")
                            + " AND revoked_at IS NOT NULL") == 1),
            owners("/admin/sites/{T}/webhooks/{hook}/delete", "",
                    a -> count("SELECT count(*) FROM main.webhook WHERE id = " + a.get("hook")) == 0),
            new Route("POST", "/admin/sites", "name=matrix-{n}&displayName=Matrix&origins=", ADMIN_ONLY, null, null,
                    a -> count("SELECT count(*) FROM main.site WHERE name = 'matrix-" + a.get("n") + "'") == 1, 403)
    );

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_WEBHOOKS_TO_PRIVATE_ADDRESSES", "true"));
    private static long siteT;
    private static long siteO;
    private static long plainId;
    private static String sampleId;
    private static long importId;
    private static long listedHook;
    private static final Map<Role, WebClient> clients = new EnumMap<>(Role.class);
    private static final AtomicInteger attempts = new AtomicInteger();

    @BeforeAll
    static void start() {
        var main = server.parley().databases().main();
        siteT = server.site().id();
        siteO = new SiteRepository(main).create("other", "Other site", List.of(TestServer.ORIGIN));
        var accounts = new AccountRepository(main);
        var moderators = new Moderators(main);
        long boss = accounts.create("boss@example.com", "Boss", Passwords.hash(PASSWORD)).orElseThrow();
        server.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + boss);
        plainId = accounts.create("plain@example.com", "Plain", Passwords.hash(PASSWORD)).orElseThrow();
        long mod = accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow();
        moderators.add(siteT, mod);
        long otherMod = accounts.create("othermod@example.com", "Other Mod", Passwords.hash(PASSWORD)).orElseThrow();
        moderators.add(siteO, otherMod);
        long siteMod = accounts.create("sitemod@example.com", "Site Mod", Passwords.hash(PASSWORD)).orElseThrow();
        moderators.appoint(siteT, siteMod, Moderators.Role.MODERATOR);

        // what only T's staff may see on the pages that list all of a viewer's sites
        pendingOn(siteT, SECRET_COMMENT);
        long ban = new Bans(main).create(new Bans.NewBan(siteT, "email", "secret@example.com", SECRET_BAN, null, false), mod);
        new AuditLog(main).record(new org.parley.account.Account(mod, "mod@example.com", "Mod", false), siteT, "ban",
                "ban:" + ban, null, SECRET_BAN);
        new SiteRules(main).addWord(siteT, SECRET_RULE, "pending", mod);
        importId = main.fetchValue("INSERT INTO main.disqus_import (site_id, file_name, started_by) VALUES ("
                + siteT + ", '" + SECRET_IMPORT + "', 'matrix') RETURNING id") instanceof Number n ? n.longValue() : -1;

        deadMail(); // one for the list of outgoing mail to show
        listedHook = hookOfT(); // one for the list of T's webhooks to show
        keyOfT(SECRET_KEY); // and of its API keys
        spooledOnT(); // and a comment kept while a shard was away
        clients.put(Role.ANONYMOUS, server.client());
        for (Role role : List.of(Role.PLAIN, Role.OTHERMOD, Role.SITEMOD, Role.MOD, Role.BOSS)) {
            clients.put(role, signedIn(role.name().toLowerCase(java.util.Locale.ROOT) + "@example.com"));
        }
        // a request the query inspector keeps, for the page that shows one
        var marked = clients.get(Role.BOSS).get(TestServer.standalonePath("matrix") + "?inspect=1");
        String queries = clients.get(Role.BOSS).get("/admin/queries").body();
        Matcher sample = Pattern.compile("href=\"/admin/queries/(\\d+)\"").matcher(queries);
        assertThat(sample.find()).as("the inspector kept the marked request (" + marked.statusCode() + "):\n" + queries)
                .isTrue();
        sampleId = sample.group(1);
    }

    /** A comment of T in the spool (written through the spool's own storage), listed on /admin/spool. */
    private static void spooledOnT() {
        var databases = server.parley().databases();
        var spool = new org.parley.discussion.CommentSpool(databases.main(),
                new org.parley.discussion.SpoolLimits(10, 10), "matrix");
        String key = "matrix-spooled";
        spool.keep(new org.parley.discussion.CommentSpool.Entry(
                new org.parley.discussion.ThreadRepository(databases).shardOf(siteT, key), siteT, key, null, null, null,
                false, new org.parley.discussion.CommentForm(SECRET_SPOOL, null, "Guest", null), "127.0.0.1",
                "/t/t/" + key));
    }

    /**
     * The matrix reaches every route behind the console's doors in the server's own route table, so a route added
     * to a guarded group without a row here fails this test rather than going untried.
     */
    @Test
    void theMatrixTriesEveryRouteBehindTheConsoleDoors() {
        RouteTable table = server.parley().routes();
        Set<String> guarded = new TreeSet<>();
        for (RouteTable.Route route : table.routes()) {
            if (route.group().startsWith("console")) {
                guarded.add(route.method() + " " + route.pattern());
            }
        }
        Set<String> tried = new TreeSet<>();
        for (Route row : ROUTES) {
            String path = row.path().replaceAll("\\{[a-zA-Z]+}", "1").replaceFirst("\\?.*$", "");
            RouteTable.Route route = table.resolve(row.method(), path).route();
            assertThat(route).as(row.method() + " " + row.path() + " is in the route table").isNotNull();
            tried.add(route.method() + " " + route.pattern());
        }

        assertThat(guarded).isNotEmpty();
        assertThat(tried).containsAll(guarded);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Route route : ROUTES) {
            for (Role role : Role.values()) {
                cases.add(Arguments.of(route, role));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void onlyTheSitesModeratorsAndAdministratorsSucceed(Route route, Role role) {
        Attempt attempt = attempt(role, route);
        WebClient client = clients.get(role);
        String path = fill(route.path(), attempt);
        boolean allowed = route.allowed().contains(role);
        HttpResponse<String> response;
        if (route.method().equals("GET")) {
            response = client.get(path);
        } else {
            client.get(TestServer.embedPath("matrix")); // a page with a form: a valid CSRF token for this visitor
            response = client.post(path, form(fill(route.form(), attempt)));
        }
        String seen = response.statusCode() + " " + response.headers().firstValue("Location").orElse("") + "\n"
                + response.body();

        if (allowed) {
            if (route.method().equals("POST")) {
                // a redirect after the change, or (a new API key) the page that shows what was made, once
                assertThat(response.statusCode()).as(seen).isIn(200, 302);
                assertThat(route.applied().test(attempt)).as("the action took effect").isTrue();
            } else if (route.redirect() != null) {
                assertThat(response.statusCode()).as(seen).isEqualTo(302);
                assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith(fill(route.redirect(), attempt));
            } else {
                assertThat(response.statusCode()).as(seen).isEqualTo(200);
                if (route.secret() != null) {
                    assertThat(response.body()).contains(route.secret());
                }
            }
            return;
        }
        switch (role) {
            case ANONYMOUS -> {
                if (route.method().equals("GET")) {
                    assertThat(response.statusCode()).as(seen).isEqualTo(302);
                    assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("/signin");
                } else {
                    assertThat(response.statusCode()).as(seen).isEqualTo(401);
                }
            }
            case PLAIN -> assertThat(response.statusCode()).as(seen).isEqualTo(403);
            case OTHERMOD -> {
                if (route.method().equals("GET") && !route.path().contains("{") && route.allowed() != ADMIN_ONLY) {
                    // a page over all of the viewer's sites: theirs, with nothing of T
                    assertThat(response.statusCode()).as(seen).isIn(200, 302);
                    if (route.secret() != null) {
                        assertThat(response.body()).doesNotContain(route.secret());
                    }
                } else {
                    assertThat(response.statusCode()).as(seen).isEqualTo(route.refusedForModerators());
                }
            }
            case MOD -> assertThat(response.statusCode()).as(seen).isEqualTo(route.refusedForModerators());
            // T's moderator where only its owners may: told so (403), not told the site is not there
            case SITEMOD -> assertThat(response.statusCode()).as(seen)
                    .isEqualTo(route.allowed().contains(Role.MOD) ? 403 : route.refusedForModerators());
            case BOSS -> throw new AssertionError("administrators are refused nothing");
        }
        if (route.method().equals("POST")) {
            assertThat(route.applied().test(attempt)).as("a refused action changed nothing").isFalse();
        }
    }

    // ---- rows ----

    static Route page(String path, String secret) {
        return new Route("GET", path, "", SITE_STAFF, secret, null, a -> true, 404);
    }

    static Route redirect(String path, String target) {
        return new Route("GET", path, "", SITE_STAFF, null, target, a -> true, 404);
    }

    static Route action(String path, String form, Predicate<Attempt> applied) {
        return new Route("POST", path, form, SITE_STAFF, null, null, applied, 404);
    }

    /** An action of T's owners (and administrators): its settings and moderators. */
    /** A page of T's owners (and administrators): its webhooks. */
    static Route ownersPage(String path, String secret) {
        return new Route("GET", path, "", OWNERS, secret, null, a -> true, 404);
    }

    static Route owners(String path, String form, Predicate<Attempt> applied) {
        return new Route("POST", path, form, OWNERS, null, null, applied, 404);
    }

    // ---- fixtures ----

    /** A mail that could not be sent (dead: the server's own outbox worker leaves it alone until it is resent). */
    private static long deadMail() {
        String mail = new org.parley.mail.Mail("someone@example.com", SECRET_MAIL, "text", "<p>html</p>",
                "<x@localhost>", java.util.Optional.empty(), java.util.Optional.empty()).toJson();
        return server.parley().databases().main()
                .fetchOne("INSERT INTO main.outbox (kind, payload, state, attempts) VALUES ('mail', ?::jsonb, 'dead', 12)"
                        + " RETURNING id", mail).get(0, Long.class);
    }

    /** A webhook of T, whose address is a secret only T's owners see. */
    private static long hookOfT() {
        return new org.parley.webhook.WebhookRepository(server.parley().databases().main()).create(siteT,
                "http://127.0.0.1:9/" + SECRET_HOOK + "-" + attempts.incrementAndGet(),
                java.util.Set.of(org.parley.site.EventType.COMMENT_CREATED), plainId).id();
    }

    /** An API key of T, its name a secret only T's owners see. */
    private static long keyOfT(String name) {
        return new org.parley.api.ApiKeys(server.parley().databases().main(), server.parley().cache(),
                java.time.Clock.systemUTC()).create(siteT, name, java.util.Set.of(org.parley.api.ApiKey.Scope.READ),
                plainId).key().id();
    }

    /** A delivery to a hook that could not be made (dead), with a body only T's owners see. */
    private static long deadDelivery(long hook) {
        String payload = org.parley.web.Json.object(Map.of("hook", Long.toString(hook), "event",
                java.util.UUID.randomUUID().toString(), "type", "comment.created", "body", "{\"x\":\""
                        + SECRET_HOOK_BODY + "\"}"));
        return server.parley().databases().main()
                .fetchOne("INSERT INTO main.outbox (kind, payload, state, attempts) VALUES ('webhook', ?::jsonb, 'dead',"
                        + " 12) RETURNING id", payload).get(0, Long.class);
    }

    private static String mailState(long id) {
        return server.parley().databases().main().fetchOne("SELECT state FROM main.outbox WHERE id = ?", id)
                .get(0, String.class);
    }

    /** The placeholders' values; comments are made only for the placeholders the row uses. */
    private static Attempt attempt(Role role, Route route) {
        String uses = route.path() + " " + route.form();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("T", Long.toString(siteT));
        values.put("O", Long.toString(siteO));
        values.put("mine", Long.toString(role == Role.OTHERMOD ? siteO : siteT));
        values.put("n", "m" + attempts.incrementAndGet());
        values.put("account", Long.toString(plainId));
        values.put("sample", sampleId);
        values.put("import", Long.toString(importId));
        if (uses.contains("{mail}")) {
            values.put("mail", Long.toString(deadMail()));
        }
        if (uses.contains("/webhooks")) {
            // earlier attempts' hooks go, or T would reach its limit of webhooks before the "add" rows
            server.mainSql("DELETE FROM main.webhook WHERE site_id = " + siteT + " AND id <> " + listedHook);
        }
        if (uses.contains("{key}")) {
            values.put("key", Long.toString(keyOfT("key " + values.get("n"))));
        }
        if (uses.contains("{hook}")) {
            values.put("hook", Long.toString(hookOfT()));
        }
        if (uses.contains("{delivery}")) {
            values.put("delivery", Long.toString(deadDelivery(Long.parseLong(values.get("hook")))));
        }
        if (uses.contains("{pending}")) {
            values.put("pending", Long.toString(pendingOn(siteT, "pending " + values.get("n"))));
        }
        if (uses.contains("{approved}")) {
            long approved = pendingOn(siteT, "approved " + values.get("n"));
            shardSql(approved, "UPDATE %s.comment SET state = 'approved' WHERE id = " + approved);
            values.put("approved", Long.toString(approved));
        }
        if (uses.contains("{reported}")) {
            long reported = pendingOn(siteT, "reported " + values.get("n"));
            shardSql(reported, "UPDATE %s.comment SET state = 'approved', flag_count = 1 WHERE id = " + reported);
            shardSql(reported, "INSERT INTO %s.flag (comment_id, reporter, reason) VALUES (" + reported
                    + ", 'ip:192.0.2.9', 'abuse')");
            values.put("reported", Long.toString(reported));
        }
        if (uses.contains("{thread}")) {
            // a thread of its own: closing the fixtures' thread would refuse the comments later rows need
            values.put("thread", Long.toString(new ThreadRepository(server.parley().databases())
                    .findOrCreate(siteT, "matrix-" + values.get("n"), TestServer.ORIGIN + "/m", "M").id()));
        }
        if (uses.contains("{onO}")) {
            values.put("onO", Long.toString(pendingOn(siteO, "on O " + values.get("n"))));
        }
        if (uses.contains("{fresh}")) {
            // an account of its own per attempt: appointing the plain account would change its answers in later rows
            String email = "fresh-" + values.get("n") + "@example.com";
            long id = new AccountRepository(server.parley().databases().main()).create(email, "Fresh", "x").orElseThrow();
            values.put("fresh", email);
            values.put("freshId", Long.toString(id));
        }
        if (uses.contains("{invited}")) {
            String email = "invited-" + values.get("n") + "@example.com";
            server.mainSql("INSERT INTO main.moderator_invitation (site_id, email, role) VALUES (" + siteT + ", '"
                    + email + "', 'moderator')");
            values.put("invited", email);
        }
        if (uses.contains("{member}")) {
            long id = new AccountRepository(server.parley().databases().main())
                    .create("member-" + values.get("n") + "@example.com", "Member", "x").orElseThrow();
            new Moderators(server.parley().databases().main()).appoint(siteT, id, Moderators.Role.MODERATOR);
            values.put("member", Long.toString(id));
        }
        if (uses.contains("{account}")) {
            // the trust row must not exist before the attempt, or "applied" could not tell
            server.mainSql("DELETE FROM main.trusted_author WHERE account_id = " + plainId);
        }
        return new Attempt(values);
    }

    /** A comment held for review on a site (as its pre-moderation would). */
    static long pendingOn(long siteId, String body) {
        Site s = new SiteRepository(server.parley().databases().main()).byId(siteId).orElseThrow();
        Site premoderated = new Site(s.id(), s.name(), s.displayName(), s.guestsAllowed(), true, s.editWindow(),
                s.maxCommentLength(), s.closed());
        var thread = new ThreadRepository(server.parley().databases())
                .findOrCreate(siteId, "matrix", TestServer.ORIGIN + "/matrix", "Matrix");
        return server.comments().post(premoderated, thread, null, new CommentForm(body, null, "Guest", null),
                "127.0.0.1").id();
    }

    static String state(long commentId) {
        return server.parley().databases().write(Ids.shardOf(commentId))
                .fetchSingle("SELECT state FROM " + ShardRouter.schemaOf(Ids.shardOf(commentId)) + ".comment WHERE id = "
                        + commentId).get(0, String.class);
    }

    static String commentText(long commentId) {
        return server.parley().databases().write(Ids.shardOf(commentId))
                .fetchSingle("SELECT body_source FROM " + ShardRouter.schemaOf(Ids.shardOf(commentId))
                        + ".comment WHERE id = " + commentId).get(0, String.class);
    }

    static int flagCount(long commentId) {
        return server.parley().databases().write(Ids.shardOf(commentId))
                .fetchSingle("SELECT flag_count FROM " + ShardRouter.schemaOf(Ids.shardOf(commentId))
                        + ".comment WHERE id = " + commentId).get(0, Integer.class);
    }

    static boolean commentFlag(long commentId, String column) {
        return server.parley().databases().write(Ids.shardOf(commentId))
                .fetchSingle("SELECT " + column + " FROM " + ShardRouter.schemaOf(Ids.shardOf(commentId))
                        + ".comment WHERE id = " + commentId).get(0, Boolean.class);
    }

    /** Closed (or locked, which closes too), on whichever shard the thread is. */
    static boolean threadClosed(long threadId) {
        int shard = Ids.shardOf(threadId);
        return server.parley().databases().write(shard)
                .fetchSingle("SELECT closed FROM " + ShardRouter.schemaOf(shard) + ".thread WHERE id = " + threadId)
                .get(0, Boolean.class);
    }

    static void shardSql(long commentId, String sqlWithSchema) {
        server.parley().databases().write(Ids.shardOf(commentId))
                .execute(sqlWithSchema.formatted(ShardRouter.schemaOf(Ids.shardOf(commentId))));
    }

    static String displayName(long siteId) {
        return server.parley().databases().main()
                .fetchSingle("SELECT display_name FROM main.site WHERE id = " + siteId).get(0, String.class);
    }

    static long count(String sql) {
        return server.parley().databases().main().fetchSingle(sql).get(0, Long.class);
    }

    private static String fill(String template, Attempt attempt) {
        String out = template;
        for (var e : attempt.values().entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> form = new HashMap<>();
        if (!encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                int eq = pair.indexOf('=');
                form.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return form;
    }

    private static WebClient signedIn(String email) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", new HashMap<>(Map.of("email", email, "password", PASSWORD)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
