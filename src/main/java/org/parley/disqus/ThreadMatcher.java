package org.parley.disqus;

import org.parley.disqus.ExportItem.ExportThread;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which Parley thread a Disqus thread becomes. Its identifier when it has one (the key the embed gives); else a
 * thread the site already has for the same page, found by the page's address written the same way (scheme,
 * {@code www.}, default port, trailing slash, query and fragment do not count); else its link as a new key.
 * A site that moved gives a URL map (old address → new), applied to the links first.
 */
final class ThreadMatcher {
    private final Set<String> existingKeys;
    private final Map<String, String> keyByPage = new HashMap<>();
    private final Map<String, String> moved;

    /**
     * @param existing the site's threads, key → url (url may be null)
     * @param moved    old address → new address, as the operator wrote them
     */
    ThreadMatcher(Map<String, String> existing, Map<String, String> moved) {
        this.existingKeys = existing.keySet();
        existing.forEach((key, url) -> {
            String page = page(url);
            if (page != null) {
                keyByPage.putIfAbsent(page, key);
            }
        });
        this.moved = new HashMap<>();
        moved.forEach((from, to) -> {
            String page = page(from);
            if (page != null) {
                this.moved.put(page, to);
            }
        });
    }

    /** The link as the site knows the page now: moved when the map says so. */
    String link(ExportThread thread) {
        if (thread.link() == null) {
            return null;
        }
        String page = page(thread.link());
        return page != null && moved.containsKey(page) ? moved.get(page) : thread.link();
    }

    /**
     * The Parley thread key: an existing thread with the identifier as its key, else one for the same page, else
     * the identifier, else the link; null when the thread has neither identifier nor link.
     */
    String key(ExportThread thread) {
        String identifier = thread.identifier();
        if (identifier != null && existingKeys.contains(identifier)) {
            return identifier;
        }
        String link = link(thread);
        if (link != null) {
            if (existingKeys.contains(link)) {
                return link;
            }
            String page = page(link);
            if (page != null && keyByPage.containsKey(page)) {
                return keyByPage.get(page);
            }
        }
        return identifier != null ? identifier : link;
    }

    /** A page's address written one way: host without www. and port only when not the default, path without the final slash. */
    static String page(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url.strip());
            if (uri.getHost() == null) {
                return null;
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            host = host.startsWith("www.") ? host.substring(4) : host;
            int port = uri.getPort();
            boolean defaultPort = port == -1 || port == 80 || port == 443;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return host + (defaultPort ? "" : ":" + port) + path;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
