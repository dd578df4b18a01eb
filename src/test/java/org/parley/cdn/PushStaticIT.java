package org.parley.cdn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Http;
import org.parley.testing.JarProcess;
import org.parley.testing.S3MockProcess;
import org.parley.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parley push-static} against a real S3-compatible server (S3Mock in its own JVM): the first run uploads
 * every fingerprinted file with its content type and immutable caching, a second run uploads nothing, and a
 * Parley told the CDN's base URL links its pages there.
 */
class PushStaticIT {
    private static final String BUCKET = "parley-static";
    private static final String PREFIX = "release/";

    @TempDir
    static Path work;
    private static S3MockProcess s3;

    @BeforeAll
    static void startS3() {
        s3 = S3MockProcess.start(work, BUCKET);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Test
    void uploadsEachFileOnceThenNothingAndPagesLinkTheCdn() throws Exception {
        JarProcess first = JarProcess.run(work.resolve("first"), settings(BUCKET), "push-static");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        int files = (int) Files.list(Path.of("static")).count();
        assertThat(first.stdout()).contains("Done: " + files + " uploaded").contains("0 already there");

        JarProcess second = JarProcess.run(work.resolve("second"), settings(BUCKET), "push-static");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).contains("Done: 0 uploaded (0 bytes), " + files + " already there.");

        String cdn = s3.objectUrl(BUCKET, PREFIX);
        try (TestServer parley = TestServer.start(Map.of("PARLEY_CDN_BASE_URL", cdn))) {
            var page = Http.get(parley.base() + TestServer.embedPath("cdn-page"));
            Matcher css = Pattern.compile("href=\"(" + Pattern.quote(cdn) + "parley\\.[0-9a-f]{10}\\.css)\"")
                    .matcher(page.body());
            assertThat(css.find()).as("stylesheet on the CDN in\n%s", page.body()).isTrue();
            assertThat(page.body()).containsPattern("src=\"" + Pattern.quote(cdn) + "thread\\.[0-9a-f]{10}\\.js\"");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("style-src 'self' " + s3.endpoint() + ";", "script-src 'self' " + s3.endpoint() + ";",
                            "frame-ancestors " + TestServer.ORIGIN));

            var object = Http.get(css.group(1));
            assertThat(object.statusCode()).isEqualTo(200);
            assertThat(object.body()).isEqualTo(Files.readString(Path.of("static/parley.css")));
            assertThat(object.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
            assertThat(object.headers().firstValue("Cache-Control")).contains(StaticUpload.CACHE_CONTROL);
        }
    }

    @Test
    void aMissingBucketIsOneClearSentenceAndExitStatus1() {
        JarProcess run = JarProcess.run(work.resolve("missing"), settings("no-such-bucket"), "push-static");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("push-static could not list no-such-bucket in bucket 'no-such-bucket' at "
                + s3.endpoint() + ": NoSuchBucket").doesNotContain("Exception");
    }

    @Test
    void withoutABucketSettingItSaysWhatToSet() {
        JarProcess run = JarProcess.run(work.resolve("unset"), Map.of(), "push-static");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("push-static needs PARLEY_S3_BUCKET");
    }

    private static Map<String, String> settings(String bucket) {
        var settings = new HashMap<String, String>();
        settings.put("PARLEY_S3_BUCKET", bucket);
        settings.put("PARLEY_S3_PREFIX", PREFIX);
        settings.put("PARLEY_S3_ENDPOINT", s3.endpoint());
        settings.put("PARLEY_S3_ACCESS_KEY", "test-key");
        settings.put("PARLEY_S3_SECRET_KEY", "test-secret");
        return settings;
    }
}
