package org.parley.snapshot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.discussion.CommentThread;
import org.parley.testing.Http;
import org.parley.testing.S3MockProcess;
import org.parley.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.db.shard.Tables.THREAD;

/**
 * Cold threads as static snapshots, against a real S3-compatible server (S3Mock in its own JVM) that stands for
 * the CDN's origin: a thread without writes for PARLEY_SNAPSHOT_AFTER_DAYS is published in every language, as the
 * guest's page with its links pointed at Parley; a warm thread is not; a second run publishes nothing again; a
 * new comment takes the snapshot down (through the outbox), so the CDN's readers are sent to the live page.
 */
class ColdSnapshotIT {
    private static final String BUCKET = SnapshotFixtures.BUCKET;
    private static final String PREFIX = SnapshotFixtures.PREFIX;

    @TempDir
    static Path work;
    private static S3MockProcess s3;
    private static TestServer server;

    @BeforeAll
    static void start() {
        s3 = S3MockProcess.start(work, BUCKET);
        Map<String, String> settings = SnapshotFixtures.publishingTo(s3);
        settings.put("PARLEY_OUTBOX_POLL_MS", "200");
        server = TestServer.start(settings);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aColdThreadIsPublishedInEveryLanguageAndTakenDownByItsNextComment() {
        String key = "/2019/03/an-old-article?ref=home";
        CommentThread cold = server.thread(key);
        server.post(cold, null, "Written *years* ago");
        server.post(cold, null, "And answered the same week");
        CommentThread warm = server.thread("warm-article");
        server.post(warm, null, "Written today");
        SnapshotFixtures.goneColdDaysAgo(server.parley().databases(), cold, 45);

        ColdSnapshots.Run run = server.parley().coldSnapshots().orElseThrow().runOnce().orElseThrow();
        assertThat(run.published()).as("only the cold thread").isEqualTo(1);

        HttpResponse<String> english = Http.get(snapshotUrl(key, "en"));
        assertThat(english.statusCode()).isEqualTo(200);
        assertThat(english.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(english.headers().firstValue("Cache-Control")).contains(SnapshotStore.CACHE_CONTROL);
        String page = english.body();
        assertThat(page).contains("Written <em>years</em> ago", "And answered the same week")
                .contains("<base href=\"" + publicUrl() + "\"><meta name=\"referrer\" content=\"no-referrer\">")
                .contains("data-snapshot data-live-url=\"" + publicUrl() + "embed/default?key="
                        + "%2F2019%2F03%2Fan-old-article%3Fref%3Dhome&amp;lang=en\"")
                .contains(s3.objectUrl(BUCKET, PREFIX) + "thread.") // its script and style from the CDN too
                .doesNotContain("Written today");
        // the page a guest gets, byte for byte, apart from the snapshot's own additions
        String live = server.client().get("/embed/default?key=%2F2019%2F03%2Fan-old-article%3Fref%3Dhome&lang=en").body();
        assertThat(page.replace(" data-snapshot data-live-url=\"" + publicUrl() + "embed/default?key="
                        + "%2F2019%2F03%2Fan-old-article%3Fref%3Dhome&amp;lang=en\"", "")
                .replaceFirst("<base href=\"[^\"]+\"><meta name=\"referrer\" content=\"no-referrer\">"
                        + "<script src=\"[^\"]+/snapshot-frame\\.[0-9a-f]{10}\\.js\" defer></script>", "")
                .replace("src=\"" + s3.objectUrl(BUCKET, PREFIX + "avatars/"), "src=\"/avatar/"))
                .isEqualTo(live);
        // its pictures are on the CDN too: a reader of the snapshot asks Parley for nothing
        java.util.regex.Matcher avatar = java.util.regex.Pattern.compile("src=\"(" + java.util.regex.Pattern.quote(
                s3.objectUrl(BUCKET, PREFIX + "avatars/")) + "[^\"]+)\"").matcher(page);
        assertThat(avatar.find()).as("an avatar linked on the CDN in\n%s", page).isTrue();
        HttpResponse<String> picture = Http.get(avatar.group(1));
        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(picture.body()).startsWith("<svg");
        assertThat(page).doesNotContain("src=\"/avatar/");
        assertThat(Http.get(snapshotUrl(key, "fr")).body()).contains("lang=\"fr\"", "Written <em>years</em> ago");
        for (String language : org.parley.web.Languages.SUPPORTED) {
            assertThat(Http.get(snapshotUrl(key, language)).statusCode()).as(language).isEqualTo(200);
        }
        assertThat(Http.get(snapshotUrl("warm-article", "en")).statusCode()).as("a warm thread has none").isEqualTo(404);
        assertThat(snapshotVersion(cold)).isEqualTo(versionOf(cold));

        ColdSnapshots.Run again = server.parley().coldSnapshots().orElseThrow().runOnce().orElseThrow();
        assertThat(again.published()).as("published once, not every run").isZero();

        server.post(cold, null, "A reader came back to it");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String language : org.parley.web.Languages.SUPPORTED) {
                assertThat(Http.get(snapshotUrl(key, language)).statusCode()).as(language).isEqualTo(404);
            }
            assertThat(snapshotVersion(cold)).isNull();
        });
        // written to today, it is not cold any more
        assertThat(server.parley().coldSnapshots().orElseThrow().runOnce().orElseThrow().published()).isZero();
    }

    @Test
    void theEmbedScriptLearnsWhereTheLoaderIs() {
        String script = server.client().get("/embed.js").body();
        assertThat(script).containsPattern("var snapshots = \"" + java.util.regex.Pattern.quote(s3.objectUrl(BUCKET, PREFIX))
                + "snapshot\\.[0-9a-f]{10}\\.html\";");
    }

    /** Where the snapshot's links go: PARLEY_PUBLIC_URL (the tests' is not the port they reach the server on). */
    private static String publicUrl() {
        String url = server.parley().config().publicUrl().toString();
        return url.endsWith("/") ? url : url + "/";
    }

    private static String snapshotUrl(String key, String language) {
        return s3.objectUrl(BUCKET, new SnapshotNames(PREFIX).object("default", key, language));
    }


    private static Long snapshotVersion(CommentThread thread) {
        return server.parley().databases().write(thread.shard()).select(THREAD.SNAPSHOT_VERSION).from(THREAD)
                .where(THREAD.ID.eq(thread.id())).fetchSingle(THREAD.SNAPSHOT_VERSION);
    }

    private static long versionOf(CommentThread thread) {
        return server.parley().databases().write(thread.shard()).select(THREAD.VERSION).from(THREAD)
                .where(THREAD.ID.eq(thread.id())).fetchSingle(THREAD.VERSION);
    }
}
