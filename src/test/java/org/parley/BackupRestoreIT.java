package org.parley;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.DbUrl;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentService;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadVersions;
import org.parley.site.SiteRepository;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parley backup} and {@code parley restore} as an operator runs them: 64 logical shards over two
 * PostgreSQL servers are backed up while the source keeps serving, then restored onto two empty servers with a
 * different shard map. Every table of main and of every shard schema holds the same rows afterwards (count and a
 * checksum over every row, read on both sides), the restored Parley serves the threads, and a comment posted there
 * gets an ID after every restored one. A restore onto servers set up for another shard count, or from a damaged
 * file, is refused with the reason and writes nothing.
 */
class BackupRestoreIT {
    private static final int SHARDS = 64;
    private static TestPostgres second;
    private static Map<String, String> source;
    private static ParleyServer parley;
    private static long newestComment;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        second = TestPostgres.startNew();
        source = twoServers("0-31:main,32-63:db2");
        parley = ParleyServer.start(TestConfig.load(source));
        var databases = parley.databases();
        TestServer.withoutSpamChecks(parley);
        var site = new SiteRepository(databases.main()).byName("default").orElseThrow();
        var accounts = new AccountRepository(databases.main());
        Account ada = accounts.byId(accounts.create("ada@example.com", "Ada", "x").orElseThrow()).orElseThrow();
        var comments = new CommentService(databases, new CommentRepository(), Clock.systemUTC(),
                new ThreadVersions(parley.cache()));
        var threads = new ThreadRepository(databases);
        for (int t = 0; t < 24; t++) {
            var thread = threads.findOrCreate(site.id(), "article-" + t, TestServer.ORIGIN + "/article-" + t, "Article " + t);
            long top = comments.post(site, thread, null, new CommentForm("First on " + t, null, "Guest " + t,
                    "guest" + t + "@example.com"), "127.0.0.1").id();
            long reply = comments.post(site, thread, ada, new CommentForm("Ada replies on " + t, top, null, null),
                    "127.0.0.1").id();
            comments.vote(top, ada, 1);
            newestComment = Math.max(newestComment, reply);
        }
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aBackupRestoresOntoEmptyServersWithAnotherShardMapRowForRow() throws Exception {
        Path backup = work.resolve("backup");
        CommandRun made = CommandRun.of(source, "backup", "--out", backup.toString(), "--jobs", "3");
        assertThat(made.status()).as(made.stderr()).isZero();
        assertThat(made.stdout()).contains("Cluster main: 33 schemas", "Cluster db2: 32 schemas", "Backup in ");
        assertThat(backup.resolve("manifest.properties")).exists();

        Map<String, String> target = twoServers("0-15:main,16-63:db2");
        CommandRun restored = CommandRun.of(target, "restore", backup.toString());
        assertThat(restored.status()).as(restored.stderr()).isZero();
        assertThat(restored.stdout()).contains("Restored 65 schemas (0 complete already)");

        Map<String, String> before = fingerprints(source);
        Map<String, String> after = fingerprints(target);
        assertThat(before).hasSize(after.size()).containsKey("main.site");
        assertThat(after).isEqualTo(before);
        assertThat(before.values()).anyMatch(print -> !print.startsWith("0 ")); // not a comparison of empty tables

        try (ParleyServer restoredParley = ParleyServer.start(TestConfig.load(target))) {
            var http = new org.parley.testing.WebClient("http://127.0.0.1:" + restoredParley.port());
            assertThat(http.get("/t/default/article-7").body()).contains("First on 7", "Ada replies on 7", "2 comments");
            var databases = restoredParley.databases();
            var site = new SiteRepository(databases.main()).byName("default").orElseThrow();
            var thread = new ThreadRepository(databases).find(site.id(), "article-7").orElseThrow();
            long fresh = new CommentService(databases, new CommentRepository(), Clock.systemUTC(),
                    new ThreadVersions(restoredParley.cache())).post(site, thread, null,
                    new CommentForm("Written after the restore", null, "Later", null), "127.0.0.1").id();
            assertThat(fresh).as("a new ID sorts after the restored ones").isGreaterThan(newestComment);
        }

        CommandRun again = CommandRun.of(target, "restore", backup.toString());
        assertThat(again.status()).as("a finished restore run again").isNotZero();
        assertThat(again.stderr()).contains("already holds", "restore only onto empty servers");
    }

