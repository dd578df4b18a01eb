package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jooq.DSLContext;
import org.parley.data.Ids;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.db.shard.Tables.COMMENT;

/**
 * After posting — top-level or reply, guest or member, standalone or embed, in every sort — and through a
 * permalink ({@code /c/{id}}), a visitor lands on the page that holds the comment (a reply: its top-level
 * comment's), at {@code #comment-{id}}, with a confirmation; finding that page costs the same statements on a
 * thread of 120 comments and of 600.
 */
class CommentPagesIT {
    private static final Pattern COMMENT_ID = Pattern.compile("<li id=\"comment-(\\d+)\"");
    private static final Pattern MORE = Pattern.compile("<p class=\"more\"><a href=\"([^\"]+)\"");
    private static final Pattern FORM = Pattern.compile("<form class=\"comment-form\" method=\"post\" action=\"([^\"]+)\"");
    private static final String POSTED = "Thanks! Your comment is posted.";
    private static final String HELD = "Thanks! Your comment will appear once a moderator approves it.";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aGuestPostingWithThePagesOwnFormOnA120CommentThreadLandsOnAFullPageEndingWithTheirCommentAndAConfirmation() {
        List<Long> ids = build("guest-120", 120);
        WebClient guest = server.client();
        String form = formAction(guest.get(TestServer.standalonePath("guest-120")));

        HttpResponse<String> posted = guest.post(form, Map.of("name", "Grace", "body", "Comment one hundred and twenty-one"));

        assertThat(posted.statusCode()).isEqualTo(302);
        String location = location(posted);
        assertThat(location).as("a page ending with it: after the 71st comment, so 49 are shown above it")
                .startsWith(TestServer.standalonePath("guest-120") + "?sort=oldest&after=" + ids.get(70) + "&posted=approved#comment-");
        HttpResponse<String> page = guest.follow(posted);
        assertThat(ids(page.body())).hasSize(50).contains(idIn(location)).last().isEqualTo(idIn(location));
        assertThat(page.body()).contains("Comment one hundred and twenty-one", POSTED);
    }

    @Test
    void aReplyLandsOnThePageOfItsTopLevelCommentInEverySort() {
        List<Long> ids = build("reply-120", 120);
        long parent = ids.get(69); // the 70th oldest, the 51st newest, and (no votes) the 51st best: page 2 in each
        for (Sort sort : Sort.values()) {
            WebClient guest = server.client();
            String path = TestServer.standalonePath("reply-120") + "?sort=" + sort.urlValue();
            HttpResponse<String> posted = guest.post(formAction(guest.get(path)),
                    Map.of("name", "Rita", "body", "A reply in " + sort, "parent", Long.toString(parent)));

            HttpResponse<String> page = guest.follow(posted);

            assertThat(ids(page.body())).as(sort + ": " + location(posted)).contains(Long.toString(parent), idIn(location(posted)));
            assertThat(page.body()).contains("A reply in " + sort, POSTED);
            assertThat(location(posted)).contains("sort=" + sort.urlValue());
        }
    }

    @Test
    void postingInTheEmbedLandsOnTheEmbedsPageThatHoldsTheComment() {
        List<Long> ids = build("embed-120", 120);
        WebClient guest = server.client();
        String form = formAction(guest.get(TestServer.embedPath("embed-120")));

        HttpResponse<String> posted = guest.post(form, Map.of("name", "Emma", "body", "Posted from the frame"));

        assertThat(location(posted)).startsWith(TestServer.embedPath("embed-120") + "&sort=oldest&after=" + ids.get(70) + "&posted=approved#comment-");
        HttpResponse<String> page = guest.follow(posted);
        assertThat(page.body()).contains("Posted from the frame", POSTED, "thread-embed");
        assertThat(ids(page.body())).last().isEqualTo(idIn(location(posted)));
        // a standalone page may not be framed by the host: in the embed, permalinks open a tab of their own
        assertThat(page.body()).contains("<a href=\"/c/" + idIn(location(posted)) + "\" target=\"_blank\"><time>");
        assertThat(guest.get(TestServer.standalonePath("embed-120")).body())
                .containsPattern("<a href=\"/c/\\d+\"><time>");
    }

    @Test
    void aHeldCommentLandsWhereItWillBeWithTheHeldForReviewNoticeAndItsMemberSeesItThere() {
        build("held-120", 120);
        WebClient member = server.signedUp("held@example.com", "Hal"); // no script: their page is rendered for them
        String form = formAction(member.get(TestServer.standalonePath("held-120")));
        WebClient guest = server.client();
        String guestForm = formAction(guest.get(TestServer.standalonePath("held-120")));
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        HttpResponse<String> byMember;
        HttpResponse<String> byGuest;
        try {
            byMember = member.post(form, Map.of("body", "A held comment by Hal"));
            byGuest = guest.post(guestForm, Map.of("name", "Gus", "body", "A held comment by Gus"));
        } finally {
            server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        }

        assertThat(location(byMember)).contains("&after=", "&posted=pending#comment-");
        HttpResponse<String> memberPage = member.follow(byMember);
        assertThat(memberPage.body()).contains(HELD, "A held comment by Hal");
        assertThat(ids(memberPage.body())).last().isEqualTo(idIn(location(byMember)));
        HttpResponse<String> guestPage = guest.follow(byGuest);
        assertThat(location(byGuest)).contains("&after=", "&posted=pending#comment-");
        assertThat(guestPage.body()).contains(HELD).doesNotContain("A held comment by Gus");
    }

