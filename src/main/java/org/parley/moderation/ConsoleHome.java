package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.AccountRepository;
import org.parley.site.Site;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's front page, {@code GET /admin}: the moderator's sites with what waits in their queues and when
 * their newest comment came, and for each the snippets to paste into the site's pages with the origins allowed
 * to embed it. An administrator of a fresh installation also sees the first-run checklist, each step ticked
 * from what the data says (not from what someone clicked), until all are done.
 *
 * <p>Its cost does not grow with the shard count: the viewer's sites and names, one statement for their origins,
 * one per physical database for the glances ({@link SiteOverview}), one for the password check.
 */
public final class ConsoleHome {
    /** The most sites the front page describes; beyond, the sites page lists them all. */
    static final int MAX_SITES = 50;

    /** One step of the first-run checklist: its sentence and link text as message keys (console.home.step.*). */
    public record Step(String textKey, String href, String linkKey, boolean done) {
    }

    /** A site as the front page shows it. */
    public record Card(Site site, SiteOverview.Glance glance, List<String> origins, String embedSnippet,
                       String countSnippet) {
    }

    private final Console console;
    private final SiteOverview overview;
    private final AccountRepository accounts;
    private final URI publicUrl;

    public ConsoleHome(Console console, SiteOverview overview, AccountRepository accounts, URI publicUrl) {
        this.console = console;
        this.overview = overview;
        this.accounts = accounts;
        this.publicUrl = publicUrl;
    }

    /** GET /admin */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        List<Site> sites = console.named(visit.mine()).values().stream().limit(MAX_SITES).toList();
        List<Long> ids = sites.stream().map(Site::id).toList();
        Map<Long, SiteOverview.Glance> glances = overview.of(ids);
        Map<Long, List<String>> origins = console.sites().origins(ids);
        List<Card> cards = new ArrayList<>();
        for (Site site : sites) {
            cards.add(new Card(site, glances.get(site.id()), origins.get(site.id()), embedSnippet(site),
                    countSnippet(site)));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", visit.viewer());
        model.put("cards", cards);
        model.put("more", visit.mine().size() > sites.size());
        model.put("checklist", visit.viewer().admin() ? checklist(visit.viewer().id(), cards) : List.of());
        console.render(req, resp, "admin/home", model);
    }

    /**
     * The first-run steps, on the embedded default's site (the first, "default"), shown while any is open: the
     * generated password replaced, an origin of the owner's own besides Parley's, a page that loaded the embed,
     * a first comment.
     */
    private List<Step> checklist(long adminId, List<Card> cards) {
        Card first = cards.stream().filter(c -> c.site().name().equals(org.parley.site.SiteRepository.DEFAULT_NAME))
                .findFirst().orElse(null);
        if (first == null) {
            return List.of();
        }
        String parleyOrigin = org.parley.web.Requests.originOf(publicUrl);
        String settings = "/admin/sites/" + first.site().id();
        List<Step> steps = List.of(
                new Step("console.home.step.password", "/account", "console.home.step.password.link",
                        !accounts.stillOnGeneratedPassword(adminId)),
                new Step("console.home.step.origin", settings, "console.home.step.origin.link",
                        first.origins().stream().anyMatch(o -> !o.equals(parleyOrigin))),
                new Step("console.home.step.snippet", "#site-" + first.site().id(), "console.home.step.snippet.link",
                        first.glance().embedded()),
                new Step("console.home.step.comment", "/admin/queue?queue=recent", "console.home.step.comment.link",
                        first.glance().hasComments()));
        return steps.stream().allMatch(Step::done) ? List.of() : steps;
    }

    /** The embed, with a link to the thread's own page for readers without script ({@code ARTICLE-KEY} to fill). */
    private String embedSnippet(Site site) {
        return "<div id=\"parley_thread\" data-site=\"" + site.name() + "\" data-key=\"ARTICLE-KEY\"></div>\n"
                + "<script src=\"" + base() + "/embed.js\" async></script>\n"
                + "<noscript><a href=\"" + base() + "/t/" + site.name() + "/ARTICLE-KEY\">Read and write comments</a>"
                + "</noscript>";
    }

    private String countSnippet(Site site) {
        return "<a href=\"/your-article/#comments\" data-parley-count data-key=\"your-article\">Comments</a>\n"
                + "<script src=\"" + base() + "/count.js\" data-site=\"" + site.name() + "\" async></script>";
    }

    private String base() {
        return publicUrl.toString().replaceAll("/+$", "");
    }
}
