package org.parley.snapshot;

import org.parley.cdn.S3Clients;
import org.parley.config.BucketSettings;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The snapshots' objects in the CDN's bucket. They are kept briefly by the CDN and the browser
 * ({@value #CACHE_CONTROL}): a snapshot is removed when its thread is written to, and a reader should not be shown
 * the removed one for longer than that.
 */
public final class SnapshotStore implements AutoCloseable {
    static final String CACHE_CONTROL = "public, max-age=60";
    private final BucketSettings bucket;
    private final S3Client s3;

    public SnapshotStore(BucketSettings bucket) {
        this.bucket = bucket;
        this.s3 = S3Clients.of(bucket);
    }

    void put(String object, byte[] html) {
        put(object, html, "text/html; charset=utf-8", CACHE_CONTROL);
    }

    /** An avatar a snapshot links: named by its content, so it is kept as long as the CDN likes. */
    void putAvatar(String object, byte[] image, String contentType) {
        put(object, image, contentType, "public, max-age=31536000, immutable");
    }

    private void put(String object, byte[] content, String contentType, String cacheControl) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket.name()).key(object)
                .contentType(contentType).cacheControl(cacheControl).build(), RequestBody.fromBytes(content));
    }

    /** Removes the object; one that is not there is no error (S3 answers 204 either way). */
    void delete(String object) {
        s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket.name()).key(object).build());
    }

    @Override
    public void close() {
        s3.close();
    }
}
