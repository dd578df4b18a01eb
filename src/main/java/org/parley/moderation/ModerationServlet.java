package org.parley.moderation;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.SessionFilter;
import org.parley.account.Viewers;
import org.parley.comment.CommentView.State;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.Csrf;
import org.parley.web.HttpError;
import org.parley.web.Requests;
import org.parley.web.Templates;
import org.jooq.DSLContext;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The moderation console at {@code /admin}: queues across all shards, one-click actions with the state the
 * moderator saw (so a concurrent change is reported, not overwritten), the result shown in place with an undo,
 * and the audit log. Every request checks the viewer's sites; every action checks the comment's own site.
 *
 * <pre>
 * GET  /admin                              → /admin/queue
 * GET  /admin/queue?queue=&site=&before=    a queue page (pending, flagged, spam, deleted, recent)
 * POST /admin/comments/{id}/{action}        approve | reject | spam | restore   (fields: expected, return)
 * (GET /admin/audit is AuditServlet's)
 * </pre>
 */
public final class ModerationServlet extends HttpServlet {
    private static final String QUEUE_PATH = "/admin/queue";

    private final Moderators moderators;
    private final ReviewQueue queue;
    private final ModerationService service;
    private final SiteRepository sites;
    private final DSLContext main;
    private final Viewers viewers;
    private final Csrf csrf;
    private final Templates templates;

    public ModerationServlet(Moderators moderators, ReviewQueue queue, ModerationService service, SiteRepository sites,
                             DSLContext main, Viewers viewers, Csrf csrf, Templates templates) {
        this.moderators = moderators;
        this.queue = queue;
        this.service = service;
        this.sites = sites;
        this.main = main;
        this.viewers = viewers;
        this.csrf = csrf;
        this.templates = templates;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account viewer = viewers.current(req);
        Set<Long> mine = ConsoleAccess.sites(moderators, req, resp, viewer);
        if (mine == null) {
            return;
        }
        String path = req.getRequestURI();
        switch (path) {
            case "/admin", "/admin/" -> resp.sendRedirect(QUEUE_PATH);
            case QUEUE_PATH -> queuePage(req, resp, viewer, mine);
            default -> throw HttpError.notFound("There is no page at this address.");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        csrf.check(req, SessionFilter.of(req));
        Account viewer = viewers.current(req);
        Set<Long> mine = ConsoleAccess.sites(moderators, req, resp, viewer);
        if (mine == null) {
            return;
        }
        List<String> segments = Requests.segmentsAfter(req, "/admin/comments/");
        if (segments.size() != 2) {
            throw HttpError.notFound("There is no page at this address.");
        }
        long id;
        try {
            id = Long.parseLong(segments.get(0));
        } catch (NumberFormatException e) {
            throw HttpError.notFound("This comment does not exist.");
        }
        ModerationService.Action action = ModerationService.Action.parse(segments.get(1));
        String expectedText = req.getParameter("expected");
        State expected = expectedText == null || expectedText.isBlank() ? null : parseState(expectedText);
        ModerationService.Done done = service.act(viewer, mine, id, action, expected);
        String back = safeAdminReturn(req.getParameter("return"));
        String separator = back.contains("?") ? "&" : "?";
        resp.sendRedirect(back + separator + "done=" + action.urlValue() + "&id=" + id + "&was=" + done.before().column()
                + "#comment-" + id);
    }

    private void queuePage(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine)
            throws IOException {
        Queue which = Queue.parse(req.getParameter("queue"));
        Set<Long> filter = mine;
        String siteParam = req.getParameter("site");
        if (siteParam != null && !siteParam.isBlank()) {
            filter = Set.of(ConsoleAccess.requireSite(mine, siteParam));
        }
        Long before = req.getParameter("before") == null ? null : parseLong(req.getParameter("before"), "before");
        ReviewQueue.Page page = queue.page(filter, which, before);

        Map<Long, Site> siteById = new LinkedHashMap<>();
        for (Site s : sites.all()) {
            if (mine.contains(s.id())) {
                siteById.put(s.id(), s);
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("queue", which);
        model.put("queues", Queue.values());
        model.put("items", page.items());
        model.put("sites", siteById);
        model.put("siteFilter", filter.size() == 1 && siteParam != null ? filter.iterator().next() : null);
        model.put("nextUrl", page.nextBefore() == null ? null
                : QUEUE_PATH + "?queue=" + which.urlValue() + (siteParam == null ? "" : "&site=" + siteParam)
                + "&before=" + page.nextBefore());
        model.put("pageUrl", QUEUE_PATH + "?queue=" + which.urlValue() + (siteParam == null ? "" : "&site=" + siteParam));
        model.put("done", req.getParameter("done"));
        model.put("doneId", req.getParameter("id"));
        model.put("was", req.getParameter("was"));
        model.put("undo", undoOf(req.getParameter("was")));
        model.put("actions", ModerationService.Action.BUTTONS);
        model.put("csrf", csrf.token(SessionFilter.of(req)));
        resp.setHeader("Cache-Control", "no-store");
        templates.render(req, resp, "admin/queue", model);
    }

    private static String undoOf(String was) {
        if (was == null) {
            return null;
        }
        try {
            return ModerationService.Action.returningTo(State.of(was)).urlValue();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static State parseState(String text) {
        try {
            return State.of(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("Unknown comment state '" + text + "'.", "expected");
        }
    }

    private static long parseLong(String text, String field) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("'" + field + "' must be a number.", field);
        }
    }

    private static String safeAdminReturn(String requested) {
        if (requested != null && requested.startsWith(QUEUE_PATH) && !requested.contains("\\")
                && requested.chars().noneMatch(c -> c < 0x20)) {
            return requested.replaceFirst("#.*$", "").replaceAll("&?(done|id|was)=[^&]*", "");
        }
        return QUEUE_PATH;
    }
}
