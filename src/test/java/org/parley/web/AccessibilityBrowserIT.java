package org.parley.web;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.discussion.CommentForm;
import org.parley.mail.Mail;
import org.parley.site.EventType;
import org.parley.testing.Browser;
import org.parley.testing.TestServer;
import org.parley.webhook.WebhookRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * axe-core's WCAG 2.1 A and AA rules, and its best practices, run inside real Chromium on every page a visitor,
 * a member and a moderator see — the embed in its frame on a host page and on its own, the error pages, every
 * console page — once with the light theme and once with the dark one (the visitor's system setting, emulated).
 * Each page must have no violation. The pages tried are printed with their result, so a run says what it covered.
 */
class AccessibilityBrowserIT {
    private static final List<String> RULES = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice");
    private static final String ADMIN = "a11y-admin@example.com";
    private static final String MEMBER = "a11y-member@example.com";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static Browser browser;
    /** Pages as {path, what it is}: a guest's, a signed-in member's, the console's. */
    private static final List<String[]> VISITOR_PAGES = new ArrayList<>();
    private static final List<String[]> MEMBER_PAGES = new ArrayList<>();
    private static final List<String[]> CONSOLE_PAGES = new ArrayList<>();

    @BeforeAll
    static void start() {
        var main = server.parley().databases().main();
        var accounts = new AccountRepository(main);
        long admin = accounts.create(ADMIN, "Ada Admin", Passwords.hash(TestServer.PASSWORD)).orElseThrow();
        server.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + admin);
        long memberId = accounts.create(MEMBER, "Mel Member", Passwords.hash(TestServer.PASSWORD)).orElseThrow();
        Account member = new Account(memberId, MEMBER, "Mel Member", false);
        TestServer.withoutSpamChecks(server.parley());

        var site = server.site();
        var thread = server.thread("a11y");
        long first = server.post(thread, null, "A first comment with a [link](https://example.com/page) and *emphasis*.");
        server.post(thread, first, "A reply with a wide code block:\n\n```\n" + "let x = 'a line far wider than any phone';"
                .repeat(8) + "\n```");
        long own = server.comments().post(site, thread, member, new CommentForm("Mel's own comment, which Mel may edit",
                null, null, null), "127.0.0.1").id();
        long reported = server.post(thread, null, "A comment someone reported");
        server.mainSql("UPDATE main.site SET premoderation = true WHERE id = " + site.id());
        server.post(thread, null, "A comment waiting for a moderator");
        server.mainSql("UPDATE main.site SET premoderation = false WHERE id = " + site.id());
        server.thread("a11y-empty");

        long hook = new WebhookRepository(main).create(site.id(), "http://127.0.0.1:9/hook",
                Set.of(EventType.COMMENT_CREATED), admin).id();
        long delivery = main.fetchOne("INSERT INTO main.outbox (kind, payload, state, attempts) VALUES ('webhook',"
                + " ?::jsonb, 'dead', 3) RETURNING id", Json.object(Map.of("hook", Long.toString(hook), "event",
                "e1", "type", "comment.created", "body", "{\"id\":\"1\"}"))).get(0, Long.class);
        long mail = main.fetchOne("INSERT INTO main.outbox (kind, payload, state, attempts) VALUES ('mail', ?::jsonb,"
                + " 'dead', 12) RETURNING id", new Mail("someone@example.com", "A subject", "text", "<p>html</p>",
                "<x@localhost>", Optional.empty(), Optional.empty()).toJson()).get(0, Long.class);
        long imported = ((Number) main.fetchValue("INSERT INTO main.disqus_import (site_id, file_name, started_by)"
                + " VALUES (" + site.id() + ", 'export.xml', 'a11y') RETURNING id")).longValue();

        // a comment kept while its shard was away (docs/spool.md): its author's page, and the console's list
        var spool = new org.parley.discussion.CommentSpool(main, new org.parley.discussion.SpoolLimits(10, 10), "a11y");
        var ticket = spool.keep(new org.parley.discussion.CommentSpool.Entry(
                new org.parley.discussion.ThreadRepository(server.parley().databases()).shardOf(site.id(), "a11y-spooled"),
                site.id(), "a11y-spooled", null, null, null, false,
                new CommentForm("A comment written *while the database was away*", null, "Sam", null), "127.0.0.1",
                TestServer.standalonePath("a11y-spooled")));

        String threadPage = TestServer.standalonePath("a11y");
        visitor("/", "home");
        visitor(org.parley.discussion.SpoolPages.savedUrl(ticket, new org.parley.discussion.ShownIn(null, null, null,
                null)), "a spooled comment's page for its author");
        visitor("/demo", "a host page with the embed in its frame");
        visitor(threadPage, "a thread page");
        visitor(TestServer.standalonePath("a11y-empty"), "a thread without comments");
        visitor(TestServer.embedPath("a11y"), "the embed's own page");
        visitor("/c/" + first + "/reply?return=" + threadPage, "the reply form without script");
        visitor("/c/" + reported + "/flag?return=" + threadPage, "the report form");
        visitor("/signin", "sign in");
        visitor("/signup", "sign up");
        visitor("/forgot", "forgotten password");
        visitor("/reset?token=not-a-token", "an expired reset link");
        visitor("/unsubscribe?token=not-a-token", "a broken unsubscribe link");
        visitor("/no/such/page", "not found");

        member(threadPage, "a thread page, signed in");
        member("/c/" + own + "/edit?return=" + threadPage, "editing one's comment");
        member("/account", "the account page");

        String s = Long.toString(site.id());
        console("/admin", "the console's front page");
        for (String queue : List.of("pending", "flagged", "spam", "deleted", "recent")) {
            console("/admin/queue?queue=" + queue, "the " + queue + " queue");
        }
        console("/admin/edit/" + first, "editing a comment");
        console("/admin/authors", "finding an author");
        console("/admin/authors/" + s + "/account/" + memberId, "an author's history");
        console("/admin/bans", "bans");
        console("/admin/rules", "rules");
        console("/admin/sites", "sites");
        console("/admin/sites/" + s, "a site's settings");
        console("/admin/sites/" + s + "/webhooks", "webhooks");
        console("/admin/sites/" + s + "/webhooks/" + hook, "a webhook");
        console("/admin/sites/" + s + "/webhooks/" + hook + "/deliveries/" + delivery, "a delivery");
        console("/admin/sites/" + s + "/keys", "API keys");
        console("/admin/stats", "statistics");
        console("/admin/audit", "the audit log");
        console("/admin/spool", "spooled comments");
        console("/admin/imports", "imports");
        console("/admin/imports/" + imported, "an import");
        console("/admin/errors", "errors");
        console("/admin/queries", "sampled requests");
        console("/admin/queries/{sample}", "a sampled request");
        console("/admin/mail", "outgoing mail");
        console("/admin/mail/main/" + mail, "a mail");

        browser = Browser.withJavaScript();
        report(reported);
    }

    private static void visitor(String path, String what) {
        VISITOR_PAGES.add(new String[] {path, what});
    }

    private static void member(String path, String what) {
        MEMBER_PAGES.add(new String[] {path, what});
    }

    private static void console(String path, String what) {
        CONSOLE_PAGES.add(new String[] {path, what});
    }

    /** A guest reports the comment from the thread page, so the reported queue has a report with its reason. */
    private static void report(long comment) {
        browser.get(server.base() + "/c/" + comment + "/flag?return=" + TestServer.standalonePath("a11y"));
        browser.visible(By.cssSelector("input[name='reason'][value='spam']")).click();
        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.driver().findElement(By.cssSelector("main form button[type='submit']")).click();
        browser.awaitReplaced(page);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @ParameterizedTest(name = "{0} theme")
    @ValueSource(strings = {"light", "dark"})
    void everyPageHasNoViolation(String theme) {
        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", theme))));
        List<String> found = new ArrayList<>();
        List<String> tried = new ArrayList<>();

        browser.clearCookies();
        for (String[] page : VISITOR_PAGES) {
            check(page, theme, found, tried);
        }
        signIn(MEMBER);
        for (String[] page : MEMBER_PAGES) {
            check(page, theme, found, tried);
        }
        signIn(ADMIN);
        String sample = sampledRequest();
        for (String[] page : CONSOLE_PAGES) {
            check(new String[] {page[0].replace("{sample}", sample), page[1]}, theme, found, tried);
        }
        System.out.println("AccessibilityBrowserIT, " + theme + ": axe-core " + RULES + " on " + tried.size()
                + " pages:\n  " + String.join("\n  ", tried));
        assertThat(found).as("axe-core violations, " + theme + " theme").isEmpty();
    }

    /**
     * Beyond axe's rule (which lets a small target pass when nothing else is near it): every control of a thread,
     * outside the comments' own text, is at least 24 × 24 px, on its own page and in the embed, on a phone.
     */
    @org.junit.jupiter.api.Test
    void everyControlOfAThreadIsAtLeast24PixelsSquare() {
        browser.viewport(375, 800);
        try {
            for (String page : List.of(TestServer.standalonePath("a11y"), TestServer.embedPath("a11y"))) {
                browser.clearCookies();
                browser.get(server.base() + page);
                browser.awaitDiscussionReady();
                Object small = browser.driver().executeScript("""
                        return Array.from(document.querySelectorAll(
                                '.discussion a, .discussion button, .discussion input, .discussion textarea'))
                            .filter(e => !e.closest('.comment-body') && e.type !== 'hidden' && e.getClientRects().length)
                            .map(e => [e.outerHTML.slice(0, 90), e.getBoundingClientRect()])
                            .filter(([html, r]) => r.width < 24 || r.height < 24)
                            .map(([html, r]) => Math.round(r.width) + ' x ' + Math.round(r.height) + ' ' + html);
                        """);
                browser.screenshot(page.startsWith("/embed") ? "embed-375" : "thread-375");
                assertThat((List<?>) small).as("controls smaller than 24 x 24 px on " + page).isEmpty();
            }
        } finally {
            browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private static void check(String[] page, String theme, List<String> found, List<String> tried) {
        browser.get(server.base() + page[0]);
        browser.waiting().until(d -> "complete".equals(browser.driver().executeScript("return document.readyState")));
        if (!browser.driver().findElements(By.cssSelector(".discussion[data-overlay]")).isEmpty()) {
            browser.awaitDiscussionReady();
        }
        Results results = new AxeBuilder().withTags(RULES).analyze(browser.driver());
        int before = found.size();
        for (Rule rule : results.getViolations()) {
            for (CheckedNode node : rule.getNodes()) {
                found.add(page[1] + " (" + page[0] + ", " + theme + "): " + rule.getId() + " — " + rule.getHelp()
                        + "\n      at " + node.getTarget() + ": " + node.getHtml()
                        + "\n      " + String.valueOf(node.getFailureSummary()).replace("\n", "\n      "));
            }
        }
        tried.add(String.format("%-45s %-70s %s", page[1], page[0],
                found.size() == before ? "ok" : (found.size() - before) + " violation(s)"));
    }

    private static void signIn(String email) {
        browser.clearCookies();
        browser.get(server.base() + "/signin");
        browser.visible(By.id("email")).sendKeys(email);
        browser.driver().findElement(By.id("password")).sendKeys(TestServer.PASSWORD);
        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.driver().findElement(By.cssSelector("main form button[type='submit']")).click();
        browser.awaitReplaced(page);
    }

    /** The query inspector keeps a request the administrator marks with ?inspect=1; the newest kept one's number. */
    private static String sampledRequest() {
        browser.get(server.base() + TestServer.standalonePath("a11y") + "?inspect=1");
        browser.get(server.base() + "/admin/queries");
        Matcher link = Pattern.compile("/admin/queries/(\\d+)").matcher(browser.driver().getPageSource());
        assertThat(link.find()).as("the inspector kept the marked request").isTrue();
        return link.group(1);
    }
}
