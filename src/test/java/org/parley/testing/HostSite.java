package org.parley.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host site — a blog on an origin of its own — whose article pages carry Parley's embed snippet exactly as the
 * README gives it, so the thread runs in a genuinely cross-site iframe. It listens on loopback under both IP
 * versions on one port, so the same pages are reachable as {@code http://127.0.0.1:P}, {@code http://localhost:P}
 * (which Chromium tries over {@code ::1} first) and {@code http://[::1]:P}: three origins for a browser, from one
 * server. {@code /page/{key}?parley={base}[&theme=dark]} is an article embedding that thread of the default site.
 */
public final class HostSite implements AutoCloseable {
    private static final int BIND_ATTEMPTS = 5;

    private final List<HttpServer> servers;
    private final int port;
    private final Map<String, String> published;

    private HostSite(List<HttpServer> servers, int port, Map<String, String> published) {
        this.servers = servers;
        this.port = port;
        this.published = published;
    }

    public static HostSite start() {
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            List<HttpServer> servers = new ArrayList<>();
            Map<String, String> published = new java.util.concurrent.ConcurrentHashMap<>();
            try {
                HttpServer v4 = serve(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), published);
                servers.add(v4);
                int port = v4.getAddress().getPort();
                // the port was free on IPv4; on IPv6 something else may hold it: then try another
                servers.add(serve(new InetSocketAddress(InetAddress.getByName("::1"), port), published));
                return new HostSite(servers, port, published);
            } catch (IOException e) {
                servers.forEach(s -> s.stop(0));
                last = e;
            }
        }
        throw new UncheckedIOException("the host site could not listen on 127.0.0.1 and ::1 on one port in "
                + BIND_ATTEMPTS + " attempts", last);
    }

    private static HttpServer serve(InetSocketAddress address, Map<String, String> published) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> {
            String page = published.get(exchange.getRequestURI().getPath());
            if (page != null) {
                send(exchange, page);
            } else {
                handle(exchange);
            }
        });
        server.start();
        return server;
    }

    /** The site's origin under a host name: {@code 127.0.0.1}, {@code localhost} or {@code [::1]}. */
    public String origin(String hostName) {
        return "http://" + hostName + ":" + port;
    }

    /** An article on {@code origin} embedding the default site's thread {@code key} from the Parley at {@code parley}. */
    public String page(String origin, String parley, String key) {
        return page(origin, parley, key, null);
    }

    /** The same, with the host page forcing a theme (data-theme) when {@code theme} is not null. */
    public String page(String origin, String parley, String key, String theme) {
        return origin + "/page/" + key + "?parley=" + URLEncoder.encode(parley, StandardCharsets.UTF_8)
                + (theme == null ? "" : "&theme=" + theme);
    }

    /**
     * Serves {@code html} at {@code path} (under every name of the site) as the host page a test needs, such as a
     * page with Disqus's embed code; returns its address on {@code origin}.
     */
    public String publish(String origin, String path, String html) {
        published.put(path, html);
        return origin + path;
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/favicon.ico")) { // asked for by the browser; a 404 would be an error in the console
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (!path.startsWith("/page/") || !query.containsKey("parley")) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        String key = path.substring("/page/".length());
        String theme = query.get("theme");
        String html = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>An article about %1$s</title></head>
                <body style="background: #fff; color: #000">
                <h1>An article about %1$s</h1>
                <p>Some text the comments are about.</p>
                <div id="parley_thread" data-site="default" data-key="%1$s"%2$s></div>
                <script src="%3$s/embed.js" async></script>
                <p id="after-comments">The end of the article.</p>
                </body></html>
                """.formatted(key, theme == null ? "" : " data-theme=\"" + theme + "\"", query.get("parley"));
        send(exchange, html);
    }

    private static void send(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> fields = new HashMap<>();
        if (raw == null) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
