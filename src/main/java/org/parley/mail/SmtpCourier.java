package org.parley.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.parley.config.MailSettings;
import org.parley.outbox.Courier;
import org.parley.outbox.DeliveryFailure;

import java.util.Properties;

/**
 * Sends outbox mails through the configured SMTP server, one connection per mail (a few mails a second at most;
 * a pooled connection would have to notice the server going away). A 5xx refusal of the recipient is permanent;
 * anything else — the server down, a timeout, a 4xx — is tried again later.
 */
public final class SmtpCourier implements Courier {
    /** Far inside the outbox's lease: a hung server cannot hold a row past it. */
    private static final String TIMEOUT_MS = "20000";

    private final MailSettings.SmtpServer server;
    private final InternetAddress from;
    private final Session session;

    public SmtpCourier(MailSettings.SmtpServer server, String from) {
        this.server = server;
        try {
            this.from = new InternetAddress(from, true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("not a From address: " + from, e);
        }
        String protocol = server.implicitTls() ? "smtps" : "smtp";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put("mail." + protocol + ".host", server.host());
        props.put("mail." + protocol + ".port", Integer.toString(server.port()));
        props.put("mail." + protocol + ".connectiontimeout", TIMEOUT_MS);
        props.put("mail." + protocol + ".timeout", TIMEOUT_MS);
        props.put("mail." + protocol + ".writetimeout", TIMEOUT_MS);
        props.put("mail." + protocol + ".auth", Boolean.toString(!server.user().isEmpty()));
        props.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        if (!server.implicitTls()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", Boolean.toString(!server.loopback()));
        }
        this.session = Session.getInstance(props);
    }

    @Override
    public String kind() {
        return Mail.KIND;
    }

    @Override
    public Delivered deliver(String payload) throws DeliveryFailure {
        Mail mail;
        try {
            mail = Mail.fromJson(payload);
        } catch (IllegalArgumentException e) {
            throw DeliveryFailure.permanent(e.getMessage(), e);
        }
        try {
            MimeMessage message = message(mail);
            Transport.send(message, server.user().isEmpty() ? null : server.user(),
                    server.user().isEmpty() ? null : server.password());
            return Delivered.SENT;
        } catch (SendFailedException e) {
            // the server answered, and refused: 5xx for good, 4xx for now
            int code = replyCode(e);
            String reply = replyText(e);
            throw code >= 500
                    ? DeliveryFailure.permanent("refused by " + server + ": " + reply, e)
                    : DeliveryFailure.temporary("not sent through " + server + ": " + reply, e);
        } catch (MessagingException e) {
            throw DeliveryFailure.temporary("not sent through " + server + ": " + rootMessage(e), e);
        }
    }

    private MimeMessage message(Mail mail) throws MessagingException {
        MimeMessage message = new FixedIdMessage(session, mail.messageId());
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        message.setSubject(mail.subject(), "UTF-8");
        mail.inReplyTo().ifPresent(id -> header(message, "In-Reply-To", id));
        mail.inReplyTo().ifPresent(id -> header(message, "References", id));
        mail.unsubscribe().ifPresent(url -> {
            header(message, "List-Unsubscribe", "<" + url + ">");
            header(message, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        });
        header(message, "Auto-Submitted", "auto-generated");
        var text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8", "plain");
        var html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        var body = new MimeMultipart("alternative", text, html);
        message.setContent(body);
        message.saveChanges();
        return message;
    }

    private static void header(MimeMessage message, String name, String value) {
        try {
            message.setHeader(name, value);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SMTP reply code in a refusal (the refusal itself, or the refused recipient behind it); 0 when none. */
    private static int replyCode(SendFailedException e) {
        if (e instanceof SMTPSendFailedException sent) {
            return sent.getReturnCode();
        }
        if (e.getNextException() instanceof SMTPAddressFailedException address) {
            return address.getReturnCode();
        }
        return 0;
    }

    private static String replyText(SendFailedException e) {
        Exception detail = e.getNextException() instanceof SMTPAddressFailedException address ? address : e;
        return String.valueOf(detail.getMessage()).strip();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    /** Keeps the Message-ID the mail was written with; Jakarta Mail would make a new one on every send. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