    /**
     * The pages as "load more" cuts them are the truth: for every sort, with two pinned comments opening the first
     * page and scores with many ties, each page's first and last top-level comment and every reply has a permalink
     * that leads to exactly the page that shows it.
     */
    @Test
    void everyPermalinkLeadsToThePageThatShowsItsCommentInEverySort() {
        List<Long> ids = build("permalinks", 130);
        var shard = server.parley().databases().write(Ids.shardOf(ids.getFirst()));
        for (int i = 0; i < ids.size(); i++) {
            shard.update(COMMENT).set(COMMENT.SCORE, i * 7 % 5 - 1).where(COMMENT.ID.eq(ids.get(i))).execute();
        }
        shard.update(COMMENT).set(COMMENT.PINNED, true).where(COMMENT.ID.in(ids.get(9), ids.get(120))).execute();
        CommentThread thread = server.thread("permalinks");
        List<Long> replies = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 9) {
            long reply = server.post(thread, ids.get(i), "Reply to " + i);
            replies.add(reply);
            replies.add(server.post(thread, reply, "Reply to the reply to " + i));
        }
        String base = TestServer.standalonePath("permalinks");
        WebClient visitor = server.client();
        for (Sort sort : Sort.values()) {
            Map<String, String> pageOf = new LinkedHashMap<>();
            List<String> checked = new ArrayList<>();
            String page = base + "?sort=" + sort.urlValue();
            int pages = 0;
            while (page != null) {
                HttpResponse<String> shown = visitor.get(page);
                List<String> onPage = topLevel(shown.body());
                for (String id : ids(shown.body())) {
                    pageOf.put(id, page);
                }
                checked.add(onPage.getFirst());
                checked.add(onPage.getLast());
                Matcher more = MORE.matcher(shown.body());
                page = more.find() ? more.group(1).replace("&amp;", "&") : null;
                pages++;
            }
            assertThat(pages).as(sort + " pages").isEqualTo(3);
            replies.forEach(r -> checked.add(Long.toString(r)));
            for (String id : checked) {
                HttpResponse<String> permalink = visitor.get("/c/" + id + "?sort=" + sort.urlValue());
                assertThat(permalink.statusCode()).isEqualTo(302);
                assertThat(location(permalink)).as("comment %s sorted %s", id, sort)
                        .isEqualTo(pageOf.get(id) + "#comment-" + id);
            }
        }
        // without ?sort=, the default; on its first page the thread's plain address, as permalinks always had
        assertThat(location(visitor.get("/c/" + ids.get(5)))).isEqualTo(base + "#comment-" + ids.get(5));
        assertThat(location(visitor.get("/c/" + ids.get(125)))).startsWith(base + "?sort=oldest&after=");
    }

    /** The page of a comment is a count and an offset: no more statements for a thread five times as long. */
    @Test
    void findingTheCommentsPageCostsTheSameStatementsOnThreadsOf120And600Comments() {
        build("cost-120", 120);
        List<Long> large = build("cost-600", 600);
        Map<String, Integer> costs = new LinkedHashMap<>();
        for (String key : List.of("cost-120", "cost-600")) {
            WebClient guest = server.client();
            String form = formAction(guest.get(TestServer.standalonePath(key)));
            guest.get(TestServer.standalonePath(key)); // the site and the thread's version are cached now
            guest.get("/c/" + ids(guest.get(TestServer.standalonePath(key)).body()).getFirst()); // the site by id too
            HttpResponse<String> posted = guest.post(form, Map.of("name", "Cy", "body", "Counting in " + key));
            costs.put(key + " post", sqlCount(posted));
            HttpResponse<String> permalink = guest.get("/c/" + idIn(location(posted)));
            assertThat(location(permalink)).contains("&after=");
            costs.put(key + " permalink", sqlCount(permalink));
        }
        assertThat(costs.get("cost-600 post")).as(costs.toString()).isEqualTo(costs.get("cost-120 post"));
        assertThat(costs.get("cost-600 permalink")).as(costs.toString()).isEqualTo(costs.get("cost-120 permalink"))
                .as("the comment, the count, the cursor").isLessThanOrEqualTo(3);
        assertThat(location(server.client().get("/c/" + large.get(420)))).contains("&after=" + large.get(399) + "#");
    }

    /**
     * The redirect after a post finds its page from the comment's top-level one in one statement
     * ({@link CommentRepository#pageEndingAtTopLevel}): the same page the general two statements find from the
     * comment, in the oldest and newest sorts, for guests and for a member who sees their own held comments, with
     * none to three pinned (the top-level comment among them or not), some held, removed or shadowed, for each place
     * the comment could be in, for a reply as for a top-level comment, and for a comment of another thread.
     */
    @Test
    void theRedirectFindsTheSamePageInOneStatementFromTheTopLevelCommentAsTheGeneralTwoFromTheComment() {
        List<Long> ids = build("redirect-same", 130);
        CommentThread thread = server.thread("redirect-same");
        DSLContext shard = new ThreadRepository(server.parley().databases()).primary(thread);
        // votes on every third, which these sorts must ignore; every seventh held, half of those account 1's own
        // (which account 1 counts, guests do not); every eleventh removed (no replies: hidden) or shadowed
        shard.update(COMMENT).set(COMMENT.SCORE, 2).where(COMMENT.ID.in(every(ids, 3, 1))).execute();
        shard.update(COMMENT).set(COMMENT.STATE, CommentView.State.PENDING.column())
                .where(COMMENT.ID.in(every(ids, 7, 3))).execute();
        shard.update(COMMENT).set(COMMENT.AUTHOR_ACCOUNT_ID, 1L).where(COMMENT.ID.in(every(ids, 14, 3))).execute();
        shard.update(COMMENT).set(COMMENT.STATE, CommentView.State.DELETED.column())
                .where(COMMENT.ID.in(every(ids, 22, 5))).execute();
        shard.update(COMMENT).set(COMMENT.SHADOW, true).where(COMMENT.ID.in(every(ids, 22, 16))).execute();
        long reply = server.post(thread, ids.get(90), "A reply to the 91st");
        long elsewhere = build("redirect-other", 1).getFirst();
        var repository = new CommentRepository();
        int compared = 0;
        for (List<Long> pinned : List.of(List.<Long>of(), List.of(ids.get(60)), List.of(ids.get(60), ids.get(90)),
                List.of(ids.get(60), ids.get(2), ids.get(100)))) {
            shard.update(COMMENT).set(COMMENT.PINNED, COMMENT.ID.in(pinned)).where(COMMENT.THREAD_ID.eq(thread.id())).execute();
            List<long[]> commentAndTop = new ArrayList<>(ids.stream().map(id -> new long[] {id, id}).toList());
            commentAndTop.add(new long[] {reply, ids.get(90)});
            commentAndTop.add(new long[] {elsewhere, elsewhere});
            for (long[] pair : commentAndTop) {
                for (Sort sort : List.of(Sort.OLDEST, Sort.NEWEST)) { // best runs the general statements
                    for (Long viewer : java.util.Arrays.asList(null, 1L)) {
                        assertThat(repository.pageEndingAtTopLevel(shard, thread.id(), pair[1], sort, viewer))
                                .map(page -> page.format(sort))
                                .as("comment %d (top-level %d of %s), %s, viewer %s, pinned %s", pair[0],
                                        ids.indexOf(pair[1]), ids.size(), sort, viewer, pinned)
                                .isEqualTo(repository.pageEndingAt(shard, thread.id(), pair[0], sort, viewer)
                                        .map(page -> page.format(sort)));
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(4 * 132 * 2 * 2);
        // both answers occur, or the comparison could be of empties only
        assertThat(repository.pageEndingAtTopLevel(shard, thread.id(), ids.get(120), Sort.OLDEST, null)).isPresent();
        assertThat(repository.pageEndingAtTopLevel(shard, thread.id(), ids.get(5), Sort.OLDEST, null)).isEmpty();
    }

    /** Every {@code n}th of {@code ids}, from the {@code from}th. */
    private static List<Long> every(List<Long> ids, int n, int from) {
        return java.util.stream.IntStream.range(0, ids.size()).filter(i -> i % n == from).mapToObj(ids::get).toList();
    }

    /** {@code count} top-level comments, oldest first; their ids in that order. */
    private static List<Long> build(String key, int count) {
        CommentThread thread = server.thread(key);
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(server.post(thread, null, "Comment " + i + " of " + key));
        }
        return ids;
    }

    private static String formAction(HttpResponse<String> page) {
        Matcher m = FORM.matcher(page.body());
        assertThat(m.find()).as("the page's comment form:\n" + page.body()).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("expected a redirect, got " + response.statusCode() + ":\n" + response.body()));
    }

    private static String idIn(String location) {
        return location.substring(location.indexOf("#comment-") + "#comment-".length());
    }

    private static int sqlCount(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }

    private static List<String> ids(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = COMMENT_ID.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static List<String> topLevel(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("<li id=\"comment-(\\d+)\"[^>]* data-depth=\"0\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
