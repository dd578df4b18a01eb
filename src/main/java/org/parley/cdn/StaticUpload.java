package org.parley.cdn;

import org.parley.config.BucketSettings;
import org.parley.config.StartupException;
import org.parley.web.Assets;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Uploads the build's content-hashed static files to the bucket a CDN serves. A file whose key is already there
 * with the same MD5 (the ETag S3 gives a single-part upload) is skipped, so a second run of the same build uploads
 * nothing. Every object gets its content type and a year-long immutable Cache-Control, which the CDN passes on.
 */
public final class StaticUpload implements AutoCloseable {
    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2",
            "json", "application/json",
            "html", "text/html; charset=utf-8");

    /** What one run did. */
    public record Result(int uploaded, int unchanged, long bytesUploaded) {
    }

    private final BucketSettings bucket;
    private final S3Client s3;

    private StaticUpload(BucketSettings bucket, S3Client s3) {
        this.bucket = bucket;
        this.s3 = s3;
    }

    /** @throws StartupException when no bucket is configured */
    public static StaticUpload to(BucketSettings bucket) {
        if (!bucket.configured()) {
            throw new StartupException("push-static needs PARLEY_S3_BUCKET (and usually PARLEY_S3_ENDPOINT, "
                    + "PARLEY_S3_ACCESS_KEY, PARLEY_S3_SECRET_KEY); see --help");
        }
        return new StaticUpload(bucket, S3Clients.of(bucket));
    }

    /** Uploads every asset in {@code assets} that the bucket lacks or holds different bytes for; prints progress. */
    public Result push(Assets assets, PrintWriter out) {
        Map<String, String> remote = remoteETags();
        int total = assets.hashedNames().size();
        int uploaded = 0;
        int unchanged = 0;
        long bytes = 0;
        int index = 0;
        for (String hashed : assets.hashedNames().values()) {
            index++;
            byte[] content = read(hashed);
            String key = bucket.prefix() + hashed;
            if (md5(content).equals(remote.get(key))) {
                unchanged++;
                out.printf("[%d/%d] %s unchanged%n", index, total, key);
                continue;
            }
            put(key, content);
            uploaded++;
            bytes += content.length;
            out.printf("[%d/%d] %s uploaded (%s)%n", index, total, key, size(content.length));
        }
        return new Result(uploaded, unchanged, bytes);
    }

    private Map<String, String> remoteETags() {
        var etags = new HashMap<String, String>();
        var request = ListObjectsV2Request.builder().bucket(bucket.name()).prefix(bucket.prefix()).build();
        call("list " + bucket.name(), () -> {
            for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
                etags.put(object.key(), object.eTag().replace("\"", "").toLowerCase(Locale.ROOT));
            }
            return null;
        });
        return etags;
    }

    private void put(String key, byte[] content) {
        var request = PutObjectRequest.builder()
                .bucket(bucket.name())
                .key(key)
                .contentType(contentType(key))
                .cacheControl(CACHE_CONTROL)
                .build();
        call("upload " + key, () -> s3.putObject(request, RequestBody.fromBytes(content)));
    }

    /** S3 failures become one sentence for the operator: which call, where, and what the server said. */
    private <T> T call(String what, java.util.function.Supplier<T> action) {
        String where = bucket.endpoint().map(Object::toString).orElse("Amazon S3 (" + bucket.region() + ")");
        try {
            return action.get();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            throw new StartupException("push-static could not " + what + " in bucket '" + bucket.name() + "' at "
                    + where + ": " + (code == null || code.isEmpty() ? "HTTP " + e.statusCode() : code), e);
        } catch (SdkClientException e) {
            throw new StartupException("push-static could not reach " + where + " to " + what + ": "
                    + StartupException.rootMessage(e), e);
        }
    }

    static String contentType(String key) {
        int dot = key.lastIndexOf('.');
        String extension = dot < 0 ? "" : key.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static byte[] read(String hashed) {
        String path = Assets.CLASSPATH_FOLDER + hashed;
        try (InputStream in = StaticUpload.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new StartupException(path + " is listed in " + Assets.MANIFEST + " but missing from the jar; rebuild it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String size(long bytes) {
        return bytes < 1024 ? bytes + " B" : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    @Override
    public void close() {
        s3.close();
    }
}
