package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.config.StartupException;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

class MigrationsIT {

    @Test
    void migrationsCreateTheMainSchemaAndOneSchemaPerLogicalShard() {
        Config config = TestConfig.load(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), 8));
        try (Databases databases = open(config)) {
            Migrations.Result first = Migrations.migrate(databases, shard -> { });

            List<String> schemas = databases.main()
                    .select(field("schema_name", String.class))
                    .from(table(name("information_schema", "schemata")))
                    .where(field("schema_name").like("s%").or(field("schema_name").eq("main")))
                    .orderBy(field("schema_name"))
                    .fetch(0, String.class);
            assertThat(schemas).containsExactly("main", "s0000", "s0001", "s0002", "s0003", "s0004", "s0005",
                    "s0006", "s0007");
            assertThat(tablesIn(databases, "main")).contains("site", "site_origin", "account", "setting", "cluster_info");
            for (int shard = 0; shard < 8; shard++) {
                assertThat(tablesIn(databases, ShardRouter.schemaOf(shard))).contains("thread");
            }
            long shardMigrations;
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of("db", "shard"))) {
                shardMigrations = files.filter(f -> f.toString().endsWith(".sql")).count();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(first.shardsApplied()).as("every migration in db/shard, on each of 8 shards")
                    .isEqualTo(8 * shardMigrations);

            Migrations.Result again = Migrations.migrate(databases, shard -> { });
            assertThat(again.mainApplied() + again.shardsApplied()).as("a second run has nothing to do").isZero();
        }
    }

    @Test
    void theNumberOfLogicalShardsCannotChangeAfterCreation() {
        DbUrl database = TestPostgres.shared().newDatabase();
        try (Databases databases = open(TestConfig.load(TestConfig.settingsFor(database, 8)))) {
            Migrations.migrate(databases, shard -> { });
        }
        try (Databases databases = open(TestConfig.load(TestConfig.settingsFor(database, 16)))) {
            assertThatThrownBy(() -> Migrations.migrate(databases, shard -> { }))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("created with 8 logical shards, but PARLEY_SHARDS is 16")
                    .hasMessageContaining("set PARLEY_SHARDS=8");
        }
    }

    /** Two databases stand in for two physical clusters: each shard schema exists only where the map puts it. */
    @Test
    void shardSchemasAreCreatedOnTheClusterTheShardMapNames() {
        DbUrl main = TestPostgres.shared().newDatabase();
        DbUrl second = TestPostgres.shared().newDatabase();
        var settings = new java.util.HashMap<>(TestConfig.settingsFor(main, 8));
        settings.putAll(Map.of(
                "PARLEY_CLUSTER_DB2_URL", second.jdbcUrl(),
                "PARLEY_SHARD_MAP", "0-5:main,6-7:db2"));
        try (Databases databases = open(TestConfig.load(settings))) {
            Migrations.migrate(databases, shard -> { });

            assertThat(schemaExists(databases.write(5), "s0005")).isTrue();
            assertThat(schemaExists(databases.main(), "s0006")).isFalse();
            assertThat(schemaExists(databases.write(6), "s0006")).isTrue();
            assertThat(schemaExists(databases.write(6), "s0005")).isFalse();
        }
    }

    static Databases open(Config config) {
        return Databases.open(config.clusters(), config.shardMap(), config.connectTimeout(), new MetricRegistry());
    }

    private static List<String> tablesIn(Databases databases, String schema) {
        return databases.main()
                .select(field("table_name", String.class))
                .from(table(name("information_schema", "tables")))
                .where(field("table_schema").eq(schema))
                .fetch(0, String.class);
    }

    private static boolean schemaExists(org.jooq.DSLContext dsl, String schema) {
        return dsl.fetchExists(table(name("information_schema", "schemata")), field("schema_name").eq(schema));
    }
}
