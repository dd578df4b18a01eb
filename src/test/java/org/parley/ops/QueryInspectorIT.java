package org.parley.ops;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.QueryStats;
import org.parley.data.ShardRouter;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.db.main.Tables.SITE;

/**
 * The query inspector shows a kept request's statements with the shard they ran on, as many as the request ran;
 * it keeps an administrator's ?inspect=1 request (sampling is off here), never a guest's, and shows only to
 * administrators.
 */
class QueryInspectorIT {
    private static final Pattern ROW = Pattern.compile(
            "<tr data-request-id=\"([^\"]+)\">\\s*<td>[^<]*</td>\\s*<td><a href=\"(/admin/queries/\\d+)\"");
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_INSPECTOR_SAMPLE_RATE", "0"));

    @BeforeAll
    static void start() {
        ConsoleUsers.create(server);
        var thread = server.thread("inspected");
        for (int i = 0; i < 5; i++) {
            long top = server.post(thread, null, "Top " + i);
            server.post(thread, top, "Reply " + i);
        }
    }

    @Test
    void anAdministratorsInspectedRequestShowsEachStatementWithItsShard() {
        WebClient admin = ConsoleUsers.signedIn(server, "admin");
        var page = admin.get(TestServer.standalonePath("inspected") + "?inspect=1", Map.of("X-Request-Id", "inspect-me"));
        assertThat(page.statusCode()).isEqualTo(200);
        int sql = Integer.parseInt(page.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
        assertThat(sql).isPositive();

        String list = admin.get("/admin/queries").body();
        String detailPath = rows(list).get("inspect-me");
        assertThat(detailPath).as(list).isNotNull();
        String detail = admin.get(detailPath).body();
        String schema = ShardRouter.schemaOf(server.thread("inspected").shard());
        assertThat(count(detail, "<tr class=\"statement\">")).isEqualTo(sql);
        assertThat(detail).contains("<dd id=\"sql-count\">" + sql + "</dd>")
                .contains("<td class=\"schema\">" + schema + "</td>")
                .contains("<td class=\"role\">primary</td>")
                .contains("inspect-me", "/t/:site/:key");
        assertThat(count(detail, "<td class=\"schema\">" + schema + "</td>"))
                .as("statements on the thread's shard").isPositive();
    }

    @Test
    void withoutSamplingOnlyAnAdministratorsAskIsKept() {
        WebClient admin = ConsoleUsers.signedIn(server, "admin");
        server.client().get(TestServer.standalonePath("inspected") + "?inspect=1", Map.of("X-Request-Id", "guest-asks"));
        admin.get(TestServer.standalonePath("inspected"), Map.of("X-Request-Id", "admin-did-not-ask"));
        admin.get("/?inspect=1", Map.of("X-Request-Id", "admin-asks"));
        var kept = rows(admin.get("/admin/queries").body()).keySet();
        assertThat(kept).contains("admin-asks").doesNotContain("guest-asks", "admin-did-not-ask");
    }

    @Test
    void repeatedStatementsAreFlaggedAsALikelyNPlusOne() {
        var inspector = new QueryInspector();
        QueryStats stats = QueryStats.begin();
        try {
            stats.capture();
            for (int i = 0; i < 4; i++) {
                server.parley().databases().main().selectFrom(SITE).where(SITE.NAME.eq("site-" + i)).fetch();
            }
            server.parley().databases().main().selectCount().from(SITE).fetchOne();
        } finally {
            QueryStats.end();
        }
        var sample = inspector.keep("n-plus-one", Instant.now(), "GET", "/t/:site/:key", "/t/x", 200, 1.0, stats);
        assertThat(sample.statements()).hasSize(5).allSatisfy(s -> assertThat(s.schema()).isEqualTo("main"));
        assertThat(sample.repeated()).hasSize(1);
        var repeated = sample.repeated().entrySet().iterator().next();
        assertThat(repeated.getValue()).isEqualTo(4);
        assertThat(repeated.getKey()).contains("\"site\"", "?").doesNotContain("site-0");
    }

    @Test
    void onlyAdministratorsOpenTheInspector() {
        assertThat(server.client().get("/admin/queries").statusCode()).isEqualTo(302);
        assertThat(ConsoleUsers.signedIn(server, "mod").get("/admin/queries").statusCode()).isEqualTo(403);
        assertThat(ConsoleUsers.signedIn(server, "plain").get("/admin/queries/1").statusCode()).isEqualTo(403);
        assertThat(ConsoleUsers.signedIn(server, "admin").get("/admin/queries/999999").statusCode()).isEqualTo(404);
    }

    private static Map<String, String> rows(String html) {
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.put(m.group(1), m.group(2));
        }
        return rows;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
