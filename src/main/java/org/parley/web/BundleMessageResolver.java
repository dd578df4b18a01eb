package org.parley.web;

import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.IMessageResolver;

import com.ibm.icu.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * {@code #{key}} in templates, from one bundle (i18n/messages*.properties) in the visitor's language, English
 * when there is no translation. A missing key shows as {@code ??key??} so it is noticed, never as an error.
 */
public final class BundleMessageResolver implements IMessageResolver {
    private static final String BUNDLE = "i18n/messages";

    @Override
    public String getName() {
        return "parley-messages";
    }

    @Override
    public Integer getOrder() {
        return 0;
    }

    @Override
    public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] params) {
        return message(context.getLocale() == null ? Locale.ENGLISH : context.getLocale(), key, params);
    }

    /** The message {@code key} in {@code locale} (English when untranslated), formatted; null when no bundle has it. */
    public static String message(Locale locale, String key, Object... params) {
        try {
            String pattern = ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
                    ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
            // ICU's MessageFormat for every message, with or without parameters: the same quoting rules ('' is one
            // apostrophe) and the language's own plural categories ({0, plural, one {…} few {…} other {…}})
            return new MessageFormat(pattern, locale).format(params == null ? new Object[0] : params);
        } catch (MissingResourceException e) {
            return null;
        }
    }

    /**
     * As {@link #message}, for a sentence Java makes without a template (a form's error): a key missing from
     * messages.properties is a bug, thrown at once rather than shown as a blank.
     */
    public static String required(Locale locale, String key, Object... params) {
        String message = message(locale, key, params);
        if (message == null) {
            throw new IllegalArgumentException("no message " + key + " in i18n/messages.properties");
        }
        return message;
    }

    @Override
    public String createAbsentMessageRepresentation(ITemplateContext context, Class<?> origin, String key,
                                                    Object[] params) {
        return "??" + key + "??";
    }
}
