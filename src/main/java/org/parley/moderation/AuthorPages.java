package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.account.Emails;
import org.parley.site.Site;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One author's history on one site: their comments from every shard (newest first, 50 a page), the bans that name
 * them and whether they are trusted, with links to ban or trust them. The site must be the viewer's (else 404).
 *
 * <pre>
 * GET /admin/authors?site=&amp;kind=&amp;value=      the search form; with a value, → the author's page
 * GET /admin/authors/{site}/account/{id}         an account (the form also takes its email)
 * GET /admin/authors/{site}/email/{email}        a guest's email
 * GET /admin/authors/{site}/ip/{address or CIDR} an address or range (encode "/" as %2F)
 *     ?before={comment id}                       the next page
 * </pre>
 */
public final class AuthorPages {
    private static final String PATH = "/admin/authors";

    private final Console console;
    private final AuthorHistory history;
    private final Bans bans;
    private final SiteRules rules;
    private final AccountRepository accounts;

    public AuthorPages(Console console, AuthorHistory history, Bans bans, SiteRules rules,
                         AccountRepository accounts) {
        this.console = console;
        this.history = history;
        this.bans = bans;
        this.rules = rules;
        this.accounts = accounts;
    }

    /** GET /admin/authors: the search form, or with a value a redirect to the author's page */
    public void search(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        resp.setHeader("Cache-Control", "no-store");
        search(req, resp, visit.viewer(), visit.mine());
    }

    /** GET /admin/authors/:site/:kind/:value */
    public void history(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Account viewer = visit.viewer();
        Set<Long> mine = visit.mine();
        resp.setHeader("Cache-Control", "no-store");
        PathParams path = PathParams.of(req);
        long siteId = ConsoleAccess.requireSite(mine, path.text("site"));
        String kind = path.text("kind");
        String value = path.text("value");
        Map<String, Object> model = new HashMap<>();
        AuthorHistory.Author author;
        switch (kind) {
            case "account" -> {
                Account account = parseId(value).flatMap(accounts::byId)
                        .orElseThrow(() -> HttpError.worded(404, "console.error.noAccount"));
                author = new AuthorHistory.Author("account", Long.toString(account.id()));
                model.put("account", account);
                // an SSO account may have no email: it is the host site's user, named by its account id
                model.put("label", Console.text(req, "console.author.label.account", account.displayName(),
                        account.email() == null ? Console.text(req, "console.author.bySite") : account.email(),
                        Long.toString(account.id())));
                model.put("bans", bans.about(siteId, account.id(), account.email(), null));
                model.put("trusted", rules.isTrusted(siteId, account.id()));
                model.put("banUrl", banUrl(siteId, "account", Long.toString(account.id())));
            }
            case "email" -> {
                if (!Emails.looksValid(value)) {
                    throw HttpError.wordedField(400, "value", "console.bans.error.email", value);
                }
                String email = value.toLowerCase(Locale.ROOT);
                author = new AuthorHistory.Author("email", email);
                model.put("label", Console.text(req, "console.author.label.email", email));
                model.put("bans", bans.about(siteId, null, email, null));
                model.put("banUrl", banUrl(siteId, "email", email));
            }
            case "ip" -> {
                String cidr = bans.canonicalCidr(value).orElseThrow(() -> HttpError.wordedField(400, "value",
                        "console.authors.error.ip", value));
                author = new AuthorHistory.Author("ip", cidr);
                model.put("label", Console.text(req, "console.author.label.ip", cidr));
                model.put("bans", bans.about(siteId, null, null, cidr));
                model.put("banUrl", banUrl(siteId, "ip", cidr));
            }
            default -> throw HttpError.notFound("There is no page at this address.");
        }
        Long before = req.getParameter("before") == null ? null : parseId(req.getParameter("before"))
                .orElseThrow(() -> HttpError.badRequest("'before' must be a comment number.", "before"));
        AuthorHistory.Page page = history.page(siteId, author, before);
        String self = authorPath(siteId, author.kind(), author.value());
        model.put("viewer", viewer);
        model.put("site", console.named(mine).get(siteId));
        model.put("entries", page.entries());
        model.put("nextUrl", page.nextBefore() == null ? null : self + "?before=" + page.nextBefore());
        model.put("firstUrl", before == null ? null : self);
        model.put("csrf", console.csrfToken(req));
        console.render(req, resp, "admin/author", model);
    }

    /** The search form, or a redirect to the author it names. */
    private void search(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine)
            throws IOException {
        Map<Long, Site> named = console.named(mine);
        Map<String, String> form = new HashMap<>();
        form.put("site", param(req, "site"));
        form.put("kind", param(req, "kind").isEmpty() ? "account" : param(req, "kind"));
        form.put("value", param(req, "value"));
        Map<String, String> errors = new LinkedHashMap<>();
        if (!form.get("value").isEmpty()) {
            long siteId = ConsoleAccess.requireSite(mine, form.get("site"));
            String value = form.get("value");
            String canonical = switch (form.get("kind")) {
                case "account" -> bans.accountId(value).map(String::valueOf).orElse(null);
                case "email" -> Emails.looksValid(value) ? value.toLowerCase(Locale.ROOT) : null;
                case "ip" -> bans.canonicalCidr(value).orElse(null);
                default -> null;
            };
            if (canonical != null) {
                resp.sendRedirect(authorPath(siteId, form.get("kind"), canonical));
                return;
            }
            errors.put("value", switch (form.get("kind")) {
                case "account" -> Console.text(req, "console.authors.error.account", value);
                case "email" -> Console.text(req, "console.bans.error.email", value);
                case "ip" -> Console.text(req, "console.authors.error.ip", value);
                default -> Console.text(req, "console.authors.error.kind");
            });
            resp.setStatus(400);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("sites", named.values());
        model.put("form", form);
        model.put("errors", errors);
        console.render(req, resp, "admin/authors", model);
    }

    static String authorPath(long siteId, String kind, String value) {
        return PATH + "/" + siteId + "/" + kind + "/" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String banUrl(long siteId, String kind, String value) {
        return "/admin/bans?site=" + siteId + "&kind=" + kind + "&value=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }
}
