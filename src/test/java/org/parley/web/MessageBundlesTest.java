package org.parley.web;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.PluralRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every translation of the message bundle is complete and well-formed: each English key is there (a missing one
 * would show English in the middle of a French page), nothing else is (a typo'd key is a missing one), every
 * message is a valid ICU pattern that names the same arguments, every plural gives each of its language's CLDR
 * categories (Arabic's six), and no message formats to a leftover brace or quote.
 */
class MessageBundlesTest {
    /** Wordings the browser picks by plural category (Intl.PluralRules): a language adds the categories it has. */
    private static final Pattern PLURAL_VARIANT = Pattern.compile("live\\.new\\.(zero|two|few|many)");
    private static final Pattern PLURAL_ARGUMENT = Pattern.compile("\\{(\\d+),\\s*plural,");

    static Stream<String> translations() {
        return Languages.SUPPORTED.stream().filter(lang -> !lang.equals("en"));
    }

    static Stream<String> languages() {
        return Languages.SUPPORTED.stream();
    }

    @ParameterizedTest
    @MethodSource("translations")
    void everyKeyIsTranslatedAndNoneIsInvented(String language) {
        Map<String, String> english = bundle("");
        Map<String, String> translated = bundle("_" + language);
        Set<String> missing = new TreeSet<>(english.keySet());
        missing.removeAll(translated.keySet());
        Set<String> extra = new TreeSet<>(translated.keySet());
        extra.removeAll(english.keySet());
        extra.removeIf(key -> PLURAL_VARIANT.matcher(key).matches());
        assertThat(missing).as("keys missing from messages_%s.properties", language).isEmpty();
        assertThat(extra).as("keys in messages_%s.properties that English does not have", language).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("languages")
    void everyMessageIsAValidPatternWithTheSameArgumentsAndEveryPluralCategory(String language) {
        Locale locale = Locale.forLanguageTag(language);
        Set<String> categories = PluralRules.forLocale(locale).getKeywords();
        Map<String, String> english = bundle("");
        List<String> problems = new ArrayList<>();
        bundle(language.equals("en") ? "" : "_" + language).forEach((key, pattern) -> {
            MessageFormat format;
            try {
                format = new MessageFormat(pattern, locale);
            } catch (IllegalArgumentException e) {
                problems.add(key + ": not a valid ICU pattern (" + e.getMessage() + ")");
                return;
            }
            String source = english.get(key);
            if (source != null && !key.startsWith("live.new.")
                    && !new MessageFormat(source, Locale.ENGLISH).getArgumentNames().equals(format.getArgumentNames())) {
                problems.add(key + ": arguments " + format.getArgumentNames() + ", English has "
                        + new MessageFormat(source, Locale.ENGLISH).getArgumentNames());
            }
            Matcher plural = PLURAL_ARGUMENT.matcher(pattern);
            if (plural.find()) {
                for (String category : categories) {
                    if (!Pattern.compile("(?<![\\w=])" + category + "\\s*\\{").matcher(pattern).find()) {
                        problems.add(key + ": no '" + category + "' form");
                    }
                }
            }
            for (Object[] args : samples()) {
                String text = format.format(args);
                // English writes '' for an apostrophe; translations use the typographic one, so a ' left there is
                // a quote ICU took for the start of a literal
                if (text.contains("{") || text.contains("}") || !language.equals("en") && text.contains("'")) {
                    problems.add(key + ": formats to a leftover brace or quote: " + text);
                    break;
                }
            }
        });
        assertThat(problems).as("messages_%s.properties", language).isEmpty();
    }

    /** Numbers that reach every plural category of every language here, as every argument. */
    private static List<Object[]> samples() {
        List<Object[]> samples = new ArrayList<>();
        for (int n : new int[]{0, 1, 2, 3, 11, 100, 1_000_000}) {
            samples.add(new Object[]{n, n, n, n, n});
        }
        return samples;
    }

    private static Map<String, String> bundle(String suffix) {
        String resource = "/i18n/messages" + suffix + ".properties";
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource + " exists").isNotNull();
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> messages = new LinkedHashMap<>();
            properties.stringPropertyNames().stream().sorted().forEach(k -> messages.put(k, properties.getProperty(k)));
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
