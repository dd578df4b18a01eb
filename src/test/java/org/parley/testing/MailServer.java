package org.parley.testing;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A real SMTP server (GreenMail) on a free loopback port, that Parley's outbox delivers to and tests read back.
 * It can be stopped and started again on the same port (an SMTP outage); what it received before a stop is kept.
 * As a JUnit extension it runs for a whole test class.
 *
 * <p>Mails are recorded as GreenMail hands each one to a mailbox, not read back from its mailboxes: GreenMail drops
 * its mailboxes on stop, and a mail accepted between a read-back and the stop would be neither in the record nor
 * sent again (the outbox saw it accepted). Mailbox creation is serialised too, as GreenMail's own is not.
 */
public final class MailServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private static final Pattern LINK = Pattern.compile("https?://\\S+");

    private final int port = FreePort.find();
    private final List<Arrival> received = new ArrayList<>();
    private GreenMail server;
    private int runs;

    /** A mail as received, and in which run of the server (0 for the first start, 1 after the first restart...). */
    private record Arrival(MimeMessage mail, int run) {
    }

    /** {@code smtp://127.0.0.1:PORT}, for PARLEY_SMTP_URL. */
    public String url() {
        return "smtp://127.0.0.1:" + port;
    }

    public synchronized MailServer start() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            UserManager users = server.getUserManager();
            int run = runs++;
            users.setMessageDeliveryHandler((mail, recipient) -> record(users, mail, recipient, run));
            server.start();
        }
        return this;
    }

    /** Stops accepting connections (the port refuses them), keeping what arrived so far. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Every mail received since the first start, in order (one entry per recipient, as mailboxes count them). */
    public List<MimeMessage> received() {
        synchronized (received) {
            return received.stream().map(Arrival::mail).toList();
        }
    }

    /** The mails received in one run of the server: 0 until the first {@link #stop()}, 1 after the restart... */
    public List<MimeMessage> receivedInRun(int run) {
        synchronized (received) {
            return received.stream().filter(a -> a.run() == run).map(Arrival::mail).toList();
        }
    }

    /** GreenMail's delivery step for one recipient: note the mail, then give it the recipient's mailbox. Not under
     *  this server's lock, which {@link #stop()} holds while GreenMail waits for its sessions to end. */
    private GreenMailUser record(UserManager users, MovingMessage mail, MailAddress recipient, int run)
            throws UserException {
        synchronized (received) {
            received.add(new Arrival(mail.getMessage(), run));
            GreenMailUser mailbox = users.getUserByEmail(recipient.getEmail());
            String address = recipient.getEmail();
            return mailbox != null ? mailbox : users.createUser(address, address, address);
        }
    }

    /** The mails to {@code address}. */
    public List<MimeMessage> to(String address) {
        return received().stream().filter(m -> recipient(m).equalsIgnoreCase(address)).toList();
    }

    /** Waits (up to {@code wait}) until {@code address} has received {@code count} mails, and returns the last. */
    public MimeMessage awaitMail(String address, int count, Duration wait) {
        await().atMost(wait).pollInterval(Duration.ofMillis(100)).until(() -> to(address).size() >= count);
        return to(address).get(count - 1);
    }

    /**
     * Waits (up to {@code wait}) for a mail to {@code address} with this subject, and returns the newest such. For
     * a mail that is one of several written together: the outbox delivers a batch side by side, so mails written
     * a moment apart may arrive in either order.
     */
    public MimeMessage awaitMail(String address, String subject, Duration wait) {
        await().atMost(wait).pollInterval(Duration.ofMillis(100)).until(() -> !about(address, subject).isEmpty());
        return about(address, subject).getLast();
    }

    private List<MimeMessage> about(String address, String subject) {
        return to(address).stream().filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    public static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text/plain part of a multipart/alternative mail. */
    public static String text(MimeMessage message) {
        return part(message, "text/plain");
    }

    /** The text/html part. */
    public static String html(MimeMessage message) {
        return part(message, "text/html");
    }

    /** The first link in the plain-text body, as its path and query on Parley (the host is the public URL's). */
    public static String linkPath(MimeMessage message) {
        Matcher m = LINK.matcher(text(message));
        if (!m.find()) {
            throw new AssertionError("no link in the mail:\n" + text(message));
        }
        return m.group().replaceFirst("^https?://[^/]+", "");
    }

    public static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? null : values[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(MimeMessage message, String type) {
        try {
            Multipart multipart = (Multipart) message.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType(type)) {
                    return (String) part.getContent();
                }
            }
            throw new AssertionError("no " + type + " part");
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        stop();
    }
}
