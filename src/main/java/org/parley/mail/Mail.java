package org.parley.mail;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.parley.web.Json;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One mail, complete: what the outbox row carries, so delivery needs nothing but an SMTP connection.
 *
 * @param to          the recipient's address
 * @param subject     one line
 * @param text        the plain-text body
 * @param html        the HTML body (the same content)
 * @param messageId   {@code <…@host>}: fixed when the mail is written, so a resend is recognisably the same mail
 * @param inReplyTo   the Message-ID this one follows, so a mail client threads them (empty for none)
 * @param unsubscribe the one-click unsubscribe URL of a notification (RFC 8058), empty for account mail
 */
public record Mail(String to, String subject, String text, String html, String messageId,
                   Optional<String> inReplyTo, Optional<String> unsubscribe) {
    public static final String KIND = "mail";

    /** The same mail under another Message-ID (one derived from what it is about, so resends keep it). */
    public Mail withMessageId(String id) {
        return new Mail(to, subject, text, html, id, inReplyTo, unsubscribe);
    }

    public String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("to", to);
        fields.put("subject", subject);
        fields.put("text", text);
        fields.put("html", html);
        fields.put("messageId", messageId);
        fields.put("inReplyTo", inReplyTo.orElse(null));
        fields.put("unsubscribe", unsubscribe.orElse(null));
        return Json.object(fields);
    }

    /** @throws IllegalArgumentException when the payload is not a mail this class wrote */
    public static Mail fromJson(String json) {
        try {
            Map<String, Object> m = JSONObjectUtils.parse(json);
            return new Mail(required(m, "to"), required(m, "subject"), required(m, "text"), required(m, "html"),
                    required(m, "messageId"), Optional.ofNullable((String) m.get("inReplyTo")),
                    Optional.ofNullable((String) m.get("unsubscribe")));
        } catch (ParseException | ClassCastException e) {
            throw new IllegalArgumentException("not a mail payload: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, Object> m, String field) {
        Object value = m.get(field);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("a mail payload needs '" + field + "'");
        }
        return s;
    }
}
