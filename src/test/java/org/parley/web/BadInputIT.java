package org.parley.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.discussion.CommentThread;
import org.parley.testing.DatabaseChecksum;
import org.parley.testing.RawHttp;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and malformed requests against every route {@code ParleyServer} registers, as a guest, a member and an
 * administrator: NUL bytes in every field, ids that name no shard (negative, zero, past the last shard, past
 * {@code long}), encoded separators and dot segments in paths, return targets that lead elsewhere, CR LF, huge
 * values and methods nobody serves. Every answer must be a precise status with a message for the person (never a
 * 5xx), and an error must leave every table of the main schema and of every shard exactly as it was (a full-row
 * checksum before and after each request).
 */
class BadInputIT {
    private static final Pattern MESSAGE = Pattern.compile(
            "class=\"(?:error-message|field-error|error-item)\"[^>]*>\\s*([^<]*\\S)");
    private static final String NUL = "\u0000";
    private static final String THREAD_KEY = "bad-input";
    private static final String PAGE = "/t/default/" + THREAD_KEY;
    private static final String EMBED = "/embed/default?key=" + THREAD_KEY + "&url="
            + enc(TestServer.ORIGIN + "/" + THREAD_KEY);
    /** Ids that cannot name a comment: no shard has them, or they are not numbers Java can hold. */
    private static final List<String> IMPOSSIBLE_IDS = List.of(
            "9223372036854775807", "-1", "0", "-9223372036854775808", "99999999999999999999", "1e3", "0x10");
    /** Return targets that would lead off Parley (or nowhere): each must be refused before anything happens. */
    private static final List<String> FOREIGN_RETURNS = List.of(
            "//evil.example/", "/t/..//evil.example/", "/t/./..//evil.example/", "/embed/..//evil.example/",
            "/t/%2e%2e//evil.example/", "/t/%2E%2e/%2e%2e//evil.example", "/\\evil.example", "/t/%5C..%5C/x\\y",
            "https://evil.example/", "javascript:alert(1)", "/t/default/x\r\nSet-Cookie: a=b", "/t/default/x%0",
            "/admin/queue/../../..//evil.example/");

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static Map<String, WebClient> people;
    private static long siteId;
    private static long comment;
    private static long ownComment;
    private static long threadId;
    private static long memberId;

    @BeforeAll
    static void start() {
        siteId = server.site().id();
        CommentThread thread = server.thread(THREAD_KEY);
        threadId = thread.id();
        comment = server.post(thread, null, "A comment to vote on, flag and moderate");
        server.thread("a/b"); // the key of the encoded-separator rows
        WebClient member = server.signedUp("member@example.com", "Member");
        WebClient admin = server.signedUp("admin@example.com", "Admin");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE email = 'admin@example.com'");
        memberId = ((Number) server.parley().databases().main()
                .fetchValue("SELECT id FROM main.account WHERE email = 'member@example.com'")).longValue();
        member.get(PAGE);
        var posted = member.post(PAGE, Map.of("body", "The member's own comment"));
        Matcher id = Pattern.compile("#comment-(\\d+)").matcher(posted.headers().firstValue("Location").orElseThrow());
        assertThat(id.find()).as(posted.body()).isTrue();
        ownComment = Long.parseLong(id.group(1));
        member.get("/c/" + comment + "/flag"); // a page that carries the member's CSRF token
        admin.get("/admin/bans");
        people = Map.of("guest", server.client(), "member", member, "admin", admin);
    }

    /** One request of the table and what it must answer. */
    record Row(String who, String method, String path, Map<String, String> params, int status, String says) {
        @Override
        public String toString() {
            String shown = (method + " " + path + " " + params).replace(NUL, "\\0").replace("\r", "\\r")
                    .replace("\n", "\\n");
            return who + " " + (shown.length() > 140 ? shown.substring(0, 140) + "…" : shown) + " → " + status;
        }
    }

