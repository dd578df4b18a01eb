package org.parley.web;

import com.ibm.icu.text.MessageFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages are compiled once, their formatters lent out and the texts of small counts kept: every message in every
 * language must read exactly as a MessageFormat made for that one use would write it, alone and with many threads
 * formatting at once.
 */
class BundleMessageResolverTest {
    private static final Object[][] ARGUMENTS = {{0}, {1}, {2}, {3}, {5}, {11}, {21}, {100}, {1023}, {1024}, {1234567}, {-1}, {"Ada", 2}};

    @Test
    void everyMessageReadsAsAFreshFormatterWritesIt() throws IOException {
        for (String language : Languages.SUPPORTED) {
            Locale locale = Locale.forLanguageTag(language);
            Properties own = bundle(language.equals("en") ? "" : "_" + language);
            Properties english = bundle("");
            for (String key : english.stringPropertyNames()) {
                String pattern = own.getProperty(key, english.getProperty(key));
                assertThat(BundleMessageResolver.message(locale, key)).as("%s %s", language, key)
                        .isEqualTo(new MessageFormat(pattern, locale).format(new Object[0]));
                for (Object[] arguments : ARGUMENTS) {
                    // twice: the second use is a lent formatter's
                    for (int i = 0; i < 2; i++) {
                        assertThat(outcome(() -> BundleMessageResolver.message(locale, key, arguments)))
                                .as("%s %s", language, key)
                                .isEqualTo(outcome(() -> new MessageFormat(pattern, locale).format(arguments)));
                    }
                }
            }
        }
        assertThat(BundleMessageResolver.message(Locale.ENGLISH, "no.such.key")).isNull();
    }

    @Test
    void formattersLentToManyThreadsAtOnceKeepTheirAnswersApart() throws Exception {
        Locale arabic = Locale.forLanguageTag("ar");
        String pattern = bundle("_ar").getProperty("thread.comments");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int task = 0; task < 64; task++) {
                int offset = task;
                results.add(pool.submit(() -> {
                    for (int n = 0; n < 300; n++) {
                        int count = (n * 7 + offset) % 150;
                        String expected = new MessageFormat(pattern, arabic).format(new Object[]{count});
                        if (!expected.equals(BundleMessageResolver.message(arabic, "thread.comments", count))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The text, or the refusal (a name where a plural wants a number) that both must give alike. */
    private static String outcome(java.util.function.Supplier<String> format) {
        try {
            return format.get();
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static Properties bundle(String suffix) throws IOException {
        var properties = new Properties();
        try (InputStream in = getClass0().getResourceAsStream("/i18n/messages" + suffix + ".properties")) {
            properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return properties;
    }

    private static Class<?> getClass0() {
        return BundleMessageResolverTest.class;
    }
}
