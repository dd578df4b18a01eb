package org.parley.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentService;
import org.parley.discussion.ShownIn;
import org.parley.discussion.SpoolPages;
import org.parley.discussion.Spooler;
import org.parley.discussion.CommentThread;
import org.parley.discussion.CommentView;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadUrls;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.Json;
import org.parley.web.PathParams;
import org.parley.web.RateLimits;
import org.parley.web.Requests;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The API's writes to comments, through the same service as the pages (the site's rules, spam checks, rate
 * limits, webhooks and cache versions all apply). Who may do what:
 * <ul>
 *     <li>post: a guest (where the site takes guests), a signed-in person, or a key with the write scope, which
 *     posts as the site under the name it gives;</li>
 *     <li>edit and delete: a signed-in person, their own comment within the site's edit window;</li>
 *     <li>vote and flag: a signed-in person, as on the pages.</li>
 * </ul>
 * A key cannot act as a person: edits, deletions, votes and reports by key are refused (moderation has its own
 * endpoint, {@link ModerationApi}).
 */
public final class WriteApi {
    private final SiteRepository sites;
    private final ThreadRepository threads;
    private final CommentRepository comments;
    private final CommentService service;
    private final ApiCallers callers;
    private final RateLimits limits;
    private final Databases databases;
    private final ApiJson json;
    private final Spooler spooler;


    public WriteApi(SiteRepository sites, ThreadRepository threads, CommentRepository comments,
                    CommentService service, ApiCallers callers, RateLimits limits, Databases databases, ApiJson json,
                    Spooler spooler) {
        this.spooler = spooler;
        this.sites = sites;
        this.threads = threads;
        this.comments = comments;
        this.service = service;
        this.callers = callers;
        this.limits = limits;
        this.databases = databases;
        this.json = json;
    }

