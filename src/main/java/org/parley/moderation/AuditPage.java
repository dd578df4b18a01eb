package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.jooq.DSLContext;
import org.jooq.Records;
import org.parley.account.Account;
import static org.parley.db.main.Tables.ACCOUNT;
import static org.parley.db.main.Tables.API_KEY;
import static org.parley.db.main.Tables.AUDIT_LOG;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code GET /admin/audit}: the audit log of the viewer's sites, newest first, 100 a page (keyset on the entry id),
 * filtered by site, moderator, action, target (exact, or a prefix ending in ":" such as {@code comment:}) and a
 * range of UTC days. A bad filter is shown beside its field, with no entries rather than unfiltered ones. The
 * log is read-only here as everywhere (the table refuses UPDATE and DELETE).
 */
public final class AuditPage {
    static final int PAGE = 100;
    private static final List<String> FILTERS = List.of("site", "moderator", "action", "target", "from", "to");

    /** One entry as the page shows it. */
    public record Entry(long id, OffsetDateTime at, String moderator, Long moderatorId, Long siteId, String action,
                        String target, String before, String after) {
        private static final java.time.format.DateTimeFormatter WHEN =
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        public String atUtc() {
            return at.withOffsetSameInstant(ZoneOffset.UTC).format(WHEN);
        }
    }

    private final Console console;
    private final DSLContext main;

    public AuditPage(Console console, DSLContext main) {
        this.console = console;
        this.main = main;
    }

    /** GET /admin/audit */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Account viewer = visit.viewer();
        Set<Long> mine = visit.mine();
        Map<String, String> form = new HashMap<>();
        for (String f : FILTERS) {
            form.put(f, param(req, f));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Condition where = AUDIT_LOG.SITE_ID.in(mine);
        if (!form.get("site").isEmpty()) {
            where = where.and(AUDIT_LOG.SITE_ID.eq(ConsoleAccess.requireSite(mine, form.get("site"))));
        }
        if (!form.get("moderator").isEmpty()) {
            Long id = number(form.get("moderator"));
            if (id == null) {
                errors.put("moderator", Console.text(req, "console.audit.error.moderator"));
            } else {
                where = where.and(AUDIT_LOG.ACTOR_ID.eq(id));
            }
        }
        if (!form.get("action").isEmpty()) {
            where = where.and(AUDIT_LOG.ACTION.eq(form.get("action")));
        }
        String target = form.get("target");
        if (!target.isEmpty()) {
            // "comment:" lists every comment's entries; "comment:42" that one comment's
            where = where.and(target.endsWith(":") ? AUDIT_LOG.TARGET.startsWith(target) : AUDIT_LOG.TARGET.eq(target));
        }
        LocalDate from = day(req, form.get("from"), "from", errors);
        LocalDate to = day(req, form.get("to"), "to", errors);
        if (from != null && to != null && to.isBefore(from)) {
            errors.put("to", Console.text(req, "console.audit.error.order"));
        }
        if (from != null) {
            where = where.and(AUDIT_LOG.AT.ge(from.atStartOfDay().atOffset(ZoneOffset.UTC)));
        }
        if (to != null) {
            where = where.and(AUDIT_LOG.AT.lt(to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC)));
        }
        String beforeText = param(req, "before");
        if (!beforeText.isEmpty()) {
            Long before = number(beforeText);
            if (before == null) {
                errors.put("before", Console.text(req, "console.audit.error.before"));
            } else {
                where = where.and(AUDIT_LOG.ID.lt(before));
            }
        }

        List<Entry> entries = errors.isEmpty() ? entries(where) : List.of();
        boolean more = entries.size() > PAGE;
        entries = more ? entries.subList(0, PAGE) : entries;
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("entries", entries);
        model.put("form", form);
        model.put("errors", errors);
        model.put("sites", console.named(mine));
        // the choices: who and what appears in the viewer's sites' log
        model.put("moderators", main.selectDistinct(ACCOUNT.ID, ACCOUNT.DISPLAY_NAME)
                .from(AUDIT_LOG).join(ACCOUNT).on(ACCOUNT.ID.eq(AUDIT_LOG.ACTOR_ID))
                .where(AUDIT_LOG.SITE_ID.in(mine))
                .orderBy(ACCOUNT.DISPLAY_NAME, ACCOUNT.ID)
                .fetchMap(ACCOUNT.ID, ACCOUNT.DISPLAY_NAME));
        model.put("actions", main.selectDistinct(AUDIT_LOG.ACTION).from(AUDIT_LOG)
                .where(AUDIT_LOG.SITE_ID.in(mine)).orderBy(AUDIT_LOG.ACTION).fetch(AUDIT_LOG.ACTION));
        model.put("nextUrl", more ? "/admin/audit?" + query(form) + "before=" + entries.getLast().id() : null);
        model.put("firstUrl", beforeText.isEmpty() ? null : "/admin/audit?" + query(form));
        resp.setStatus(errors.isEmpty() ? 200 : 400);
        console.render(req, resp, "admin/audit", model);
    }

    private List<Entry> entries(Condition where) {
        // an API key's actions name the key, as the key's page in the console does
        var actor = DSL.coalesce(ACCOUNT.DISPLAY_NAME, DSL.concat(DSL.inline("API key “"), API_KEY.NAME,
                DSL.inline("”")));
        return main.select(AUDIT_LOG.ID, AUDIT_LOG.AT, actor, AUDIT_LOG.ACTOR_ID, AUDIT_LOG.SITE_ID,
                        AUDIT_LOG.ACTION, AUDIT_LOG.TARGET, AUDIT_LOG.BEFORE, AUDIT_LOG.AFTER)
                .from(AUDIT_LOG)
                .leftJoin(ACCOUNT).on(ACCOUNT.ID.eq(AUDIT_LOG.ACTOR_ID))
                .leftJoin(API_KEY).on(API_KEY.ID.eq(AUDIT_LOG.API_KEY_ID))
                .where(where)
                .orderBy(AUDIT_LOG.ID.desc())
                .limit(PAGE + 1)
                .fetch(Records.mapping(Entry::new));
    }

    private static String query(Map<String, String> form) {
        StringJoiner q = new StringJoiner("");
        for (String f : FILTERS) {
            if (!form.get(f).isEmpty()) {
                q.add(f + "=" + URLEncoder.encode(form.get(f), StandardCharsets.UTF_8) + "&");
            }
        }
        return q.toString();
    }

    private static LocalDate day(HttpServletRequest req, String text, String field, Map<String, String> errors) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            errors.put(field, Console.text(req, "console.audit.error.day", text));
            return null;
        }
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }
}
