package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.discussion.CommentSpool;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code GET /admin/spool}: the comments of the viewer's sites that were written while their shard's primary could
 * not be reached (docs/spool.md) — those still waiting first, with their age, then those replayed in the last day
 * with what became of them (posted, held, or refused and why). Read-only: the replay needs no hand, and a
 * moderator acts on a posted comment in the queues as on any other.
 */
public final class SpoolPage {
    static final int SHOWN = 200;

    /** One row as the page shows it: the author's name resolved. */
    public record Line(CommentSpool.Row row, String author) {
        public String excerpt() {
            String body = row.form().body().strip().replaceAll("\\s+", " ");
            return body.length() <= 140 ? body : body.substring(0, 139) + "…";
        }
    }

    private final Console console;
    private final CommentSpool spool;
    private final AccountRepository accounts;

    public SpoolPage(Console console, CommentSpool spool, AccountRepository accounts) {
        this.console = console;
        this.spool = spool;
        this.accounts = accounts;
    }

    /** GET /admin/spool */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        List<CommentSpool.Row> rows = visit.mine().isEmpty() ? List.of() : spool.recent(visit.mine(), SHOWN);
        Map<Long, String> members = rows.stream().map(CommentSpool.Row::accountId).filter(Objects::nonNull).distinct()
                .collect(Collectors.toMap(id -> id, id -> accounts.byId(id).map(Account::displayName).orElse("#" + id)));
        List<Line> lines = rows.stream()
                .map(r -> new Line(r, r.accountId() != null ? members.get(r.accountId()) : r.form().guestName()))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", visit.viewer());
        model.put("lines", lines);
        model.put("waiting", lines.stream().filter(l -> l.row().waiting()).count());
        model.put("sites", console.named(visit.mine()));
        resp.setHeader("Cache-Control", "no-store");
        console.render(req, resp, "admin/spool", model);
    }
}
