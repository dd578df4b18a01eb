package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.site.Site;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Word rules and trusted authors in the console. A word rule is a Java regular expression compiled on save: one
 * that does not compile is shown beside the field with the compiler's explanation and not saved, so posting never
 * meets a broken rule. Each saved rule and trust is written to the audit log.
 *
 * <pre>
 * GET  /admin/rules           the lists and both forms
 * POST /admin/rules           site, pattern, action (reject | pending)
 * POST /admin/rules/trusted   site, account (email or number)
 * </pre>
 */
public final class RulePages {
    static final int MAX_PATTERN = 500;
    private static final List<String> ACTIONS = List.of("reject", "pending");

    private final Console console;
    private final SiteRules rules;
    private final Bans bans;
    private final AuditLog audit;

    public RulePages(Console console, SiteRules rules, Bans bans, AuditLog audit) {
        this.console = console;
        this.rules = rules;
        this.bans = bans;
        this.audit = audit;
    }

    /** What adding a rule or a trusted author does with the form; it fills {@code errors} or says what it saved. */
    @FunctionalInterface
    private interface Save {
        String apply(HttpServletRequest req, Account viewer, long siteId, Map<String, String> errors);
    }

    /** GET /admin/rules */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        render(req, resp, visit.viewer(), visit.mine(), Map.of(), Map.of(), 200);
    }

    /** POST /admin/rules */
    public void addRule(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        save(req, resp, this::addWord);
    }

    /** POST /admin/rules/trusted */
    public void addTrusted(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        save(req, resp, this::trust);
    }

    private void save(HttpServletRequest req, HttpServletResponse resp, Save save) throws IOException {
        Console.Visit visit = Console.visit(req);
        Account viewer = visit.viewer();
        Set<Long> mine = visit.mine();
        long siteId = ConsoleAccess.requireSite(mine, req.getParameter("site"));
        Map<String, String> errors = new LinkedHashMap<>();
        String saved = save.apply(req, viewer, siteId, errors);
        if (!errors.isEmpty()) {
            Map<String, String> form = new HashMap<>();
            for (String f : new String[]{"site", "pattern", "action", "account"}) {
                form.put(f, param(req, f));
            }
            render(req, resp, viewer, mine, errors, form, 400);
            return;
        }
        resp.sendRedirect("/admin/rules?saved=" + java.net.URLEncoder.encode(saved, java.nio.charset.StandardCharsets.UTF_8));
    }

    private String addWord(HttpServletRequest req, Account viewer, long siteId, Map<String, String> errors) {
        String pattern = param(req, "pattern");
        String action = param(req, "action");
        if (!ACTIONS.contains(action)) {
            errors.put("action", Console.text(req, "console.rules.error.action"));
        }
        if (pattern.isEmpty() || pattern.length() > MAX_PATTERN) {
            errors.put("pattern", Console.text(req, "console.rules.error.length", MAX_PATTERN));
        } else {
            try {
                Pattern.compile(pattern, SiteRules.FLAGS);
            } catch (PatternSyntaxException e) {
                // the compiler's own explanation stays as Java words it, in English
                errors.put("pattern", Console.text(req, "console.rules.error.regex", e.getDescription(),
                        e.getIndex()));
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        long id = rules.addWord(siteId, pattern, action, viewer.id());
        audit.record(viewer, siteId, "word-rule", "word_rule:" + id, null, action + " " + pattern);
        return Console.text(req, "console.rules.saved.word", Long.toString(id));
    }

    private String trust(HttpServletRequest req, Account viewer, long siteId, Map<String, String> errors) {
        String raw = param(req, "account");
        var account = raw.isEmpty() ? java.util.Optional.<Long>empty() : bans.accountId(raw);
        if (account.isEmpty()) {
            errors.put("account", Console.text(req, "console.error.noSuchAccount", raw));
            return null;
        }
        if (rules.trust(siteId, account.get(), viewer.id())) {
            audit.record(viewer, siteId, "trust", "account:" + account.get(), "not trusted", "trusted");
        }
        return Console.text(req, "console.rules.saved.trust", Long.toString(account.get()));
    }

    private void render(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine,
                        Map<String, String> errors, Map<String, String> form, int status) throws IOException {
        Map<Long, Site> siteById = console.named(mine);
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("sites", siteById);
        model.put("words", rules.words(mine));
        model.put("trusted", rules.trusted(mine));
        model.put("errors", errors);
        model.put("form", form);
        model.put("saved", req.getParameter("saved"));
        model.put("csrf", console.csrfToken(req));
        resp.setStatus(status);
        console.render(req, resp, "admin/rules", model);
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }
}
