package org.parley.feed;

import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.io.WireFeedInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.discussion.CommentThread;
import org.parley.discussion.CommentView.State;
import org.parley.discussion.ThreadVersions;
import org.parley.moderation.ModerationService;
import org.parley.testing.TestServer;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feeds read back by ROME, a feed library readers use: Atom and RSS 2.0 of a thread and of a site, with the
 * elements the specifications require, visible comments only and newest first, cacheable, a 304 for a reader
 * polling an unchanged thread, and linked from the thread page for readers to find.
 */
class FeedsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static CommentThread thread;

    @BeforeAll
    static void aThreadWithVisibleAndHiddenComments() {
        thread = server.thread("feed-thread");
        long first = server.post(thread, null, "The *first* comment & more");
        server.post(thread, first, "A reply to it");
        long held = server.post(thread, null, "Held for a moderator");
        long spam = server.post(thread, null, "Spam spam spam");
        server.post(thread, null, "The newest visible one");
        var accounts = new AccountRepository(server.parley().databases().main());
        Account mod = accounts.byId(accounts.create("feed-mod@example.com", "Mod", "x").orElseThrow()).orElseThrow();
        var moderation = new ModerationService(server.parley().databases(), new ThreadVersions(server.parley().cache()));
        moderation.act(mod, Set.of(server.site().id()), held, ModerationService.Action.HOLD, State.APPROVED);
        moderation.act(mod, Set.of(server.site().id()), spam, ModerationService.Action.SPAM, State.APPROVED);
        server.post(server.thread("feed-elsewhere"), null, "On another thread of the site");
    }

    /** Feeds name Parley by its public address (PARLEY_PUBLIC_URL), as readers elsewhere must reach it. */
    private static String publicUrl() {
        return server.settings().get("PARLEY_PUBLIC_URL").replaceAll("/$", "");
    }

    @Test
    void aThreadsAtomFeedHasItsVisibleCommentsNewestFirst() throws Exception {
        HttpResponse<String> response = server.client().get(TestServer.standalonePath("feed-thread") + "/atom");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/atom+xml"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        Feed feed = (Feed) new WireFeedInput().build(new StringReader(response.body()));
        assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
        assertThat(feed.getTitleEx().getValue()).isEqualTo("Comments on “feed-thread”");
        assertThat(feed.getId()).isNotBlank();
        assertThat(feed.getUpdated()).isNotNull();
        assertThat(feed.getOtherLinks()).extracting(Link::getRel).contains("self");
        List<Entry> entries = feed.getEntries();
        assertThat(entries).extracting(e -> e.getContents().getFirst().getValue()).containsExactly(
                "<p>The newest visible one</p>", "<p>A reply to it</p>",
                "<p>The <em>first</em> comment &amp; more</p>");
        for (Entry e : entries) {
            assertThat(e.getId()).startsWith(publicUrl() + "/c/");
            assertThat(e.getTitle()).isEqualTo("Guest on “feed-thread”");
            assertThat(e.getUpdated()).isNotNull();
            assertThat(e.getAuthors()).hasSize(1);
            assertThat(e.getContents().getFirst().getType()).isEqualTo("html");
        }
    }

    @Test
    void aThreadsRssFeedIsRss2WithPermalinksAndAuthors() throws Exception {
        HttpResponse<String> response = server.client().get(TestServer.standalonePath("feed-thread") + "/rss");

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/rss+xml"));
        Channel channel = (Channel) new WireFeedInput().build(new StringReader(response.body()));
        assertThat(channel.getFeedType()).isEqualTo("rss_2.0");
        assertThat(channel.getLink()).isNotBlank();
        assertThat(channel.getDescription()).isNotBlank();
        List<Item> items = channel.getItems();
        assertThat(items).hasSize(3);
        assertThat(items.getFirst().getDescription().getValue()).isEqualTo("<p>The newest visible one</p>");
        assertThat(items).allSatisfy(i -> {
            assertThat(i.getGuid().isPermaLink()).isTrue();
            assertThat(i.getLink()).startsWith(publicUrl() + "/c/");
            assertThat(i.getPubDate()).isNotNull();
        });
        assertThat(response.body()).contains("<dc:creator>Guest</dc:creator>");
    }

    @Test
    void aReaderPollingAnUnchangedThreadGetsA304AndANewCommentChangesTheFeed() {
        String path = TestServer.standalonePath("feed-poll") + "/atom";
        server.post(server.thread("feed-poll"), null, "Before");
        HttpResponse<String> first = server.client().get(path);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        assertThat(server.client().get(path, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);

        server.post(server.thread("feed-poll"), null, "After");
        HttpResponse<String> changed = server.client().get(path, Map.of("If-None-Match", etag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).contains("After");
    }

    @Test
    void aSitesFeedMergesItsThreadsNewestFirst() throws Exception {
        HttpResponse<String> response = server.client().get("/feeds/default/atom");

        Feed feed = (Feed) new WireFeedInput().build(new StringReader(response.body()));
        List<String> bodies = feed.getEntries().stream().map(e -> e.getContents().getFirst().getValue()).toList();
        assertThat(bodies).contains("<p>On another thread of the site</p>", "<p>The newest visible one</p>")
                .doesNotContain("<p>Held for a moderator</p>", "<p>Spam spam spam</p>");
        assertThat(feed.getEntries()).extracting(Entry::getTitle).contains("Guest on “feed-elsewhere”");
        var published = feed.getEntries().stream().map(Entry::getPublished).toList();
        assertThat(published).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        Channel rss = (Channel) new WireFeedInput().build(new StringReader(
                server.client().get("/feeds/default/rss").body()));
        assertThat(rss.getItems()).hasSize(feed.getEntries().size());
    }

    @Test
    void theThreadPageLinksItsFeedsAndMissingThreadsHaveNone() {
        String page = server.client().get(TestServer.standalonePath("feed-thread")).body();

        assertThat(page).contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Comments (Atom)\" href=\""
                + TestServer.standalonePath("feed-thread") + "/atom\">");
        assertThat(server.client().get(TestServer.standalonePath("no-such-thread") + "/atom").statusCode()).isEqualTo(404);
        assertThat(server.client().get("/feeds/no-such-site/rss").statusCode()).isEqualTo(404);
    }
}
