package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentThread;
import org.parley.discussion.Sort;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a fresh install, with PostgreSQL's plan cache left at {@code auto}, the redirect after a post keeps a generic
 * plan instead of being planned again on every post. A partition never analyzed is costed as ten pages of rows, so
 * while the months made ahead had no statistics the generic plan looked dearer than planning each time, and a post
 * cost PostgreSQL about 1 ms of planning under load (bench/README, "Partitions analyzed when made").
 */
class FreshInstallPlansIT {
    private static final int RUNS = 30;
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void everyEmptyCommentPartitionHasStatisticsFromTheStart() throws Exception {
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FILTER (WHERE c.reltuples < 0), count(*)
                       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                       JOIN pg_class parent ON parent.oid = i.inhparent AND parent.relname = 'comment'
                       JOIN pg_namespace n ON n.oid = parent.relnamespace AND n.nspname ~ '^s[0-9]{4}$'
                      WHERE pg_relation_size(c.oid) = 0""")) {
            rs.next();
            assertThat(rs.getInt(2)).as("empty comment partitions (the months made ahead)").isPositive();
            assertThat(rs.getInt(1)).as("of them never analyzed").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Sort.class, names = {"OLDEST", "NEWEST"})
    void theRedirectAfterAPostKeepsAGenericPlan(Sort sort) throws Exception {
        CommentThread thread = server.thread("fresh-plans-" + sort);
        long comment = 0;
        for (int i = 0; i < 3; i++) {
            comment = server.post(thread, null, "comment " + i + " on a fresh install");
        }
        // a connection of its own, with no statement prepared on it before and pgjdbc's usual threshold
        try (Connection c = DriverManager.getConnection(server.settings().get("PARLEY_DB_URL"), TestPostgres.user(), "")) {
            c.unwrap(PGConnection.class).setPrepareThreshold(5);
            DSLContext shard = DSL.using(new DefaultConfiguration().set(c).set(SQLDialect.POSTGRES)
                    .set(new Settings().withRenderMapping(new RenderMapping().withSchemata(new MappedSchema()
                            .withInput(Databases.SHARD_TEMPLATE_SCHEMA)
                            .withOutput(ShardRouter.schemaOf(thread.shard()))))));
            for (int i = 0; i < RUNS; i++) {
                assertThat(new CommentRepository().pageEndingAtTopLevel(shard, thread.id(), comment, sort, null))
                        .as("a thread of three comments ends on its first page").isEmpty();
            }
            // pgjdbc prepares a statement on the server from its fifth run; PostgreSQL then plans the first five
            // executions for their values and afterwards keeps the generic plan if it costs no more
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                         + " WHERE statement LIKE '%\"w\"%'")) {
                assertThat(rs.next()).as("the redirect's statement, prepared on the server").isTrue();
                int generic = rs.getInt(1);
                int custom = rs.getInt(2);
                assertThat(rs.next()).as("one statement prepared on this connection").isFalse();
                assertThat(custom).as("custom plans: its first runs only").isLessThanOrEqualTo(5);
                assertThat(generic).as("runs on the kept generic plan").isEqualTo(RUNS - 4 - custom);
            }
        }
    }
}
