package org.parley.snapshot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.cdn.StaticUpload;
import org.parley.config.BucketSettings;
import org.parley.discussion.CommentThread;
import org.parley.testing.Browser;
import org.parley.testing.CrossSiteParley;
import org.parley.testing.HostSite;
import org.parley.testing.S3MockProcess;
import org.parley.web.Assets;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cold thread's snapshot as a reader meets it, in Chromium: the article on a blog of another origin, Parley at
 * {@code http://localhost:PORT}, the CDN an S3-compatible server (S3Mock) holding the static files and the
 * snapshots. The frame shows the snapshot from the CDN; the moment the reader starts to write, it moves to the live
 * page on Parley, where the comment is posted; a thread without a snapshot opens on the live page.
 */
class ColdSnapshotBrowserIT {
    private static final String BUCKET = SnapshotFixtures.BUCKET;
    private static final String PREFIX = SnapshotFixtures.PREFIX;

    @TempDir
    static Path work;
    private static S3MockProcess s3;
    private static CrossSiteParley parley;

    @BeforeAll
    static void start() {
        s3 = S3MockProcess.start(work, BUCKET);
        Map<String, String> settings = SnapshotFixtures.publishingTo(s3);
        parley = CrossSiteParley.start(settings, "localhost");
        // what push-static does before a release serves: the CDN holds the styles, scripts and the loader
        var bucket = new BucketSettings(BUCKET, PREFIX, Optional.of(URI.create(s3.endpoint())), "us-east-1",
                "test-key", "test-secret");
        try (var upload = StaticUpload.to(bucket)) {
            upload.push(Assets.load(Optional.of(URI.create(s3.objectUrl(BUCKET, PREFIX)))),
                    new PrintWriter(new StringWriter()));
        }
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aColdThreadIsReadFromTheCdnAndWrittenToOnParley() {
        String key = "cold-in-the-browser";
        CommentThread thread = parley.server().thread(key);
        parley.server().post(thread, null, "Said long *ago*");
        SnapshotFixtures.goneColdDaysAgo(parley.server().parley().databases(), thread, 60);
        assertThat(parley.server().parley().coldSnapshots().orElseThrow().runOnce().orElseThrow().published())
                .isEqualTo(1);

        Browser browser = parley.browser();
        HostSite blog = parley.blog();
        browser.get(blog.page(blog.origin("localhost"), parley.parley("localhost"), key));
        WebElement frame = browser.visible(By.cssSelector("#parley_thread iframe"));
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        browser.visible(By.id("discussion-heading"));
        assertThat(browser.location()).as("the snapshot, from the CDN")
                .startsWith(s3.objectUrl(BUCKET, PREFIX + "snapshots/default/"));
        assertThat(browser.visible(By.cssSelector(".comment-body")).getDomProperty("innerHTML"))
                .contains("Said long <em>ago</em>");
        // nothing in the frame came from Parley: the document, its scripts and styles are all the CDN's
        @SuppressWarnings("unchecked")
        var fetched = (java.util.List<String>) browser.driver().executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
        assertThat(fetched).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(s3.endpoint() + "/"));
        // thread.js ran from the CDN: the written UTC time became "2 months ago" or the like
        assertThat(browser.visible(By.cssSelector(".comment time")).getText()).doesNotContain("Z");
        browser.driver().switchTo().defaultContent();
        assertThat(frame.getSize().getHeight()).as("the host heard the snapshot's height").isGreaterThan(160);

        browser.driver().switchTo().frame(frame);
        WebElement snapshot = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.id("body")).click();
        browser.awaitReplaced(snapshot);
        assertThat(browser.location()).as("writing happens on the live page")
                .startsWith(parley.parley("localhost") + "/embed/default?key=" + key);
        browser.visible(By.id("name")).sendKeys("Ines");
        browser.visible(By.id("body")).sendKeys("Back after two months");
        WebElement live = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.xpath("//form[contains(@class,'comment-form')]//button[@type='submit']")).click();
        browser.awaitReplaced(live);
        assertThat(browser.driver().findElements(By.xpath("//*[contains(@class,'comment-body')]"
                + "[contains(., 'Back after two months')]"))).hasSize(1);
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    @Test
    void aThreadWithoutASnapshotOpensOnTheLivePage() {
        String key = "warm-in-the-browser";
        parley.server().post(parley.server().thread(key), null, "Said this morning");

        Browser browser = parley.browser();
        HostSite blog = parley.blog();
        browser.get(blog.page(blog.origin("localhost"), parley.parley("localhost"), key));
        WebElement frame = browser.visible(By.cssSelector("#parley_thread iframe"));
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        browser.waiting().until(d -> String.valueOf(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return location.href")).startsWith(parley.parley("localhost")));
        browser.visible(By.id("discussion-heading"));
        assertThat(browser.visible(By.cssSelector(".comment-body")).getText()).isEqualTo("Said this morning");
        // the loader's look for a snapshot that is not there is the one thing the console shows
        assertThat(browser.takeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("404"));
    }

}
