package org.parley.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.mail.Mail;
import org.parley.moderation.Console;
import org.parley.outbox.OutboxLedger;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's outgoing mail, for administrators: the newest mails of the whole fleet with their state (queued,
 * sent, held for this page, dead) and why the last try failed; one mail in full; "send again" for a dead or held one.
 * Without an SMTP server this page is where mails are read (a link in a held mail works like one in an inbox).
 */
public final class OutgoingMailPages {
    public static final int SHOWN = 100;

    private final OutboxLedger ledger;
    private final Console console;
    private final boolean smtp;

    public OutgoingMailPages(OutboxLedger ledger, Console console, boolean smtp) {
        this.ledger = ledger;
        this.console = console;
        this.smtp = smtp;
    }

    /** A row of the list: the ledger's entry with its mail read. */
    public record Row(OutboxLedger.Entry entry, Mail mail) {
    }

    /** GET /admin/mail */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<Row> rows = ledger.recent(Mail.KIND, SHOWN).stream().map(e -> new Row(e, read(e))).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", Console.administrator(req));
        model.put("rows", rows);
        model.put("smtp", smtp);
        model.put("shown", SHOWN);
        console.render(req, resp, "admin/mail", model);
    }

    /** GET /admin/mail/:where/:id */
    public void one(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        OutboxLedger.Entry entry = entry(req);
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", Console.administrator(req));
        model.put("row", new Row(entry, read(entry)));
        model.put("csrf", console.csrfToken(req));
        model.put("smtp", smtp);
        console.render(req, resp, "admin/mail-one", model);
    }

    /** POST /admin/mail/:where/:id/resend */
    public void resend(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        OutboxLedger.Entry entry = entry(req);
        if (!ledger.resend(entry.where(), entry.id())) {
            throw new HttpError(409, "This mail is " + entry.state() + ", not dead or held: it cannot be sent again"
                    + " from here.", null);
        }
        resp.sendRedirect("/admin/mail/" + entry.where() + "/" + entry.id());
    }

    private OutboxLedger.Entry entry(HttpServletRequest req) {
        PathParams path = PathParams.of(req);
        String where = path.text("where");
        long id = path.number("id", () -> HttpError.worded(404, "console.error.noMail"));
        return ledger.one(where, id)
                .filter(e -> e.kind().equals(Mail.KIND))
                .orElseThrow(() -> HttpError.worded(404, "console.error.noMail"));
    }

    private static Mail read(OutboxLedger.Entry entry) {
        try {
            return Mail.fromJson(entry.payload());
        } catch (IllegalArgumentException e) {
            return null; // shown as unreadable; the worker dead-letters it with the same reason
        }
    }
}
