package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.moderation.ContentModeration.ThreadState;
import org.parley.web.HttpError;
import org.parley.web.PathParams;
import org.parley.web.ReturnTarget;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The console's content actions: editing a comment's text with its history, pinning, and closing or locking a
 * thread. Every form names what the moderator saw; the service refuses a stale one with the current value.
 *
 * <pre>
 * GET  /admin/edit/{commentId}                   the text, an edit form and every earlier version
 * POST /admin/edit/{commentId}                   seen (latest revision shown), body | restore (a revision number)
 * POST /admin/pin/{commentId}/{pin|unpin}        expected (pinned | unpinned), return
 * POST /admin/threads/{threadId}/{open|close|lock}  expected (open | closed | locked), return
 * </pre>
 */
public final class ContentPages {
    private final Console console;
    private final ContentModeration content;

    public ContentPages(Console console, ContentModeration content) {
        this.console = console;
        this.content = content;
    }

    /** GET /admin/edit/:id */
    public void editForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        long id = PathParams.of(req).number("id", () -> HttpError.worded(404, "console.error.noComment"));
        renderEdit(req, resp, visit.viewer(), content.editable(visit.mine(), id), null, null, 200);
    }

    /** POST /admin/edit/:id */
    public void edit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        long id = PathParams.of(req).number("id", () -> HttpError.worded(404, "console.error.noComment"));
        int seen = number(req.getParameter("seen"), "seen");
        String restoreText = req.getParameter("restore");
        Integer restore = restoreText == null || restoreText.isBlank() ? null : number(restoreText, "restore");
        try {
            int revision = content.edit(visit.viewer(), visit.mine(), id, seen, req.getParameter("body"), restore);
            resp.sendRedirect("/admin/edit/" + id + "?saved=" + revision);
        } catch (HttpError e) {
            if (!"body".equals(e.field())) {
                throw e;
            }
            // shown beside the text, which keeps what the moderator typed
            renderEdit(req, resp, visit.viewer(), content.editable(visit.mine(), id), req.getParameter("body"),
                    e.message(org.parley.web.Languages.of(req)), e.status());
        }
    }

    /** POST /admin/pin/:id/:action, action pin | unpin */
    public void pin(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        String back = ModerationPages.safeAdminReturn(req.getParameter(ReturnTarget.FIELD));
        PathParams path = PathParams.of(req);
        long id = path.number("id", () -> HttpError.worded(404, "console.error.noComment"));
        String action = path.text("action");
        boolean pin = switch (action) {
            case "pin" -> true;
            case "unpin" -> false;
            default -> throw HttpError.worded(404, "console.error.noAction");
        };
        String expected = req.getParameter("expected");
        Boolean sawPinned = expected == null || expected.isBlank() ? null : switch (expected) {
            case "pinned" -> true;
            case "unpinned" -> false;
            default -> throw HttpError.badRequest("A comment is pinned or unpinned, not '" + expected + "'.",
                    "expected");
        };
        content.pin(visit.viewer(), visit.mine(), id, pin, sawPinned);
        back(resp, back, "pin", action, id, pin ? "unpinned" : "pinned", pin ? "pinned" : "unpinned");
    }

    /** POST /admin/reports/:id/:action, action dismiss | reopen (the undo); expected = open | dismissed */
    public void reports(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        String back = ModerationPages.safeAdminReturn(req.getParameter(ReturnTarget.FIELD));
        PathParams path = PathParams.of(req);
        long id = path.number("id", () -> HttpError.worded(404, "console.error.noComment"));
        String action = path.text("action");
        boolean dismiss = switch (action) {
            case "dismiss" -> true;
            case "reopen" -> false;
            default -> throw HttpError.worded(404, "console.error.noAction");
        };
        String expected = req.getParameter("expected");
        Boolean sawOpen = expected == null || expected.isBlank() ? null : switch (expected) {
            case "open" -> true;
            case "dismissed" -> false;
            default -> throw HttpError.badRequest("A comment's reports are open or dismissed, not '" + expected + "'.",
                    "expected");
        };
        content.reports(visit.viewer(), visit.mine(), id, dismiss, sawOpen);
        back(resp, back, "reports", action, id, dismiss ? "open" : "dismissed", dismiss ? "dismissed" : "open");
    }

    /** POST /admin/threads/:id/:action, action open | close | lock */
    public void setThread(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        String back = ModerationPages.safeAdminReturn(req.getParameter(ReturnTarget.FIELD));
        PathParams path = PathParams.of(req);
        long id = path.number("id", () -> HttpError.worded(404, "console.error.noThread"));
        ThreadState target = ThreadState.parseAction(path.text("action"));
        String expected = req.getParameter("expected");
        ThreadState before = content.setThread(visit.viewer(), visit.mine(), id, target,
                expected == null || expected.isBlank() ? null : ThreadState.parse(expected, "expected"));
        back(resp, back, "thread", target.action(), id, before.column(), target.column());
    }

    private void renderEdit(HttpServletRequest req, HttpServletResponse resp, Account viewer,
                            ContentModeration.Editable editable, String typed, String error, int status)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("c", editable);
        model.put("body", typed != null ? typed : editable.bodySource());
        model.put("errors", error == null ? Map.of() : Map.of("body", error));
        model.put("saved", req.getParameter("saved"));
        model.put("csrf", console.csrfToken(req));
        resp.setStatus(status);
        console.render(req, resp, "admin/edit", model);
    }

    /** Back to the queue page the moderator came from, with what was done (and so what undoes it). */
    private static void back(HttpServletResponse resp, String back, String kind, String action, long id,
                             String was, String now) throws IOException {
        ReturnTarget.redirect(resp, back + (back.contains("?") ? "&" : "?") + "kind=" + kind + "&done=" + action + "&id=" + id
                + "&was=" + was + "&now=" + now);
    }

    private static int number(String text, String field) {
        try {
            return Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("'" + field + "' must be a number.", field);
        }
    }
}
