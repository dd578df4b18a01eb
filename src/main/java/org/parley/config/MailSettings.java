package org.parley.config;

import java.util.Optional;

/**
 * Where Parley's mail goes: an SMTP server, or (none configured) the console's outgoing-mail page, so every flow
 * that sends mail still works on a laptop.
 *
 * @param smtp the server, when {@code PARLEY_SMTP_URL} is set
 * @param from the From address, e.g. {@code Parley <parley@example.com>}
 */
public record MailSettings(Optional<SmtpServer> smtp, String from) {

    /**
     * An SMTP server from {@code smtp://user:password@host:587} or {@code smtps://…:465}.
     *
     * @param implicitTls smtps: TLS from the first byte; smtp: STARTTLS when the server offers it, required
     *                    unless the server is on this machine (credentials and addresses never cross a network in
     *                    the clear)
     */
    public record SmtpServer(String host, int port, boolean implicitTls, String user, String password) {
        /** The password stays out of logs. */
        @Override
        public String toString() {
            return (implicitTls ? "smtps://" : "smtp://") + (user.isEmpty() ? "" : user + ":***@") + host + ":" + port;
        }

        public boolean loopback() {
            return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        }
    }
}
