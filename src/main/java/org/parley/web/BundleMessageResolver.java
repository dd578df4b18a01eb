package org.parley.web;

import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.IMessageResolver;

import com.ibm.icu.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
        Compiled compiled = COMPILED.computeIfAbsent(locale, l -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> compile(locale, k)).orElse(null);
        if (compiled == null) {
            return null;
        }
        return params == null || params.length == 0 ? compiled.constant() : compiled.format(params);
    }

    /**
     * Messages are read and parsed once per language, not per use: a JFR profile of the cache-off thread page had
     * the bundle lookup with a new MessageFormat for each message at a sixth of its template's CPU. Keys and
     * locales are the bundles' and the five languages', so the map stays small.
     */
    private static final Map<Locale, Map<String, Optional<Compiled>>> COMPILED = new ConcurrentHashMap<>();

    private static Optional<Compiled> compile(Locale locale, String key) {
        try {
            String pattern = ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
                    ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
            return Optional.of(new Compiled(locale, pattern));
        } catch (MissingResourceException e) {
            return Optional.empty();
        }
    }

    /**
     * One message in one language. ICU's MessageFormat for every message, with or without parameters: the same
     * quoting rules ('' is one apostrophe) and the language's own plural categories ({0, plural, one {…} few {…}
     * other {…}}). A MessageFormat is not safe to share between threads, so formatters are lent out one thread at
     * a time from a few kept here (each keeps the number formatter it made, which is most of a plural's cost).
     */
    private static final class Compiled {
        private static final int KEPT = 16;
        private static final int SMALL_COUNTS = 1_024;
        private final Locale locale;
        private final String pattern;
        private final String constant;
        private final Queue<MessageFormat> idle = new ConcurrentLinkedQueue<>();
        /**
         * The message for each small count, made once: "200 comments" above every thread page cost a plural
         * format of ICU's, 2.5 % of a cache-off page's CPU (JFR). A count's text in a language never changes.
         */
        private final AtomicReferenceArray<String> byCount;

        Compiled(Locale locale, String pattern) {
            this.locale = locale;
            this.pattern = pattern;
            this.constant = new MessageFormat(pattern, locale).format(new Object[0]);
            // only a message with a first argument has counts to keep: labels, most messages, take no room
            this.byCount = pattern.contains("{0") ? new AtomicReferenceArray<>(SMALL_COUNTS) : null;
        }

        /** The message used without parameters (a label): always the same text. */
        String constant() {
            return constant;
        }

        String format(Object[] params) {
            if (byCount != null && params.length == 1 && params[0] instanceof Integer count && count >= 0
                    && count < SMALL_COUNTS) {
                String known = byCount.get(count);
                if (known == null) {
                    known = formatted(params);
                    byCount.set(count, known);
                }
                return known;
            }
            return formatted(params);
        }

        private String formatted(Object[] params) {
            MessageFormat formatter = idle.poll();
            if (formatter == null) {
                formatter = new MessageFormat(pattern, locale);
            }
            String text = formatter.format(params);
            if (idle.size() < KEPT) {
                idle.offer(formatter);
            }
            return text;
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
