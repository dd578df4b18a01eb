package org.parley.api;

import org.parley.discussion.CommentThread;
import org.parley.discussion.CommentView;
import org.parley.discussion.ThreadUrls;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Comments and threads as JSON, the shapes the API and webhook bodies share (schemas {@code Comment} and
 * {@code Thread} in the OpenAPI document). Links are absolute, under the instance's public address.
 */
public final class ApiJson {
    private final String publicUrl;

    public ApiJson(String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** An absolute address on this instance: {@code path} under the public URL. */
    public String url(String path) {
        return publicUrl + path;
    }

    /** As everyone sees it: a removed comment that still has replies is a tombstone without author or text. */
    public Map<String, Object> publicComment(CommentView c) {
        return of(c, c.removed() ? "deleted" : "approved", !c.removed());
    }

    /** As its site's moderators see it: whatever its state, with its author and text (webhook bodies). */
    public Map<String, Object> moderatedComment(CommentView c) {
        return of(c, c.state().column(), true);
    }

    /** A thread: its key, address, title, counts and links to its comments and page. */
    public Map<String, Object> thread(String siteName, CommentThread thread) {
        String api = publicUrl + "/api/v1/sites/" + siteName + "/threads/" + ThreadUrls.keySegment(thread.key());
        String page = publicUrl + ThreadUrls.standalone(siteName, thread.key());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", thread.key());
        body.put("url", thread.url());
        body.put("title", thread.title());
        body.put("commentCount", thread.commentCount());
        body.put("closed", thread.closed());
        body.put("locked", thread.locked());
        body.put("lastActivityAt", time(thread.lastActivityAt()));
        body.put("links", Map.of("comments", api + "/comments", "page", page, "atom", page + "/atom"));
        return body;
    }

    private Map<String, Object> of(CommentView c, String state, boolean withContent) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", Long.toString(c.id())); // 64-bit ids: strings, as JavaScript numbers would round them
        item.put("parentId", c.parentId() == null ? null : Long.toString(c.parentId()));
        item.put("depth", c.depth());
        item.put("state", state);
        item.put("author", withContent ? Map.of("name", c.authorName(),
                "avatarUrl", c.avatarUrl().startsWith("/") ? publicUrl + c.avatarUrl() : c.avatarUrl()) : null);
        item.put("html", withContent ? c.bodyHtml().strip() : null);
        item.put("score", c.score());
        item.put("replyCount", c.replyCount());
        item.put("pinned", c.pinned());
        item.put("createdAt", time(c.createdAt()));
        item.put("editedAt", time(c.editedAt()));
        item.put("permalink", publicUrl + "/c/" + c.id());
        return item;
    }

    public static String time(OffsetDateTime at) {
        return at == null ? null : DateTimeFormatter.ISO_INSTANT.format(at.toInstant());
    }
}
