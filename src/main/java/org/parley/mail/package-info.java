/**
 * Mail: rendered from Thymeleaf templates (plain text and HTML, in the reader's language) when the event happens,
 * written to the outbox with it, and delivered over SMTP by Jakarta Mail — or, with no SMTP server configured,
 * kept for the console's outgoing-mail page. See docs/mail.md.
 */
package org.parley.mail;
