package org.parley.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.ParleyServer;
import org.parley.data.DbUrl;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentService;
import org.parley.discussion.CommentThread;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadVersions;
import org.parley.site.Site;
import org.parley.site.SiteRepository;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A Parley on a fresh database of the shared test PostgreSQL, with the default site's origin set to
 * {@link #ORIGIN} (so embeds of pages "on" that origin create their threads), and rate limits and the spam
 * heuristics off unless a test is about them (tests post fast, as guests from one address, often the same text). Also direct access to the services, for building large threads quickly.
 *
 * <p>A test class that shares one server between its tests registers it as an extension, which starts it before
 * the first test and stops it after the last:
 * <pre>{@code @RegisterExtension static final TestServer server = TestServer.perClass(Map.of("PARLEY_…", "…"));}</pre>
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final String ORIGIN = "http://localhost:1234";

    private final Map<String, String> overrides;
    private final boolean ownMemcached;
    /** The database to run on; null: a fresh one on the shared test PostgreSQL. */
    private DbUrl database;
    private MemcachedProcess memcached;
    private ParleyServer server;
    private CommentService comments;
    private Map<String, String> settings;

    private TestServer(Map<String, String> overrides, boolean ownMemcached) {
        this.overrides = Map.copyOf(overrides);
        this.ownMemcached = ownMemcached;
    }

    /** Starts a server now; the caller closes it. */
    public static TestServer start(Map<String, String> overrides) {
        TestServer server = new TestServer(overrides, false);
        server.startNow();
        return server;
    }

    /** A server for a whole test class, started and stopped by JUnit: use it as a static {@code @RegisterExtension}. */
    public static TestServer perClass(Map<String, String> overrides) {
        return new TestServer(overrides, false);
    }

    /** Starts a server now on {@code database} (another engine than the shared test PostgreSQL, e.g. Citus). */
    public static TestServer startOn(DbUrl database, Map<String, String> overrides) {
        TestServer server = new TestServer(overrides, false);
        server.database = database;
        server.startNow();
        return server;
    }

    /**
     * The same, with a memcached process of its own (started first, stopped last) as the server's cache. Calls get
     * a 1 s timeout: a stalled call on a shared test machine must not read as a miss (MemcachedCacheIT.RELAXED).
     */
    public static TestServer perClassWithMemcached() {
        return new TestServer(Map.of(), true);
    }

    public static TestServer perClass() {
        return perClass(Map.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startNow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void startNow() {
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(
                database != null ? database : databaseFor(overrides), 8));
        settings.put("PARLEY_PUBLIC_URL", ORIGIN);
        settings.put("PARLEY_RATE_LIMITS", "false");
        if (ownMemcached) {
            memcached = MemcachedProcess.start();
            settings.put("PARLEY_MEMCACHED", memcached.address());
            settings.put("PARLEY_MEMCACHED_TIMEOUT_MS", "1000");
        }
        settings.putAll(overrides);
        this.server = ParleyServer.start(TestConfig.load(settings));
        this.settings = Map.copyOf(settings);
        this.comments = new CommentService(server.databases(), new CommentRepository(), Clock.systemUTC(),
                new ThreadVersions(server.cache()));
        withoutSpamChecks(server);
    }

    /**
     * A copy of a migrated database when the class's settings leave the database's shape alone (only the shard
     * count may differ), else an empty one that the server migrates as it starts.
     */
    private static DbUrl databaseFor(Map<String, String> overrides) {
        boolean shaped = overrides.keySet().stream().anyMatch(key -> key.startsWith("PARLEY_SHARD_MAP")
                || key.startsWith("PARLEY_CLUSTER") || key.startsWith("PARLEY_DB_") || key.startsWith("PARLEY_MIGRATE"));
        return shaped ? TestPostgres.shared().newDatabase()
                : TestPostgres.shared().newMigratedDatabase(Integer.parseInt(overrides.getOrDefault("PARLEY_SHARDS", "8")));
    }

    /**
     * Turns the spam heuristics off on a throwaway database (tests post fast, as guests, from one address), as
     * rate limits are; sites made later by a test start with them off too. Call before the first request.
     */
    public static void withoutSpamChecks(ParleyServer parley) {
        parley.databases().main().execute("ALTER TABLE main.site ALTER COLUMN spam_checks SET DEFAULT false");
        parley.databases().main().execute("UPDATE main.site SET spam_checks = false");
        var sites = new SiteRepository(parley.databases().main(), parley.cache());
        sites.all().forEach(sites::invalidate);
    }

    public static TestServer start() {
        return start(Map.of());
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The password every test account gets. */
    public static final String PASSWORD = "correct horse battery";

    /**
     * A browser signed in as a member: signs up, or signs in when an earlier test of the class already made the
     * account. Fails the test if neither works.
     */
    /** A client signed in as an existing account whose password is {@link #PASSWORD}. */
    public WebClient signedIn(String email) {
        WebClient client = client();
        client.get("/signin");
        var done = client.post("/signin", Map.of("email", email, "password", PASSWORD));
        if (done.statusCode() != 302) {
            throw new AssertionError("could not sign in " + email + ": " + done.statusCode() + "\n" + done.body());
        }
        return client;
    }

    public WebClient signedUp(String email, String name) {
        WebClient client = client();
        client.get("/signup");
        var done = client.post("/signup", Map.of("email", email, "name", name, "password", PASSWORD));
        if (done.statusCode() != 302) {
            client.get("/signin");
            done = client.post("/signin", Map.of("email", email, "password", PASSWORD));
        }
        if (done.statusCode() != 302) {
            throw new AssertionError("could not sign up or sign in " + email + ": " + done.statusCode() + "\n" + done.body());
        }
        return client;
    }

    public WebClient client() {
        return new WebClient(base());
    }

    /** The embed URL that creates (or shows) the default site's thread for {@code key}. */
    public static String embedPath(String key) {
        return "/embed/default?key=" + enc(key) + "&url=" + enc(ORIGIN + "/" + key);
    }

    public static String standalonePath(String key) {
        return "/t/default/" + enc(key).replace("+", "%20");
    }

    /** The PARLEY_* settings this server started with: for running a subcommand against the same databases. */
    public Map<String, String> settings() {
        return settings;
    }

    public ParleyServer parley() {
        return server;
    }

    public Site site() {
        return new SiteRepository(server.databases().main()).byName("default").orElseThrow();
    }

    public CommentThread thread(String key) {
        Site site = site();
        return new ThreadRepository(server.databases()).findOrCreate(site.id(), key, ORIGIN + "/" + key, key);
    }

    /** Posts as a guest straight through the service (no HTTP, no rate limits): for building big threads. */
    public long post(CommentThread thread, Long parent, String body) {
        return comments.post(site(), thread, null, new CommentForm(body, parent, "Guest", null), "127.0.0.1").id();
    }

    public CommentService comments() {
        return comments;
    }

    /**
     * Runs SQL on the main schema, e.g. to change a site setting a test depends on, then drops the cached sites,
     * as an operator would have to (or wait for their TTL).
     */
    public void mainSql(String sql) {
        server.databases().main().execute(sql);
        var sites = new SiteRepository(server.databases().main(), server.cache());
        sites.all().forEach(sites::invalidate);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (memcached != null) {
            memcached.close();
            memcached = null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
