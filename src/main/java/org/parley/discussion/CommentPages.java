package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Viewers;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.RateLimits;
import org.parley.web.PathParams;
import org.parley.web.Requests;
import org.parley.web.ReturnTarget;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One comment's actions at {@code /c/{id}/…}. The ID names the shard, so no site or thread is needed in the
 * URL. GET pages (reply, edit, flag) are the no-JavaScript forms; POSTs change the comment and send the visitor
 * back to the page they came from ({@code return}), at the comment.
 *
 * <pre>
 * GET  /c/{id}          permalink: redirects to the thread page that holds it (?sort=…, ?embed=…), at #comment-{id}
 * GET  /c/{id}/reply    reply form      GET /c/{id}/edit  edit form      GET /c/{id}/flag  report form
 * POST /c/{id}/edit     POST /c/{id}/delete     POST /c/{id}/vote (value=1|-1|0)     POST /c/{id}/flag
 * </pre>
 */
public final class CommentPages {
    private final Databases databases;
    private final SiteRepository sites;
    private final CommentRepository comments;
    private final CommentService service;
    private final Viewers viewers;
    private final Csrf csrf;
    private final RateLimits limits;
    private final Templates templates;

    public CommentPages(Databases databases, SiteRepository sites, CommentRepository comments, CommentService service,
                          Viewers viewers, Csrf csrf, RateLimits limits, Templates templates) {
        this.databases = databases;
        this.sites = sites;
        this.comments = comments;
        this.service = service;
        this.viewers = viewers;
        this.csrf = csrf;
        this.limits = limits;
        this.templates = templates;
    }

    private record Action(long commentId, String verb) {
    }

