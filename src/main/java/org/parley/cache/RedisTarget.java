package org.parley.cache;

import io.lettuce.core.RedisURI;
import org.parley.config.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redis that PARLEY_REDIS_URL names: one server, a master found through Sentinel, or a Redis Cluster.
 * Checked here, when the configuration is read, so a mistake is one sentence naming the setting at start rather
 * than a stack trace from the client at the first request.
 *
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://…} with TLS: one server;</li>
 *   <li>{@code redis-sentinel://[[user]:password@]host[:port][,host[:port]…][/db]#master} (and
 *       {@code rediss-sentinel://}): the sentinels to ask for {@code master}'s address, asked again after a
 *       failover;</li>
 *   <li>{@code redis-cluster://[[user]:password@]host[:port][,host[:port]…]} (and {@code rediss-cluster://}): some
 *       nodes of a Redis Cluster, from which the client learns the rest (Lettuce has no scheme of its own for
 *       it, and one URL in one setting is simpler to deploy than a URL plus a switch).</li>
 * </ul>
 *
 * @param urls    one URL for a server or for Sentinel (which lists the sentinels), one per seed node for a Cluster,
 *                each as Lettuce reads it (checked)
 * @param display the URL with its password masked, for logs and messages
 * @param trustedCa for rediss://: a PEM file of the authority that signed the servers' certificates (a private CA);
 *                  empty = the JVM's trusted authorities
 */
public record RedisTarget(Kind kind, List<String> urls, String display, java.util.Optional<java.nio.file.Path> trustedCa) {
    public static final int DEFAULT_PORT = 6379;
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    public enum Kind { SERVER, SENTINEL, CLUSTER }

    private static final String FORMS = "redis://[:password@]host[:port][/db], rediss://… (TLS),"
            + " redis-sentinel://host:port[,host:port…][/db]#master or redis-cluster://host:port[,host:port…]";
    private static final Pattern URL = Pattern.compile(
            "(rediss?(?:-sentinel|-cluster)?)://(?:([^@/]*)@)?([^/?#]*)(/[^?#]*)?(\\?[^#]*)?(?:#(.*))?");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

    public RedisTarget {
        urls = List.copyOf(urls);
    }

    /** This target, its servers' certificates checked against {@code ca} (PARLEY_REDIS_CA_FILE). */
    public RedisTarget trusting(java.nio.file.Path ca) {
        return new RedisTarget(kind, urls, display, java.util.Optional.of(ca));
    }

    /** Whether the connection is TLS (rediss://, rediss-sentinel://, rediss-cluster://). */
    public boolean tls() {
        return urls.getFirst().startsWith("rediss");
    }

    /** Lettuce's URIs for {@link #urls}: new ones each time, as a client changes its own (timeouts). */
    public List<RedisURI> uris() {
        return urls.stream().map(RedisURI::create).toList();
    }

    /**
     * Reads PARLEY_REDIS_URL; blank means no Redis.
     *
     * @throws ConfigException naming {@code setting} and what it accepts, with the password masked
     */
    public static Optional<RedisTarget> parse(String setting, String text) {
        String url = text.strip();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String shown = mask(url);
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw bad(setting, shown, "not a redis URL");
        }
        String scheme = m.group(1);
        String userInfo = m.group(2);
        String path = m.group(4) == null ? "" : m.group(4);
        String query = m.group(5) == null ? "" : m.group(5);
        String master = m.group(6);
        Kind kind = scheme.endsWith("-sentinel") ? Kind.SENTINEL : scheme.endsWith("-cluster") ? Kind.CLUSTER : Kind.SERVER;
        int defaultPort = kind == Kind.SENTINEL ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
        List<String> hosts = hosts(setting, shown, m.group(3), defaultPort);
        if (!path.isEmpty() && !path.matches("/\\d{0,4}")) {
            throw bad(setting, shown, "the path is a database number, like /0");
        }
        switch (kind) {
            case SERVER -> {
                if (hosts.size() != 1) {
                    throw bad(setting, shown, "one server only; several are Sentinel's or a Cluster's");
                }
                if (master != null) {
                    throw bad(setting, shown, "#master belongs to a redis-sentinel:// URL");
                }
            }
            case SENTINEL -> {
                if (master == null || master.isBlank()) {
                    throw bad(setting, shown, "a Sentinel URL names its master after #, like #mymaster");
                }
            }
            case CLUSTER -> {
                if (!path.matches("(/0?)?")) {
                    throw bad(setting, shown, "a Redis Cluster has database 0 only");
                }
                if (master != null) {
                    throw bad(setting, shown, "#master belongs to a redis-sentinel:// URL");
                }
            }
        }
        try {
            List<String> urls = new ArrayList<>();
            if (kind == Kind.CLUSTER) {
                String nodeScheme = scheme.startsWith("rediss") ? "rediss" : "redis";
                String credentials = userInfo == null ? "" : userInfo + "@";
                for (String host : hosts) {
                    urls.add(nodeScheme + "://" + credentials + host + query);
                }
            } else {
                urls.add(url);
            }
            var target = new RedisTarget(kind, urls, shown, java.util.Optional.empty());
            target.uris(); // Lettuce's own checks, now rather than at the first connection
            return Optional.of(target);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw bad(setting, shown, e.getMessage() == null ? e.getClass().getSimpleName() : mask(e.getMessage()));
        }
    }

    /** The URL with whatever stands before '@' (user and password) replaced by ****. */
    public static String mask(String url) {
        return url.replaceAll("(://)[^@/]*@", "$1****@");
    }

    @Override
    public String toString() {
        return display;
    }

    private static List<String> hosts(String setting, String shown, String text, int defaultPort) {
        List<String> hosts = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = HOST_PORT.matcher(part.strip());
            int port = !m.matches() ? 0 : m.group(2) == null ? defaultPort : Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw bad(setting, shown, part.isBlank() ? "a host is missing" : "'" + part.strip()
                        + "' is not host[:port] with a port 1-65535");
            }
            hosts.add(m.group(1) + ":" + port);
        }
        return hosts;
    }

    private static ConfigException bad(String setting, String shown, String reason) {
        return new ConfigException(setting + " must be " + FORMS + ", got '" + shown + "': " + reason);
    }
}
