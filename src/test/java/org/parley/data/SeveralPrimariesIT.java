package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.moderation.QueueGauges;
import org.parley.site.SiteRepository;
import org.parley.testing.PgCluster;
import org.parley.testing.TestConfig;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.web.RequestLogFilter;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two physical primaries (real OS PostgreSQL servers) with the logical shards split between them
 * ({@code 0-3:main,4-7:db2}): each server holds only its shard schemas, thread pages and posting work on both
 * unchanged, the moderation queue, its gauges, the statistics and an author's history ask each server once and add
 * both up, and each server gets the pool size configured for it.
 */
class SeveralPrimariesIT {
    private static final String PASSWORD = "correct horse battery";
    private static PgCluster main;
    private static PgCluster db2;
    private static String mainDb;
    private static String db2Db;
    private static ParleyServer parley;
    private static String base;

    @BeforeAll
    static void start() {
        main = PgCluster.start();
        db2 = PgCluster.start();
        mainDb = main.createDatabase();
        db2Db = db2.createDatabase();
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(main.url(mainDb), 8));
        settings.put("PARLEY_CLUSTER_DB2_URL", db2.url(db2Db).jdbcUrl());
        settings.put("PARLEY_SHARD_MAP", "0-3:main,4-7:db2");
        settings.put("PARLEY_DB_POOL_SIZE", "4");
        settings.put("PARLEY_CLUSTER_DB2_POOL_SIZE", "3");
        settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
        settings.put("PARLEY_RATE_LIMITS", "false");
        parley = ParleyServer.start(TestConfig.load(settings));
        base = "http://127.0.0.1:" + parley.port();
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        db2.close();
        main.close();
    }

    @Test
    void eachServerHoldsOnlyItsShardsAndGetsItsOwnPoolSize() {
        String schemas = "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname ~ '^s[0-9]{4}$'";
        assertThat(main.primary().queryText(mainDb, schemas)).isEqualTo("s0000,s0001,s0002,s0003");
        assertThat(db2.primary().queryText(db2Db, schemas)).isEqualTo("s0004,s0005,s0006,s0007");
        assertThat(main.primary().queryText(mainDb, "SELECT count(*) FROM main.site")).isEqualTo("1");
        assertThat(parley.databases().servers()).extracting(s -> s.cluster() + ":" + s.pool().getMaximumPoolSize())
                .containsExactly("main:4", "db2:3");
    }

    @Test
    void threadPagesPostingAndTheModerationQueueWorkAcrossBothServers() {
        String onMain = keyOn(0, 3);
        String onDb2 = keyOn(4, 7);
        String mainShard = ShardRouter.schemaOf(shardOf(onMain));
        String db2Shard = ShardRouter.schemaOf(shardOf(onDb2));

        postAndRead(onMain, "Stored on the main server", mainShard);
        postAndRead(onDb2, "Stored on the second server", db2Shard);
        assertThat(main.primary().queryText(mainDb, "SELECT count(*) FROM " + mainShard + ".comment")).isEqualTo("1");
        assertThat(db2.primary().queryText(db2Db, "SELECT count(*) FROM " + db2Shard + ".comment")).isEqualTo("1");
        assertThat(db2.primary().queryText(db2Db, "SELECT comment_count FROM " + db2Shard + ".thread")).isEqualTo("1");

        WebClient admin = signedInAdmin("boss@example.com");
        HttpResponse<String> queue = admin.get("/admin/queue?queue=recent");
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(queue.body()).contains("Stored on the main server").contains("Stored on the second server");
        // viewer, their sites, site names, then per physical server ONE union statement for the queue and one for
        // its tabs' counts (guests without an email: no authors' records to read)
        assertThat(queue.headers().firstValue(RequestLogFilter.SQL_COUNT_HEADER)).hasValue("7");
        assertThat(targets(queue)).contains("s0000/primary=2").contains("s0004/primary=2");
    }

    @Test
    void theQueueGaugesStatisticsAndAnAuthorsHistoryAddUpBothServers() {
        // posted, then put back in the queue on each server (the site's settings stay as the other test needs them)
        String onMain = keyOn("waiting-", 0, 3);
        String onDb2 = keyOn("waiting-", 4, 7);
        post(new WebClient(base), onMain, "Waiting on the main server");
        post(new WebClient(base), onDb2, "Waiting on the second server");
        main.primary().execute(mainDb, "UPDATE " + ShardRouter.schemaOf(shardOf(onMain))
                + ".comment SET state = 'pending' WHERE body_source = 'Waiting on the main server'");
        db2.primary().execute(db2Db, "UPDATE " + ShardRouter.schemaOf(shardOf(onDb2))
                + ".comment SET state = 'pending' WHERE body_source = 'Waiting on the second server'");

        var registry = new MetricRegistry();
        try (var gauges = new QueueGauges(parley.databases(), registry, Clock.systemUTC())) {
            QueryStats stats = QueryStats.begin();
            try {
                gauges.refresh();
            } finally {
                QueryStats.end();
            }
            assertThat(stats.count()).isEqualTo(3); // site ids on main, then one statement per server
            assertThat(((Number) registry.getGauges().get(QueueGauges.PENDING).getValue()).longValue()).isEqualTo(2);
        }

        WebClient admin = signedInAdmin("chief@example.com");
        long site = new SiteRepository(parley.databases().main()).byName("default").orElseThrow().id();
        HttpResponse<String> stats = admin.get("/admin/stats?site=" + site);
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).contains("Now: <strong>2</strong> pending");
        // per server: the statistics, and the queue's count for "now"
        assertThat(targets(stats)).contains("s0000/primary=2").contains("s0004/primary=2");

        HttpResponse<String> history = admin.get("/admin/authors/" + site + "/ip/127.0.0.1");
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body()).contains("Waiting on the main server").contains("Waiting on the second server");
        assertThat(targets(history)).contains("s0000/primary=1").contains("s0004/primary=1");
    }

    /** A guest's comment on the thread page of {@code key}: the redirect after posting. */
    private static HttpResponse<String> post(WebClient visitor, String key, String body) {
        assertThat(visitor.get(TestServer.embedPath(key)).statusCode()).isEqualTo(200);
        String path = TestServer.standalonePath(key);
        visitor.get(path);
        HttpResponse<String> posted = visitor.post(path, Map.of("name", "Guest", "body", body));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        return posted;
    }

    private static void postAndRead(String key, String body, String shard) {
        WebClient visitor = new WebClient(base);
        HttpResponse<String> page = visitor.follow(post(visitor, key, body));
        assertThat(page.body()).contains(body).contains("1 comment");
        assertThat(targets(page)).contains(shard + "/primary=");
        HttpResponse<String> other = new WebClient(base).get(TestServer.standalonePath(key));
        assertThat(other.body()).contains(body);
    }

    /** A thread key of the default site that hashes to a logical shard in [from, to]. */
    private static String keyOn(int from, int to) {
        return keyOn("page-", from, to);
    }

    private static String keyOn(String prefix, int from, int to) {
        for (int i = 0; ; i++) {
            int shard = shardOf(prefix + i);
            if (shard >= from && shard <= to) {
                return prefix + i;
            }
        }
    }

    private static int shardOf(String key) {
        long site = new SiteRepository(parley.databases().main()).byName("default").orElseThrow().id();
        return new ShardRouter(8).shardOf(site, key);
    }

    private static WebClient signedInAdmin(String email) {
        var accounts = new AccountRepository(parley.databases().main());
        long boss = accounts.create(email, "Boss", Passwords.hash(PASSWORD)).orElseThrow();
        parley.databases().main().execute("UPDATE main.account SET is_admin = true WHERE id = " + boss);
        WebClient client = new WebClient(base);
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", new HashMap<>(Map.of("email", email,
                "password", PASSWORD)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }

    private static String targets(HttpResponse<String> response) {
        return response.headers().firstValue(RequestLogFilter.SQL_TARGETS_HEADER).orElse("");
    }
}
