package org.parley.mail;

import org.parley.web.BundleMessageResolver;
import org.parley.web.Templates;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Renders a mail from {@code templates/mail/NAME.txt} (plain text) and {@code NAME.html}, with the subject from the
 * message bundle ({@code mail.NAME.subject}), in the reader's language. Both bodies get the model plus
 * {@code publicUrl}; links in them must be absolute, as a mail is read outside any page.
 */
public final class MailTemplates {
    private final TemplateEngine text = engine(TemplateMode.TEXT, ".txt");
    private final TemplateEngine html = engine(TemplateMode.HTML, ".html");
    private final URI publicUrl;

    public MailTemplates(URI publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** A mail with a new Message-ID on Parley's public host. */
    public Mail render(String name, Locale locale, String to, Map<String, ?> model, Object... subjectParams) {
        return render(name, locale, to, model, Optional.empty(), Optional.empty(), subjectParams);
    }

    public Mail render(String name, Locale locale, String to, Map<String, ?> model, Optional<String> inReplyTo,
                       Optional<String> unsubscribe, Object... subjectParams) {
        Context context = new Context(locale);
        Map<String, Object> variables = new HashMap<>(model);
        variables.put("publicUrl", publicUrl.toString().replaceAll("/+$", ""));
        unsubscribe.ifPresent(url -> variables.put("unsubscribeUrl", url));
        String subject = BundleMessageResolver.message(locale, "mail." + name + ".subject", subjectParams);
        if (subject == null) {
            throw new IllegalStateException("no subject 'mail." + name + ".subject' in the message bundle");
        }
        variables.put("subject", subject);
        context.setVariables(variables);
        return new Mail(to, subject, text.process("mail/" + name, context), html.process("mail/" + name, context),
                messageId(), inReplyTo, unsubscribe);
    }

    /** An absolute link to one of Parley's pages, {@code pathAndQuery} starting with "/". */
    public String link(String pathAndQuery) {
        return publicUrl.toString().replaceAll("/+$", "") + pathAndQuery;
    }

    /** {@code <random@public-host>}: unique without coordination, and names who made it. */
    public String messageId() {
        String host = publicUrl.getHost() == null ? "localhost" : publicUrl.getHost();
        return "<" + UUID.randomUUID() + "@" + host + ">";
    }

    private static TemplateEngine engine(TemplateMode mode, String suffix) {
        var resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        var engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        engine.setMessageResolver(new BundleMessageResolver());
        return Templates.initialiseNow(engine);
    }
}