    @Test
    void aRestoreOntoAnotherShardCountOrFromADamagedFileWritesNothing() throws Exception {
        Path backup = work.resolve("checked");
        assertThat(CommandRun.of(source, "backup", "--out", backup.toString()).status()).isZero();

        Map<String, String> eight = new HashMap<>(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), 8));
        CommandRun refused = CommandRun.of(eight, "restore", backup.toString());
        assertThat(refused.status()).isNotZero();
        assertThat(refused.stderr()).contains("The backup has 64 logical shards", "set up for 8");
        assertThat(schemas(eight)).as("nothing created on the refused servers").isEmpty();

        Path damaged = work.resolve("damaged");
        copy(backup, damaged);
        Path file;
        try (Stream<Path> files = Files.walk(damaged.resolve("s0005"))) {
            file = files.filter(f -> f.toString().endsWith("comment.tsv.gz")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        Map<String, String> target = twoServers("0-31:main,32-63:db2");
        CommandRun broken = CommandRun.of(target, "restore", damaged.toString());
        assertThat(broken.status()).isNotZero();
        assertThat(broken.stderr()).contains("comment.tsv.gz is not the file the backup wrote", "Nothing was restored");
        assertThat(schemas(target)).isEmpty();

        CommandRun existing = CommandRun.of(source, "backup", "--out", backup.toString());
        assertThat(existing.status()).isNotZero();
        assertThat(existing.stderr()).contains("is not an empty directory");
    }

    /** Settings for a Parley of 64 shards on a new database of each test server, split by {@code map}. */
    private static Map<String, String> twoServers(String map) {
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), SHARDS));
        DbUrl db2 = second.newDatabase();
        settings.put("PARLEY_CLUSTER_DB2_URL", db2.jdbcUrl());
        settings.put("PARLEY_CLUSTER_DB2_USER", TestPostgres.user());
        settings.put("PARLEY_SHARD_MAP", map);
        settings.put("PARLEY_DB_POOL_SIZE", "6");
        settings.put("PARLEY_CLUSTER_DB2_POOL_SIZE", "6");
        settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
        return settings;
    }

    /** Every data table of main and of each shard schema: row count and a checksum over all its rows. */
    private static Map<String, String> fingerprints(Map<String, String> settings) throws Exception {
        Map<String, String> prints = new LinkedHashMap<>();
        for (String url : List.of(settings.get("PARLEY_DB_URL"), settings.get("PARLEY_CLUSTER_DB2_URL"))) {
            try (Connection c = DriverManager.getConnection(url, TestPostgres.user(), "");
                 Statement s = c.createStatement()) {
                List<String> tables = new java.util.ArrayList<>();
                try (ResultSet rs = s.executeQuery("""
                        SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE (n.nspname = 'main' OR n.nspname ~ '^s[0-9]{4}$') AND c.relkind IN ('r', 'p')
                           AND NOT c.relispartition
                           AND c.relname NOT IN ('flyway_schema_history', 'shard_placement', 'shard_move')""")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1,"
                            + " 15))::bit(60)::bigint), 0) FROM " + table + " t")) {
                        rs.next();
                        prints.put(table, rs.getLong(1) + " " + rs.getString(2));
                    }
                }
            }
        }
        assertThat(prints.keySet().stream().filter(t -> t.matches("s\\d{4}\\.comment")).count()).isEqualTo(SHARDS);
        return prints;
    }

    private static List<String> schemas(Map<String, String> settings) throws Exception {
        List<String> found = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(settings.get("PARLEY_DB_URL"), TestPostgres.user(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname = 'main'"
                     + " OR nspname ~ '^s[0-9]{4}$'")) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
