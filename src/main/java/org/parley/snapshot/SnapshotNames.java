package org.parley.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Where a thread's snapshot lives in the bucket: {@code PREFIX snapshots/SITE/KEY/LANG.html}, KEY being the thread
 * key in unpadded base64url (keys are often page paths, with slashes and anything else a URL holds, and an object
 * name must read the same to S3, every CDN and the browser). static/embed.js computes the same name.
 */
public final class SnapshotNames {
    /** A site name that is safe, unencoded, in an object name (embed.js tests the same pattern). */
    private static final Pattern PLAIN_SITE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    static final String FOLDER = "snapshots/";
    /** Beside the snapshots: the avatars Parley draws, which they link (below the prefix, as on the CDN). */
    static final String AVATARS = "avatars/";

    private final String prefix;

    /** @param prefix the bucket's key prefix (PARLEY_S3_PREFIX): empty or ending in "/" */
    public SnapshotNames(String prefix) {
        this.prefix = prefix;
    }

    /** Whether a site's threads can have snapshots (its name needs no encoding). */
    public static boolean publishable(String siteName) {
        return PLAIN_SITE.matcher(siteName).matches();
    }

    /** The object holding the snapshot of {@code threadKey} on {@code siteName} in {@code language}. */
    public String object(String siteName, String threadKey, String language) {
        return prefix + FOLDER + siteName + "/" + encodedKey(threadKey) + "/" + language + ".html";
    }

    /** An avatar Parley draws ({@code /avatar/NAME}), for snapshots to link on the CDN instead. */
    public String avatar(String name) {
        return prefix + AVATARS + name;
    }

    static String encodedKey(String threadKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(threadKey.getBytes(StandardCharsets.UTF_8));
    }
}
