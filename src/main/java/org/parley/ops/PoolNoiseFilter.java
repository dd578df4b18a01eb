package org.parley.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.Set;

/**
 * Drops HikariCP's per-connection warnings about a database that went away — one line (some with a stack trace)
 * for every pooled connection, at the start of every outage. {@code data.PrimaryCircuit} reports an unreachable
 * server itself, once when it starts and once when it ends, and each refused request is in the access log with its
 * 503. Only these three messages are dropped; HikariCP's other warnings (configuration, a connection returned with
 * an open transaction) still show. Installed by logback.xml and logback-json.xml.
 */
public final class PoolNoiseFilter extends TurboFilter {
    private static final String HIKARI = "com.zaxxer.hikari.pool.";
    private static final Set<String> PER_CONNECTION = Set.of(
            "{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})",
            "{} - Failed to validate connection {} ({}). Possibly consider using a shorter maxLifetime value.",
            "{} - Pool is empty, failed to create/setup connection ({})");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format != null && level == Level.WARN && logger.getName().startsWith(HIKARI) && PER_CONNECTION.contains(format)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
