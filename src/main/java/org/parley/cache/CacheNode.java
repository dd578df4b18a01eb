package org.parley.cache;

import org.parley.config.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Memcached server, as PARLEY_MEMCACHED names it. Resolved when the client connects, not when parsed. */
public record CacheNode(String host, int port) {
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

    public CacheNode {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port is 1-65535, got " + port);
        }
    }

    /**
     * Reads {@code host:port[,host:port…]}; blank means no Memcached (the in-process cache).
     *
     * @throws ConfigException naming {@code setting}, e.g. "PARLEY_MEMCACHED must be host:port[,host:port…], got 'x'"
     */
    public static List<CacheNode> parseList(String setting, String text) {
        List<CacheNode> nodes = new ArrayList<>();
        if (text.isBlank()) {
            return nodes;
        }
        for (String part : text.split(",", -1)) {
            Matcher m = HOST_PORT.matcher(part.strip());
            int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
            if (port < 1 || port > 65535) {
                throw new ConfigException(setting + " must be host:port[,host:port…] (for example"
                        + " cache1:11211,cache2:11211), got '" + text.strip() + "'");
            }
            nodes.add(new CacheNode(m.group(1).replaceAll("^\\[|]$", ""), port));
        }
        if (new LinkedHashSet<>(nodes).size() != nodes.size()) {
            throw new ConfigException(setting + " names a server twice, got '" + text.strip() + "'");
        }
        return List.copyOf(nodes);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