    /** A route with a request that it accepts, to be spoiled one field at a time. */
    record Route(String who, String method, String path, Map<String, String> params) {
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestGetsAPreciseAnswerAndWritesNothing() {
        List<Row> rows = new ArrayList<>();
        rows.addAll(nulInEveryField());
        rows.addAll(impossibleIds());
        rows.addAll(foreignReturnTargets());
        rows.addAll(oddPaths());
        rows.addAll(hugeValues());
        rows.addAll(controlCharacters());
        rows.addAll(wrongMethods());
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.toString(), () -> check(row)));
    }

    // --- the routes -------------------------------------------------------------------------------------------

    /** Every route ParleyServer registers, with the fields each reads. */
    private static List<Route> routes() {
        String flagged = "/c/" + comment;
        String mine = "/c/" + ownComment;
        return List.of(
                new Route("guest", "GET", "/", Map.of("x", "1")),
                new Route("member", "GET", "/", Map.of("x", "1")),
                new Route("guest", "GET", "/demo", Map.of("x", "1")),
                new Route("guest", "GET", "/healthz", Map.of("x", "1")),
                new Route("guest", "GET", "/readyz", Map.of("x", "1")),
                new Route("guest", "GET", "/metrics", Map.of("x", "1")),
                new Route("guest", "GET", "/embed.js", Map.of("x", "1")),
                new Route("guest", "GET", "/avatar/0123456789abcdef.svg", Map.of("x", "1")),
                new Route("guest", "GET", "/static/parley.css", Map.of("x", "1")),
                new Route("guest", "GET", PAGE, ordered("sort", "newest", "after", "")),
                new Route("guest", "GET", "/embed/default", ordered("key", THREAD_KEY, "url",
                        TestServer.ORIGIN + "/" + THREAD_KEY, "title", "A title", "theme", "dark", "sort", "best")),
                new Route("member", "GET", PAGE + "/me", ordered("sort", "oldest", "until", "")),
                new Route("member", "GET", "/embed/default/me", ordered("key", THREAD_KEY, "sort", "oldest")),
                new Route("guest", "POST", PAGE, ordered("body", "Hello", "name", "Guest", "email", "g@example.com",
                        "parent", "")),
                new Route("member", "POST", EMBED, ordered("body", "Hello", "parent", Long.toString(comment))),
                new Route("guest", "GET", flagged, Map.of("x", "1")),
                new Route("guest", "GET", flagged + "/reply", ordered("return", PAGE)),
                new Route("member", "GET", flagged + "/flag", ordered("return", PAGE)),
                new Route("member", "GET", mine + "/edit", ordered("return", EMBED)),
                new Route("member", "POST", flagged + "/vote", ordered("value", "1", "return", PAGE)),
                new Route("member", "POST", flagged + "/flag", ordered("reason", "spam", "note", "n", "return", PAGE)),
                new Route("member", "POST", mine + "/edit", ordered("body", "Edited", "return", PAGE)),
                new Route("member", "POST", mine + "/delete", ordered("return", PAGE)),
                new Route("guest", "GET", "/signin", ordered("return", "/admin")),
                new Route("guest", "GET", "/signup", ordered("return", PAGE)),
                new Route("guest", "POST", "/signin", ordered("email", "nobody@example.com", "password",
                        "not the password", "return", PAGE)),
                new Route("guest", "POST", "/signup", ordered("email", "new@example.com", "name", "New",
                        "password", "a long enough password", "return", PAGE)),
                new Route("member", "POST", "/signout", ordered("return", PAGE)),
                new Route("admin", "GET", "/admin", Map.of("x", "1")),
                new Route("admin", "GET", "/admin/queue", ordered("queue", "pending", "site", Long.toString(siteId),
                        "thread", THREAD_KEY, "author", "Guest", "ip", "127.0.0.1", "text", "hello", "order",
                        "oldest", "from", Long.toString(comment))),
                new Route("admin", "POST", "/admin/comments/" + comment + "/approve",
                        ordered("expected", "approved", "return", "/admin/queue?queue=recent")),
                new Route("admin", "POST", "/admin/comments/selection", ordered("action", "approve",
                        "select", comment + ":approved", "return", "/admin/queue")),
                new Route("admin", "GET", "/admin/bans", Map.of("saved", "1")),
                new Route("admin", "POST", "/admin/bans", ordered("site", Long.toString(siteId), "kind", "ip",
                        "value", "192.0.2.0/24", "reason", "spam", "days", "7")),
                new Route("admin", "GET", "/admin/rules", Map.of("saved", "x")),
                new Route("admin", "POST", "/admin/rules", ordered("site", Long.toString(siteId), "pattern",
                        "buy now", "action", "pending")),
                new Route("admin", "POST", "/admin/rules/trusted", ordered("site", Long.toString(siteId),
                        "account", "member@example.com")),
                new Route("admin", "GET", "/admin/sites", Map.of("created", "1")),
                new Route("admin", "POST", "/admin/sites", ordered("name", "another", "displayName", "Another",
                        "origins", "https://another.example")),
                new Route("admin", "GET", "/admin/sites/" + siteId, Map.of("saved", "1")),
                new Route("admin", "POST", "/admin/sites/" + siteId, ordered("displayName", "Default",
                        "editWindowMinutes", "15", "maxCommentLength", "5000", "origins", TestServer.ORIGIN)),
                new Route("admin", "GET", "/admin/stats", ordered("site", Long.toString(siteId))),
                new Route("admin", "GET", "/admin/authors", ordered("site", Long.toString(siteId), "kind", "email",
                        "value", "g@example.com")),
                new Route("admin", "GET", "/admin/authors/" + siteId + "/account/" + memberId,
                        ordered("before", Long.toString(comment))),
                new Route("admin", "GET", "/admin/authors/" + siteId + "/ip/127.0.0.0%2F8", Map.of("x", "1")),
                new Route("admin", "GET", "/admin/audit", ordered("site", Long.toString(siteId), "moderator",
                        "1", "action", "ban", "target", "x", "from", "2025-01-01", "to", "2099-01-01")),
                new Route("admin", "GET", "/admin/edit/" + comment, Map.of("saved", "1")),
                new Route("admin", "POST", "/admin/edit/" + comment, ordered("seen", "0", "body", "Edited")),
                new Route("admin", "POST", "/admin/pin/" + comment + "/pin", ordered("expected", "unpinned",
                        "return", "/admin/queue")),
                new Route("admin", "POST", "/admin/threads/" + threadId + "/close", ordered("expected", "open",
                        "return", "/admin/queue")),
                new Route("admin", "GET", "/admin/errors", Map.of("x", "1")),
                new Route("admin", "GET", "/admin/queries", Map.of("x", "1")));
    }

    // --- the rows -----------------------------------------------------------------------------------------------

    /** A NUL in any field of any route, query or form, is one precise 400 naming the field. */
    private static List<Row> nulInEveryField() {
        List<Row> rows = new ArrayList<>();
        for (Route route : routes()) {
            for (String field : route.params().keySet()) {
                Map<String, String> params = new LinkedHashMap<>(route.params());
                params.put(field, params.get(field) + NUL + "x");
                rows.add(new Row(route.who(), route.method(), route.path(), params, 400, "NUL character"));
            }
        }
        // the issue's own: NUL in an email, a key, a sign-in and a console filter
        rows.add(new Row("guest", "GET", "/embed/default", ordered("key", "a" + NUL + "b", "url",
                TestServer.ORIGIN + "/a"), 400, "'key'"));
        rows.add(new Row("guest", "POST", "/signin", ordered("email", "a" + NUL + "@example.com", "password",
                "x"), 400, "'email'"));
        rows.add(new Row("admin", "GET", "/admin/queue", ordered("author", NUL), 400, "'author'"));
        return rows;
    }

    /** Ids from the URL or a form that name no comment, thread, site or account: 404 or 400, never a lookup. */
    private static List<Row> impossibleIds() {
        List<Row> rows = new ArrayList<>();
        for (String id : IMPOSSIBLE_IDS) {
            String c = "/c/" + enc(id);
            rows.add(new Row("guest", "GET", c, Map.of(), 404, "does not exist"));
            rows.add(new Row("member", "GET", c + "/flag", Map.of(), 404, "does not exist"));
            rows.add(new Row("member", "POST", c + "/vote", ordered("value", "1"), 404, "does not exist"));
            rows.add(new Row("member", "POST", c + "/flag", ordered("reason", "spam"), 404, "does not exist"));
            rows.add(new Row("member", "POST", c + "/edit", ordered("body", "x"), 404, "does not exist"));
            rows.add(new Row("member", "POST", c + "/delete", Map.of(), 404, "does not exist"));
            rows.add(new Row("guest", "POST", c + "/vote", ordered("value", "1"), 404, "does not exist"));
            rows.add(new Row("guest", "POST", PAGE, ordered("body", "A reply", "name", "Guest", "parent", id),
                    400, "reply"));
            rows.add(new Row("admin", "POST", "/admin/comments/" + enc(id) + "/approve", ordered("expected",
                    "pending"), 404, null));
            rows.add(new Row("admin", "POST", "/admin/comments/selection", ordered("action", "approve", "select",
                    id + ":pending"), id.matches("-?[0-9]{1,19}") ? 404 : 400, null));
            rows.add(new Row("admin", "GET", "/admin/edit/" + enc(id), Map.of(), 404, null));
            rows.add(new Row("admin", "POST", "/admin/pin/" + enc(id) + "/pin", Map.of(), 404, null));
            rows.add(new Row("admin", "POST", "/admin/threads/" + enc(id) + "/close", Map.of(), 404, null));
            rows.add(new Row("admin", "GET", "/admin/sites/" + enc(id), Map.of(), 404, null));
            rows.add(new Row("admin", "GET", "/admin/queue", ordered("site", id), 404, null));
            rows.add(new Row("admin", "GET", "/admin/stats", ordered("site", id), 404, null));
            rows.add(new Row("admin", "GET", "/admin/authors/" + siteId + "/account/" + enc(id), Map.of(), 404, null));
            rows.add(new Row("admin", "GET", "/admin/queries/" + enc(id), Map.of(), 404, null));
        }
        return rows;
    }

    /** Every form that sends the visitor back somewhere refuses a target off Parley, before it acts. */
    private static List<Row> foreignReturnTargets() {
        List<Row> rows = new ArrayList<>();
        for (String target : FOREIGN_RETURNS) {
            rows.add(new Row("guest", "GET", "/signin", ordered("return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("guest", "GET", "/signup", ordered("return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("guest", "POST", "/signin", ordered("email", "member@example.com", "password",
                    TestServer.PASSWORD, "return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("guest", "POST", "/signup", ordered("email", "returner@example.com", "name", "R",
                    "password", "a long enough password", "return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("member", "POST", "/signout", ordered("return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("member", "GET", "/c/" + comment + "/flag", ordered("return", target), 400,
                    ReturnTarget.REFUSED));
            rows.add(new Row("member", "POST", "/c/" + comment + "/vote", ordered("value", "-1", "return", target),
                    400, ReturnTarget.REFUSED));
            rows.add(new Row("member", "POST", "/c/" + comment + "/flag", ordered("reason", "spam", "return",
                    target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("member", "POST", "/c/" + ownComment + "/edit", ordered("body", "Redirected",
                    "return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("member", "POST", "/c/" + ownComment + "/delete", ordered("return", target), 400,
                    ReturnTarget.REFUSED));
            rows.add(new Row("admin", "POST", "/admin/comments/" + comment + "/spam", ordered("expected",
                    "approved", "return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("admin", "POST", "/admin/comments/selection", ordered("action", "spam", "select",
                    comment + ":approved", "return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("admin", "POST", "/admin/pin/" + comment + "/pin", ordered("expected", "unpinned",
                    "return", target), 400, ReturnTarget.REFUSED));
            rows.add(new Row("admin", "POST", "/admin/threads/" + threadId + "/lock", ordered("expected", "open",
                    "return", target), 400, ReturnTarget.REFUSED));
        }
        return rows;
    }

    /**
     * Encoded separators, dot segments and NUL in paths. The thread-key rows ("a/b" and its kin) belong to the
     * thread-navigation work (issue 12, defect 7): a key with "/" must round-trip, and its post answered with a 302.
     */
    private static List<Row> oddPaths() {
        List<Row> rows = new ArrayList<>();
        // refused by Jetty before any servlet (400), or no page there (404): never a file outside static/
        for (String path : List.of("/t/default/a%00b", "/c/%00", "/t/default/%2e%2e", "/t/%2e%2e/x",
                "/admin/%2e%2e/x", "/%5C%5Cevil.example", "/c/1%0D%0AX:y", "/assets/%2e%2e/%2e%2e/x")) {
            rows.add(new Row("guest", "GET", path, Map.of(), 400, "could not be understood"));
        }
        rows.add(new Row("guest", "GET", "/embed/..%2F..%2Fx", Map.of(), 400, null));
        rows.add(new Row("guest", "GET", "/c/1%2F..", Map.of(), 404, null));
        rows.add(new Row("guest", "GET", "/static/..%2F..%2Fpom.xml", Map.of(), 404, "no file"));
        rows.add(new Row("guest", "GET", "/t/default/a%2Fb", Map.of(), 200, null));
        // Parley never writes "\\" or "%" into a key's path segment (ThreadUrls: such keys go as ~base64url), so these
        // are hand-made addresses, which the server refuses as it reads the request line
        rows.add(new Row("guest", "GET", "/t/default/no%5Csuch", Map.of(), 400, "could not be understood"));
        rows.add(new Row("guest", "GET", "/t/default/100%25", Map.of(), 400, "could not be understood"));
        rows.add(new Row("guest", "POST", "/t/default/a%2Fb", ordered("body", "Through an encoded slash", "name",
                "Guest"), 302, null));
        rows.add(new Row("guest", "POST", "/t/default/no%2Fsuch", ordered("body", "x", "name", "Guest"), 404,
                "No such discussion"));
        return rows;
    }

    /** Values far beyond any limit: refused with the limit, or cut where the page says it cuts. */
    private static List<Row> hugeValues() {
        String huge = "x".repeat(60_000);
        String long4k = "x".repeat(4_000); // within Jetty's 8 KiB request line: the application's own limit answers
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("guest", "POST", PAGE, ordered("body", "y".repeat(70_000), "name", "Guest"), 413, "too large"));
        rows.add(new Row("guest", "POST", PAGE, ordered("body", "Hi", "name", huge), 400, "name"));
        rows.add(new Row("guest", "POST", PAGE, ordered("body", "Hi", "name", "G", "email", huge), 400, null));
        rows.add(new Row("guest", "GET", "/embed/default", ordered("key", "k".repeat(501), "url",
                TestServer.ORIGIN + "/k"), 400, "at most 500"));
        rows.add(new Row("guest", "GET", "/embed/default", ordered("key", "k", "url", TestServer.ORIGIN + "/"
                + "u".repeat(3_000)), 400, "http(s) address"));
        rows.add(new Row("guest", "GET", "/t/default/" + "k".repeat(6_000), Map.of(), 404, "No such discussion"));
        rows.add(new Row("guest", "POST", "/signup", ordered("email", "e".repeat(300) + "@example.com", "name",
                "N", "password", "a long enough password"), 400, "email"));
        rows.add(new Row("guest", "POST", "/signup", ordered("email", "long@example.com", "name", huge,
                "password", "a long enough password"), 400, "display name"));
        rows.add(new Row("guest", "POST", "/signin", ordered("email", long4k, "password", long4k), 401,
                "do not match"));
        rows.add(new Row("guest", "POST", "/signin", ordered("email", huge, "password", huge), 413, "too large"));
        rows.add(new Row("guest", "GET", PAGE, ordered("sort", huge), 414, "too long"));
        rows.add(new Row("member", "POST", "/c/" + comment + "/flag", ordered("reason", "other", "note", huge), 400,
                "note"));
        rows.add(new Row("admin", "GET", "/admin/queue", ordered("text", long4k), 400, null));
        rows.add(new Row("admin", "POST", "/admin/bans", ordered("site", Long.toString(siteId), "kind", "email",
                "value", huge, "reason", "r"), 400, null));
        rows.add(new Row("guest", "GET", PAGE, ordered("after", long4k), 400, null));
        return rows;
    }

    /** CR LF and other controls where a header or a log line might take them: inert text, or a precise 400. */
    private static List<Row> controlCharacters() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("guest", "GET", "/embed/default", ordered("key", "k\r\nSet-Cookie: a=b", "url",
                TestServer.ORIGIN + "/k"), 200, null));
        rows.add(new Row("guest", "GET", PAGE, ordered("sort", "newest\r\nX-Injected: 1"), 200, null));
        rows.add(new Row("guest", "POST", "/signin", ordered("email", "a@example.com\r\nX: y", "password", "p"),
                401, "do not match"));
        return rows;
    }

    /** Methods no route serves, TRACE above all (it would echo the Cookie header): 405 with Allow. */
    private static List<Row> wrongMethods() {
        List<Row> rows = new ArrayList<>();
        for (String method : List.of("TRACE", "TRACK", "PUT", "DELETE", "PATCH", "PROPFIND", "FOO")) {
            for (String path : List.of("/", PAGE, "/c/" + comment + "/vote", "/signin", "/admin/queue",
                    "/static/parley.css", "/nowhere")) {
                rows.add(new Row("member", method, path, Map.of(), 405, "does not accept " + method));
            }
        }
        rows.add(new Row("guest", "POST", "/", Map.of(), 405, null));
        rows.add(new Row("guest", "POST", "/healthz", Map.of(), 405, null));
        return rows;
    }

    // --- one request --------------------------------------------------------------------------------------------

    /**
     * Every table's checksum as of the last request, while nothing has written since (a row that may write clears
     * it), with the transaction ids that tell cheaply whether anything wrote: 500 full checksums cost minutes.
     */
    private static String known;
    private static String knownXids;

    private static void check(Row row) {
        var databases = server.parley().databases();
        if (known == null || !knownXids.equals(DatabaseChecksum.nextTransactionIds(databases))) {
            known = DatabaseChecksum.of(databases);
            knownXids = DatabaseChecksum.nextTransactionIds(databases);
        }
        String before = known;
        RawHttp.Response response = send(row);
        String xids = DatabaseChecksum.nextTransactionIds(databases);
        // no transaction id handed out: nothing was written anywhere, so every table is as it was
        String after = xids.equals(knownXids) ? before : DatabaseChecksum.of(databases);
        known = after;
        knownXids = DatabaseChecksum.nextTransactionIds(databases);

        assertThat(response.status()).as("status of %s:\n%s", row, response.body()).isEqualTo(row.status());
        if (response.status() >= 400) {
            Matcher message = MESSAGE.matcher(response.body());
            assertThat(message.find()).as("a message for the person in:\n%s", response.body()).isTrue();
            if (row.says() != null) {
                assertThat(org.owasp.html.Encoding.decodeHtml(message.group(1), false)).contains(row.says());
            }
            assertThat(DatabaseChecksum.changed(before, after)).as("tables written by %s", row).isEmpty();
            assertThat(response.headers("Content-Security-Policy")).as("CSP on %s", row).isNotEmpty();
            assertThat(response.headers("X-Content-Type-Options")).containsExactly("nosniff");
        }
        if (response.status() == 405) {
            assertThat(response.headers("Allow")).allSatisfy(allow -> assertThat(allow).doesNotContain("TRACE"));
        }
        if (response.status() == 302) {
            assertThat(response.headers("Location")).singleElement().asString().startsWith("/")
                    .doesNotStartWith("//").doesNotContain("\\", "\r", "\n");
        }
    }

    private static RawHttp.Response send(Row row) {
        WebClient who = people.get(row.who());
        String query = form(row.params());
        boolean body = row.method().equals("POST");
        String path = body || query.isEmpty() ? row.path() : row.path() + (row.path().contains("?") ? "&" : "?") + query;
        List<String> headers = new ArrayList<>();
        headers.add("Accept: text/html");
        headers.add("Origin: http://127.0.0.1:" + server.parley().port());
        String cookie = who.cookie("parley_session");
        if (cookie != null) {
            headers.add("Cookie: parley_session=" + cookie);
        }
        String form = null;
        if (body) {
            Map<String, String> fields = new LinkedHashMap<>(row.params());
            if (who.csrf() != null) {
                fields.putIfAbsent("csrf", who.csrf());
            }
            form = form(fields);
        }
        return RawHttp.send(server.parley().port(), row.method(), path, "127.0.0.1:" + server.parley().port(),
                headers, form);
    }

    private static String form(Map<String, String> fields) {
        StringJoiner joined = new StringJoiner("&");
        fields.forEach((k, v) -> joined.add(enc(k) + "=" + enc(v)));
        return joined.toString();
    }

    /** A map that keeps the order written (the table reads in the order the form shows its fields). */
    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
