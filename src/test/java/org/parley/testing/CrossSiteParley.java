package org.parley.testing;

import java.util.Map;

/**
 * What the cross-site browser tests share: Parley on every interface at a port of its own (Chromium reaches
 * {@code localhost} over ::1 first) with {@code http://localhost:PORT} as its public URL, a {@link HostSite} whose
 * given origins may embed the default site (so the thread runs in a genuinely cross-site frame), and one Chromium
 * with JavaScript. Closed in the reverse order.
 */
public final class CrossSiteParley implements AutoCloseable {
    private final int port;
    private final TestServer server;
    private final HostSite blog;
    private final Browser browser;

    private CrossSiteParley(int port, TestServer server, HostSite blog, Browser browser) {
        this.port = port;
        this.server = server;
        this.blog = blog;
        this.browser = browser;
    }

    /** @param blogHosts the blog's names that may embed the default site: "127.0.0.1", "localhost" */
    public static CrossSiteParley start(String... blogHosts) {
        return start(Map.of(), blogHosts);
    }

    /** The same, with more settings for the server (e.g. its shards on another PostgreSQL). */
    public static CrossSiteParley start(Map<String, String> settings, String... blogHosts) {
        int port = FreePort.find();
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.putAll(Map.of("PARLEY_PORT", Integer.toString(port), "PARLEY_HOST", "0.0.0.0",
                "PARLEY_PUBLIC_URL", "http://localhost:" + port));
        TestServer server = TestServer.start(all);
        HostSite blog = null;
        try {
            blog = HostSite.start();
            for (String host : blogHosts) {
                // the embed creates threads only for pages on the site's origins, and only they may frame it
                server.mainSql("INSERT INTO main.site_origin (site_id, origin) SELECT id, '" + blog.origin(host)
                        + "' FROM main.site WHERE name = 'default'");
            }
            return new CrossSiteParley(port, server, blog, Browser.withJavaScript());
        } catch (RuntimeException e) {
            if (blog != null) {
                blog.close();
            }
            server.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** Parley's origin under {@code host}: "localhost" or "127.0.0.1". */
    public String parley(String host) {
        return "http://" + host + ":" + port;
    }

    public TestServer server() {
        return server;
    }

    public HostSite blog() {
        return blog;
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        blog.close();
        server.close();
    }
}
