package org.parley.edge;

import org.parley.outbox.DeliveryFailure;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * CloudFront's {@code CreateInvalidation} ({@code POST /2020-05-31/distribution/{id}/invalidation}, an XML
 * {@code InvalidationBatch}), signed with AWS Signature Version 4 by the AWS SDK's signer — the SDK push-static
 * already uses; the CloudFront client itself would be one more dependency for one call. CloudFront has no tags,
 * so it invalidates the thread's paths ({@link Target#paths}); each path costs (beyond AWS's free monthly
 * allowance), which is one reason the thread's paths are two wildcards.
 */
final class CloudFrontPurge implements EdgePurge {
    /** CloudFront is a global service, signed for us-east-1 whatever the distribution serves. */
    static final String SIGNING_REGION = "us-east-1";
    /** Headers Java's HTTP client sets itself and refuses to be given. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final URI api;
    private final String distribution;
    private final String accessKey;
    private final String secretKey;
    private final String publicPath;

    CloudFrontPurge(EdgeSettings edge) {
        this.api = edge.url();
        this.distribution = edge.target();
        this.accessKey = edge.token();
        this.secretKey = edge.secret();
        this.publicPath = edge.publicPath();
    }

    @Override
    public boolean needsPaths() {
        return true;
    }

    @Override
    public void purge(Target target) throws DeliveryFailure {
        URI uri = PurgeHttp.under(api, "/2020-05-31/distribution/" + distribution
                + "/invalidation");
        // unique per attempt: CloudFront refuses a reused reference with another batch, and a retry after a lost
        // answer costs at worst a second invalidation of the same paths
        String body = batch(target.paths().stream().map(p -> publicPath + p).toList(),
                "parley-" + target.key() + "-" + UUID.randomUUID());
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(uri)
                .putHeader("Content-Type", "application/xml")
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "cloudfront")
                .putProperty(AwsV4HttpSigner.REGION_NAME, SIGNING_REGION));
        HttpRequest.Builder request = PurgeHttp.request(uri)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        PurgeHttp.send(request.build(), "CloudFront invalidation of " + target.key());
    }

    private AwsCredentialsIdentity credentials() {
        if (!accessKey.isEmpty()) {
            return AwsCredentialsIdentity.create(accessKey, secretKey);
        }
        // the AWS default chain (environment, profile, instance role), as push-static without keys
        return DefaultCredentialsProvider.builder().build().resolveIdentity().join();
    }

    /** The InvalidationBatch document. */
    static String batch(List<String> paths, String reference) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">")
                .append("<Paths><Quantity>").append(paths.size()).append("</Quantity><Items>");
        paths.forEach(path -> xml.append("<Path>").append(escape(path)).append("</Path>"));
        return xml.append("</Items></Paths><CallerReference>").append(escape(reference))
                .append("</CallerReference></InvalidationBatch>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
