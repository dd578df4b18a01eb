package org.parley.moderation;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.moderation.ContentModeration.ThreadState;
import org.parley.web.HttpError;
import org.parley.web.Requests;
import org.parley.web.ReturnTarget;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
public final class ContentServlet extends HttpServlet {
    private final Console console;
    private final ContentModeration content;

    public ContentServlet(Console console, ContentModeration content) {
        this.console = console;
        this.content = content;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        console.enter(req, resp, (viewer, mine) -> {
            List<String> segments = Requests.segmentsAfter(req, "/admin/edit/");
            if (segments.size() != 1) {
                throw HttpError.notFound("There is no page at this address.");
            }
            long id = id(segments.getFirst(), "comment");
            renderEdit(req, resp, viewer, content.editable(mine, id), null, null, 200);
        });
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        console.enterPost(req, resp, (viewer, mine) -> {
            String path = req.getRequestURI();
            if (path.startsWith("/admin/edit/")) {
                edit(req, resp, viewer, mine);
            } else if (path.startsWith("/admin/pin/")) {
                String back = ModerationServlet.safeAdminReturn(req.getParameter(ReturnTarget.FIELD));
                List<String> segments = twoSegments(req, "/admin/pin/");
                long id = id(segments.get(0), "comment");
                boolean pin = switch (segments.get(1)) {
                    case "pin" -> true;
                    case "unpin" -> false;
                    default -> throw HttpError.notFound("There is no such pin action.");
                };
                String expected = req.getParameter("expected");
                Boolean sawPinned = expected == null || expected.isBlank() ? null : switch (expected) {
                    case "pinned" -> true;
                    case "unpinned" -> false;
                    default -> throw HttpError.badRequest("A comment is pinned or unpinned, not '" + expected + "'.",
                            "expected");
                };
                content.pin(viewer, mine, id, pin, sawPinned);
                back(resp, back, "pin", segments.get(1), id, pin ? "unpinned" : "pinned", pin ? "pinned" : "unpinned");
            } else if (path.startsWith("/admin/threads/")) {
                String back = ModerationServlet.safeAdminReturn(req.getParameter(ReturnTarget.FIELD));
                List<String> segments = twoSegments(req, "/admin/threads/");
                long id = id(segments.get(0), "thread");
                ThreadState target = ThreadState.parseAction(segments.get(1));
                String expected = req.getParameter("expected");
                ThreadState before = content.setThread(viewer, mine, id, target,
                        expected == null || expected.isBlank() ? null : ThreadState.parse(expected, "expected"));
                back(resp, back, "thread", target.action(), id, before.column(), target.column());
            } else {
                throw HttpError.notFound("There is no page at this address.");
            }
        });
    }

    private void edit(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine)
            throws IOException {
        List<String> segments = Requests.segmentsAfter(req, "/admin/edit/");
        if (segments.size() != 1) {
            throw HttpError.notFound("There is no page at this address.");
        }
        long id = id(segments.getFirst(), "comment");
        int seen = number(req.getParameter("seen"), "seen");
        String restoreText = req.getParameter("restore");
        Integer restore = restoreText == null || restoreText.isBlank() ? null : number(restoreText, "restore");
        try {
            int revision = content.edit(viewer, mine, id, seen, req.getParameter("body"), restore);
            resp.sendRedirect("/admin/edit/" + id + "?saved=" + revision);
        } catch (HttpError e) {
            if (!"body".equals(e.field())) {
                throw e;
            }
            // shown beside the text, which keeps what the moderator typed
            renderEdit(req, resp, viewer, content.editable(mine, id), req.getParameter("body"), e.getMessage(),
                    e.status());
        }
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

    private static List<String> twoSegments(HttpServletRequest req, String prefix) {
        List<String> segments = Requests.segmentsAfter(req, prefix);
        if (segments.size() != 2) {
            throw HttpError.notFound("There is no page at this address.");
        }
        return segments;
    }

    private static long id(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw HttpError.notFound("This " + what + " does not exist.");
        }
    }

    private static int number(String text, String field) {
        try {
            return Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("'" + field + "' must be a number.", field);
        }
    }
}
