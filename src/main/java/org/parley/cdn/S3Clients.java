package org.parley.cdn;

import org.parley.config.BucketSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;

/** The one way Parley talks to the CDN's bucket: push-static's uploads and the cold threads' snapshots. */
public final class S3Clients {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private S3Clients() {
    }

    /** A client for {@code bucket}: the JDK's HTTP client (no Netty or Apache), path-style for S3-compatible servers. */
    public static S3Client of(BucketSettings bucket) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(bucket.region()))
                .credentialsProvider(credentials(bucket))
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT));
        // S3-compatible servers are addressed by path (endpoint/bucket/key): they have no per-bucket host names
        bucket.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(BucketSettings bucket) {
        if (bucket.accessKey().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(bucket.accessKey(), bucket.secretKey()));
    }
}
