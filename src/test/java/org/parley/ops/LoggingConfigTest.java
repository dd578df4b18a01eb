package org.parley.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped log configurations (text and JSON) as the jar loads them: what an operator sees at start and during
 * a database outage. jOOQ's version warning (every start against PostgreSQL 15) and HikariCP's warning per dead
 * connection are silenced — exactly those, not their libraries.
 */
class LoggingConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"/logback.xml", "/logback-json.xml"})
    void onlyTheNoisyMessagesAreSilenced(String resource) throws Exception {
        var context = new LoggerContext();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LoggingConfigTest.class.getResource(resource));
        var seen = new ListAppender<ILoggingEvent>();
        seen.setContext(context);
        seen.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(seen);

        context.getLogger("org.jooq.impl.DefaultExecuteContext.logVersionSupport").warn("Version mismatch : {}", "15.18");
        context.getLogger("org.jooq.impl.DefaultExecuteContext").warn("another jOOQ warning");
        context.getLogger("com.zaxxer.hikari.pool.ProxyConnection").warn(
                "{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})", "pool", "c1", "57P01", 0);
        context.getLogger("com.zaxxer.hikari.pool.PoolBase").warn(
                "{} - Failed to validate connection {} ({}). Possibly consider using a shorter maxLifetime value.",
                "pool", "c2", "This connection has been closed.");
        context.getLogger("com.zaxxer.hikari.pool.PoolBase").warn(
                "{} - Pool is empty, failed to create/setup connection ({})", "pool", "id");
        context.getLogger("com.zaxxer.hikari.pool.ProxyConnection").warn(
                "{} - Executed rollback on connection {} due to dirty commit state on close().", "pool", "c3");

        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "another jOOQ warning", "pool - Executed rollback on connection c3 due to dirty commit state on close().");
        assertThat(seen.list).allMatch(e -> e.getLevel() == Level.WARN);
        context.stop();
    }
}
