package org.parley.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.parley.config.LogFormat;
import org.slf4j.LoggerFactory;

/** Switches logback to the configured format (logback.xml = text, logback-json.xml = one JSON object a line). */
public final class Logging {
    private Logging() {
    }

    public static void configure(LogFormat format) {
        if (format == LogFormat.TEXT) {
            return; // logback.xml is what logback loads by itself
        }
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(Logging.class.getResource("/logback-json.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("logback-json.xml in the jar is broken", e);
        }
    }
}
