package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.site.SiteRepository;
import org.parley.web.PathParams;
import org.parley.web.ReturnTarget;
import org.parley.web.Templates;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The page a visitor whose comment was spooled lands on (docs/spool.md): "your comment is saved and will appear
 * shortly", with the comment as they wrote it, while it waits; once replayed, the same address forwards to the
 * comment in its discussion; if the replay refused it, why. Reads only main, so it works while the thread's
 * shard is away. Only the author sees it: the address carries the token the spool gave them.
 */
public final class SpoolPages {
    static final String TOKEN = "token";

    private final CommentSpool spool;
    private final SiteRepository sites;
    private final Templates templates;

    public SpoolPages(CommentSpool spool, SiteRepository sites, Templates templates) {
        this.spool = spool;
        this.sites = sites;
        this.templates = templates;
    }

    /** Where the author of a spooled comment is sent: {@code /c/{id}/saved?token=…} with where it was written. */
    public static String savedUrl(CommentSpool.Ticket ticket, ShownIn shown) {
        String query = shown.query();
        return "/c/" + ticket.commentId() + "/saved" + (query.isEmpty() ? "?" : query + "&") + TOKEN + "="
                + URLEncoder.encode(ticket.token(), StandardCharsets.UTF_8);
    }

    /** GET /c/:id/saved?token= */
    public void saved(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long id = PathParams.of(req).number("id", CommentService::noSuchComment);
        var row = spool.forAuthor(id, req.getParameter(TOKEN)).orElseThrow(CommentService::noSuchComment);
        sites.byId(row.siteId()).ifPresent(site -> org.parley.web.Languages.siteDefault(req, site.language()));
        ShownIn shown = ShownIn.of(req);
        resp.setHeader("Cache-Control", "no-store");
        if (row.outcome() != null && !"refused".equals(row.outcome())) {
            // written: the permalink leads to the page that holds it; a held one is announced as a post's would be
            String to = "approved".equals(row.outcome()) ? shown.permalink(row.commentId())
                    : ThreadUrls.withPage(row.pageUrl(), shown.sort(), null) + "&posted=pending";
            ReturnTarget.redirect(resp, to);
            return;
        }
        Map<String, Object> model = new HashMap<>();
        model.put("bodyHtml", Markdown.toHtml(row.form().body()));
        model.put("refused", row.outcome() != null);
        model.put("reason", row.outcomeDetail());
        model.put("spooledAt", row.spooledAt());
        model.put("backUrl", row.pageUrl());
        model.put("checkUrl", savedUrl(new CommentSpool.Ticket(row.spooledId(), row.token()), shown));
        model.put("embed", shown.embed());
        model.put("theme", shown.theme());
        templates.render(req, resp, "comment/saved", model);
    }
}