    /** GET /c/:id: the comment's permalink, sent on to the thread page that holds it */
    public void permalink(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, "");
    }

    /** GET /c/:id/reply: the reply form, for visitors without script */
    public void replyForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, "reply");
    }

    /** GET /c/:id/edit */
    public void editForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, "edit");
    }

    /** GET /c/:id/flag */
    public void flagForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, "flag");
    }

    /** POST /c/:id/vote */
    public void vote(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        act(req, resp, "vote");
    }

    /** POST /c/:id/edit */
    public void edit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        act(req, resp, "edit");
    }

    /** POST /c/:id/delete */
    public void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        act(req, resp, "delete");
    }

    /** POST /c/:id/flag */
    public void flag(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        act(req, resp, "flag");
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, String verb) throws IOException {
        Action action = new Action(commentId(req), verb);
        CommentRepository.Located located = locate(action.commentId());
        Site site = sites.byId(located.siteId()).orElseThrow(ThreadPages::noSite);
        org.parley.web.Languages.siteDefault(req, site.language());
        ShownIn shown = ShownIn.of(req);
        String here = pageHolding(req, located, site, shown) + "#comment-" + action.commentId();
        if (action.verb().isEmpty()) {
            ReturnTarget.redirect(resp, here); // built here from the thread's own names
            return;
        }
        Account viewer = viewers.current(req);
        String template = switch (action.verb()) {
            case "reply" -> "comment/reply";
            case "edit" -> "comment/edit";
            case "flag" -> "comment/flag";
            default -> throw HttpError.worded(404, "error.noPage");
        };
        // a link from the comment list names no page (ShownIn): back to the page that holds the comment, at it
        String back = ReturnTarget.require(req.getParameter(ReturnTarget.FIELD), here);
        Map<String, Object> model = new HashMap<>();
        model.put("site", site);
        model.put("comment", located.comment());
        model.put("source", "edit".equals(action.verb()) && service.canChange(site, located.comment(), viewer)
                ? located.bodySource() : "");
        model.put("canEdit", service.canChange(site, located.comment(), viewer));
        model.put("viewer", viewer);
        model.put("returnUrl", back);
        // a reply is posted to the thread page itself, which knows how to redirect back to it
        model.put("replyAction", back.replaceFirst("#.*$", ""));
        model.put("csrf", csrf.token(SessionFilter.of(req)));
        model.put("reasons", CommentService.FLAG_REASONS);
        model.put("guestsAllowed", site.guestsAllowed());
        // shown inside the host page's iframe (thread.EmbedFraming lets the site's origins frame it)
        model.put("embed", back.startsWith("/embed/"));
        resp.setHeader("Cache-Control", "no-store");
        templates.render(req, resp, template, model);
    }

    private void act(HttpServletRequest req, HttpServletResponse resp, String verb) throws IOException {
        Action action = new Action(commentId(req), verb);
        ScriptCookie.forgetIfTokenless(req, resp, SessionFilter.of(req));
        csrf.check(req, SessionFilter.of(req));
        Account viewer = viewers.current(req);
        long id = action.commentId();
        requireShard(id); // an id from the URL may name no shard at all (negative, or past the shard count)
        // a form of the comment list names no page (ShownIn): back through the permalink, in the list's embed and sort
        String fallback = ShownIn.of(req).permalink(id);
        // before the write: a target that is not Parley's own page refuses the whole action
        String back = ReturnTarget.require(req.getParameter(ReturnTarget.FIELD), fallback);
        switch (action.verb()) {
            case "vote" -> {
                limits.check(RateLimits.VOTE, viewer == null ? "ip:" + Requests.clientIp(req) : "account:" + viewer.id());
                service.vote(id, viewer, voteValue(req.getParameter("value")));
            }
            case "edit" -> service.edit(siteOf(id), id, viewer, req.getParameter("body"));
            case "delete" -> service.delete(siteOf(id), id, viewer);
            case "flag" -> {
                // guests may report too, at the pace of posting, once per address and comment
                limits.check(RateLimits.REPORT, viewer == null ? "ip:" + Requests.clientIp(req) : "account:" + viewer.id());
                service.flag(id, viewer, Requests.clientIp(req), req.getParameter("reason"), req.getParameter("note"));
            }
            default -> throw HttpError.worded(404, "error.noPage");
        }
        String anchor = "delete".equals(action.verb()) ? "" : "#comment-" + id;
        ReturnTarget.redirect(resp, back.equals(fallback) ? fallback : back.replaceFirst("#.*$", "") + anchor);
    }

    /**
     * The thread page that holds a comment — standalone, or the embed it was shown in (the thread's own site, with
     * the address the thread was made for) — in the sort the link names ({@code ?sort=}) or the default, cut as the
     * viewer's view of it will be: the shared page, unless a signed-in viewer without script gets theirs. The
     * default sort's first page keeps its plain address.
     */
    private String pageHolding(HttpServletRequest req, CommentRepository.Located located, Site site, ShownIn shown) {
        String threadUrl = shown.embed()
                ? ThreadUrls.embed(site.name(), new ThreadUrls.EmbedParams(located.threadKey(), located.threadUrl(),
                        located.threadTitle(), shown.theme(), shown.lang()))
                : ThreadUrls.standalone(site.name(), located.threadKey());
        String requested = req.getParameter(ShownIn.SORT);
        Sort sort = shown.sort();
        Account viewer = viewers.current(req);
        Long cutFor = viewer == null || ScriptCookie.present(req) ? null : viewer.id();
        long id = located.comment().id();
        Cursor page = comments.pageOf(databases.read(Ids.shardOf(id)), located.threadId(), id, sort, cutFor)
                .orElse(null);
        if (page == null && requested == null) {
            return threadUrl;
        }
        return ThreadUrls.withPage(threadUrl, sort, page == null ? null : page.format(sort));
    }

    private Site siteOf(long commentId) {
        return sites.byId(locate(commentId).siteId()).orElseThrow(ThreadPages::noSite);
    }

    private CommentRepository.Located locate(long id) {
        requireShard(id);
        return comments.locate(databases.read(Ids.shardOf(id)), id)
                .orElseThrow(CommentService::noSuchComment);
    }

    private void requireShard(long id) {
        if (!databases.holds(id)) {
            throw CommentService.noSuchComment();
        }
    }

    private static long commentId(HttpServletRequest req) {
        return PathParams.of(req).number("id", CommentService::noSuchComment);
    }

    private static int voteValue(String text) {
        if (text == null) {
            throw CommentService.badVote();
        }
        return switch (text) {
            case "1", "up" -> 1;
            case "-1", "down" -> -1;
            case "0", "none" -> 0;
            default -> throw CommentService.badVote();
        };
    }
}
