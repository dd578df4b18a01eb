package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Sessions;
import org.parley.data.DatabaseUnavailable;
import org.parley.site.Site;
import org.parley.web.Json;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A signed-in viewer's own bits of a shared thread page, as JSON for static/thread.js:
 * {@code GET /t/{site}/{key}/me?sort=…&after=…&until=…} (and {@code /embed/{site}/me?key=…}). The page itself is
 * the same HTML every guest gets (cached, docs/caching.md); this adds what differs for one viewer:
 *
 * <ul>
 *   <li>{@code csrf} — their token, which thread.js puts into every form of the page;</li>
 *   <li>{@code signout}, {@code form} — the sign-out button and their comment form ("Commenting as …");</li>
 *   <li>{@code items} — each comment that looks different to them, rendered for them: the ones they voted on
 *       (pressed buttons), their own (edit and delete while they may), and their pending and shadowed comments,
 *       which nobody else sees and thread.js inserts at their place; and, marked so, those still waiting in the
 *       comment spool (docs/spool.md).</li>
 * </ul>
 *
 * <p>One statement when the thread's id is in the cache (the viewer's rows, {@link CommentRepository#viewerRows});
 * the account and site come from the object cache. Always {@code private, no-store}.
 */
final class ViewerOverlay {
    static final String CACHE_CONTROL = "private, no-store";

    /** What the overlay needs of the page it completes: its site and thread, and how it links back to itself. */
    record Page(Site site, long threadId, String key, String baseUrl, ShownIn shown, Cursor after, Cursor until) {
        Sort sort() {
            return shown.sort();
        }
    }

    private final ThreadRepository threads;
    private final CommentRepository comments;
    private final CommentService service;
    private final Sessions sessions;
    private final Csrf csrf;
    private final Templates templates;
    private final Spooler spooler;

    ViewerOverlay(ThreadRepository threads, CommentRepository comments, CommentService service, Sessions sessions,
                  Csrf csrf, Templates templates, Spooler spooler) {
        this.spooler = spooler;
        this.threads = threads;
        this.comments = comments;
        this.service = service;
        this.sessions = sessions;
        this.csrf = csrf;
        this.templates = templates;
    }

    void write(HttpServletRequest req, HttpServletResponse resp, Account viewer, Page page) throws IOException {
        resp.setHeader("Cache-Control", CACHE_CONTROL);
        resp.setContentType("application/json; charset=utf-8");
        if (viewer == null) {
            // the hint cookie outlived the session (expired, or its key was removed): stop asking
            sessions.clearMemberHint(req, resp);
            resp.getWriter().write(Json.object(Map.of("signedIn", false)));
            return;
        }
        String token = csrf.token(SessionFilter.of(req));
        String pageUrl = ThreadUrls.withPage(page.baseUrl(), page.sort(),
                page.after() == null ? null : page.after().format(page.sort()));
        // the thread's own "closed" is not known without its row; thread.js drops reply links on a closed page
        boolean closed = page.site().closed();

        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("csrf", token);
        model.put("pageUrl", pageUrl);
        model.put("shownIn", page.shown().query());
        model.put("embed", ThreadUrls.embedSite(page.baseUrl()).isPresent());
        model.put("closed", closed);
        model.put("guestsAllowed", page.site().guestsAllowed());
        model.put("postUrl", ThreadUrls.withPage(page.baseUrl(), page.sort(), null));
        model.put("part", "signout");
        String signout = templates.renderToString(req, resp, "thread/overlay", model);
        model.put("part", "form");
        String form = templates.renderToString(req, resp, "thread/overlay", model);

        model.put("part", "item");
        List<Object> items = new ArrayList<>();
        for (CommentView c : ownRows(viewer, page)) {
            model.put("c", c);
            model.put("changeable", service.canChange(page.site(), c, viewer) ? Set.of(c.id()) : Set.of());
            items.add(item(req, resp, model, c));
        }
        // what the member wrote while the thread's primary was away: shown to them as a pending comment is
        model.put("changeable", Set.of());
        model.put("spooled", true);
        for (CommentSpool.Row row : spooler.waitingOn(page.site().id(), page.key(), viewer.id())) {
            items.add(item(req, resp, model, spooledView(page.site(), viewer, row)));
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("signedIn", true);
        body.put("csrf", token);
        body.put("sort", page.sort().urlValue());
        body.put("signout", signout.strip());
        body.put("form", form.strip());
        body.put("items", items);
        resp.getWriter().write(Json.object(body));
    }

    /**
     * The viewer's own and voted-on comments of the page, from the thread's shard. When the shard cannot be read
     * (its primary down and no replica), the overlay still sends the viewer's form and token and their spooled
     * comments: the shared page they already have shows everything else.
     */
    private List<CommentView> ownRows(Account viewer, Page page) {
        try {
            return comments.viewerRows(threads.reader(page.threadId()), page.threadId(), page.sort(), page.after(),
                    page.until(), viewer.id());
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.causeOf(e).isEmpty()) {
                throw e;
            }
            return List.of();
        }
    }

    private Map<String, Object> item(HttpServletRequest req, HttpServletResponse resp, Map<String, Object> model,
                                     CommentView c) {
        model.put("c", c);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", Long.toString(c.id())); // 64-bit ids: strings, as JavaScript numbers would round them
        item.put("parent", c.parentId() == null ? null : Long.toString(c.parentId()));
        item.put("depth", c.depth());
        item.put("score", c.score());
        item.put("html", templates.renderToString(req, resp, "thread/overlay", model).strip());
        return item;
    }

    /**
     * A spooled comment as its author will see it once posted, marked as waiting. Its depth is its parent's plus
     * one, which only the shard knows: thread.js places a reply under its parent and indents it from there.
     */
    private static CommentView spooledView(Site site, Account viewer, CommentSpool.Row row) {
        Long parent = row.form().parentId();
        return new CommentView(row.commentId(), parent, parent == null ? 0 : 1, viewer.id(), viewer.displayName(),
                CommentService.avatarKey(site, viewer.email(), viewer.displayName()), Markdown.toHtml(row.form().body()),
                CommentView.State.PENDING, 0, 0, 0, 0, row.spooledAt(), null, 0, false);
    }
}