    /** POST /api/v1/sites/:site/threads/:key/comments — body, parentId; author.name and author.email for guests and keys */
    public void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        SiteRepository.SiteWithOrigins found = site(req);
        Site site = found.site();
        ApiCaller caller = callers.writing(req, site, found.origins());
        ApiCallers.requireScope(caller, org.parley.api.ApiKey.Scope.WRITE);
        JsonBody body = JsonBody.of(req);
        String key = ThreadUrls.keyOf(PathParams.of(req).text("key"));
        CommentThread thread;
        try {
            thread = threads.find(site.id(), key).orElseThrow(() -> HttpError.notFound("There is no thread '" + key
                    + "' on this site: a thread is made when its page first shows the embed."));
        } catch (RuntimeException e) {
            if (!spooler.takesAfterRead(e)) {
                throw e;
            }
            thread = null; // its shard's primary is away: the comment is spooled below, the thread checked at replay
        }
        String text = body.text("body");
        if (text == null || text.isBlank()) {
            throw HttpError.badRequest("Your comment is empty.", "body");
        }
        JsonBody author = body.object("author");
        CommentForm form = new CommentForm(text, body.id("parentId"),
                caller.account() == null ? author.text("name") : null,
                caller.account() == null ? author.text("email") : null, body.bool("notifyReplies"), false);
        String ip = Requests.clientIp(req);
        inApiFields(() -> {
            limits.check(RateLimits.POST_COMMENT, caller.limitSubject(ip));
            return null;
        });
        CommentService.Posted posted = null;
        if (thread != null) {
            CommentThread known = thread;
            try {
                posted = inApiFields(() -> service.post(caller.key() != null ? site.takingGuests() : site, known,
                        caller.account(), form, ip));
            } catch (RuntimeException e) {
                if (!spooler.takes(e)) {
                    throw e;
                }
            }
        }
        if (posted == null) {
            spool(resp, site, key, caller, form, ip);
            return;
        }
        CommentView written = comments.locate(databases.write(Ids.shardOf(posted.id())), posted.id())
                .orElseThrow().comment();
        Map<String, Object> comment = json.moderatedComment(written);
        if (caller.key() == null && written.state() == CommentView.State.SPAM) {
            comment.put("state", "pending"); // as the pages say it: a spammer learns nothing from the answer
        }
        resp.setStatus(HttpServletResponse.SC_CREATED);
        resp.setHeader("Location", String.valueOf(comment.get("permalink")));
        write(resp, Map.of("comment", comment));
    }

    /**
     * The thread's shard primary is away: the comment is spooled (docs/spool.md) and the answer is 202 Accepted,
     * with the address where its author can see what became of it.
     */
    private void spool(HttpServletResponse resp, Site site, String key, ApiCaller caller, CommentForm form, String ip)
            throws IOException {
        var ticket = inApiFields(() -> spooler.keep(site, threads.shardOf(site.id(), key), key, null, null,
                caller.account(), caller.key() != null, form, ip, ThreadUrls.standalone(site.name(), key)));
        String status = SpoolPages.savedUrl(ticket, new ShownIn(null, null, null, null));
        resp.setStatus(HttpServletResponse.SC_ACCEPTED);
        resp.setHeader("Location", status);
        write(resp, Map.of("spooled", Map.of("id", Long.toString(ticket.commentId()), "state", "spooled",
                "status", status, "message", "The comment is saved and will appear once the discussion's database"
                        + " answers again (usually within a minute).")));
    }

    /** POST /api/v1/sites/:site/comments/:id/edit — body */
    public void edit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Person person = person(req, "edit");
        String text = JsonBody.of(req).text("body");
        inApiFields(() -> {
            service.edit(person.site(), person.commentId(), person.caller().account(), text);
            return null;
        });
        CommentView edited = comments.locate(databases.write(Ids.shardOf(person.commentId())), person.commentId())
                .orElseThrow().comment();
        write(resp, Map.of("comment", json.moderatedComment(edited)));
    }

    /** POST /api/v1/sites/:site/comments/:id/delete */
    public void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Person person = person(req, "delete");
        JsonBody.of(req);
        service.delete(person.site(), person.commentId(), person.caller().account());
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** POST /api/v1/sites/:site/comments/:id/vote — value: "up", "down" or "none" */
    public void vote(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Person person = person(req, "vote on");
        String value = JsonBody.of(req).text("value");
        int vote = switch (value == null ? "" : value) {
            case "up" -> 1;
            case "down" -> -1;
            case "none" -> 0;
            default -> throw HttpError.badRequest("'value' is \"up\", \"down\" or \"none\".", "value");
        };
        limits.check(RateLimits.VOTE, person.caller().limitSubject(Requests.clientIp(req)));
        service.vote(person.commentId(), person.caller().account(), vote);
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** POST /api/v1/sites/:site/comments/:id/flag — reason (spam, abuse, off_topic, other), note */
    public void flag(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Person person = person(req, "report");
        JsonBody body = JsonBody.of(req);
        boolean reported = service.flag(person.commentId(), person.caller().account(), body.text("reason"),
                body.text("note"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("reported", reported);
        answer.put("reasons", List.copyOf(CommentService.FLAG_REASONS));
        write(resp, answer);
    }

    /** A signed-in person acting on a comment of the site in the address. */
    private record Person(Site site, ApiCaller caller, long commentId) {
    }

    private Person person(HttpServletRequest req, String verb) {
        SiteRepository.SiteWithOrigins found = site(req);
        ApiCaller caller = callers.writing(req, found.site(), found.origins());
        if (caller.key() != null) {
            throw new HttpError(403, "An API key cannot " + verb + " a comment as a person; a signed-in person can "
                    + "(moderation by key: POST …/comments/{id}/moderate).", "Authorization");
        }
        if (caller.account() == null) {
            throw new HttpError(401, "Sign in to " + verb + " a comment.");
        }
        long id = PathParams.of(req).number("id", () -> HttpError.notFound("There is no such comment on this site."));
        // a comment nobody else can see (held, spam, shadowed) is not there for them: the same 404 as none
        long me = caller.account().id();
        boolean onSite = databases.holds(id) && comments.locate(databases.write(Ids.shardOf(id)), id)
                .filter(l -> l.siteId() == found.site().id())
                .filter(l -> l.publiclyVisible() || Long.valueOf(me).equals(l.comment().authorAccountId()))
                .isPresent();
        if (!onSite) {
            throw HttpError.notFound("There is no such comment on this site.");
        }
        return new Person(found.site(), caller, id);
    }

    private SiteRepository.SiteWithOrigins site(HttpServletRequest req) {
        return sites.withOrigins(PathParams.of(req).text("site"))
                .orElseThrow(() -> HttpError.notFound("No such site."));
    }

    /** Runs a service call, naming the API's fields in its refusals (the form's "name" is "author.name"). */
    private static <T> T inApiFields(Supplier<T> call) {
        try {
            return call.get();
        } catch (HttpError e) {
            String field = e.field();
            if (field == null) {
                throw e;
            }
            throw switch (field) {
                case "name" -> e.withField("author.name");
                case "email" -> e.withField("author.email");
                case "parent" -> e.withField("parentId");
                default -> e;
            };
        }
    }

    static void write(HttpServletResponse resp, Map<String, Object> body) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json; charset=utf-8");
        resp.getWriter().write(Json.object(body));
    }
}
