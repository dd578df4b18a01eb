package org.parley.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CitusTest {

    @Test
    void anUnnamedCheckOfAnAddedColumnIsNamedAsPostgresqlNamesIt() {
        assertThat(Citus.nameColumnChecks("ALTER TABLE comment ADD COLUMN hold_reason text CHECK (length(hold_reason) <= 200)"))
                .isEqualTo("ALTER TABLE comment ADD COLUMN hold_reason text CONSTRAINT comment_hold_reason_check"
                        + " CHECK (length(hold_reason) <= 200)");
    }

    @Test
    void theCheckMayFollowOnTheNextLineAndTheTableMayBeQualified() {
        assertThat(Citus.nameColumnChecks("ALTER TABLE s0001.comment ADD COLUMN first_moderated_from text\n"
                + "    CHECK (first_moderated_from IN ('approved', 'pending'))"))
                .isEqualTo("ALTER TABLE s0001.comment ADD COLUMN first_moderated_from text\n"
                        + "    CONSTRAINT comment_first_moderated_from_check CHECK (first_moderated_from IN ('approved', 'pending'))");
    }

    @Test
    void namedChecksAndOtherStatementsAreLeftAlone() {
        String named = "ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('mail'))";
        String namedColumn = "ALTER TABLE t ADD COLUMN c text CONSTRAINT t_c_check CHECK (c <> '')";
        String plain = "ALTER TABLE comment ADD COLUMN shadow boolean NOT NULL DEFAULT false";
        assertThat(Citus.nameColumnChecks(named)).isEqualTo(named);
        assertThat(Citus.nameColumnChecks(namedColumn)).isEqualTo(namedColumn);
        assertThat(Citus.nameColumnChecks(plain)).isEqualTo(plain);
        assertThat(Citus.nameColumnChecks("SELECT 1")).isEqualTo("SELECT 1");
    }

    /**
     * Shard schemas are distributed schemas on Citus (docs/scale-out.md): Citus has no triggers on distributed
     * tables, and the statement rewrite names only an added column's CHECK. CitusIT runs the migrations on a real
     * cluster; this says which file and why in a second, without one.
     */
    @Test
    void shardMigrationsUseNothingCitusRefusesForDistributedSchemas() throws IOException {
        Pattern trigger = Pattern.compile("(?i)\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:CONSTRAINT\\s+)?TRIGGER\\b");
        Pattern unnamedKey = Pattern.compile("(?is)\\bADD\\s+COLUMN\\s+[^;]*?(?<!CONSTRAINT\\s\\w{1,63}\\s)"
                + "\\b(UNIQUE|PRIMARY\\s+KEY|REFERENCES)\\b");
        List<String> refused = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("db", "shard"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                String sql = Files.readString(file).replaceAll("--[^\\n]*", "");
                if (trigger.matcher(sql).find()) {
                    refused.add(file.getFileName() + ": a trigger (not allowed on Citus distributed tables)");
                }
                if (unnamedKey.matcher(sql).find()) {
                    refused.add(file.getFileName() + ": ADD COLUMN with an unnamed key (name it: CONSTRAINT x UNIQUE …)");
                }
            }
        }
        assertThat(refused).isEmpty();
    }

    @Test
    void aWorkerIsNamedAsHostColonPortAndAnythingElseIsNotAWorkerName() {
        assertThat(CitusShardMove.Node.parse("10.0.0.12:5432")).isEqualTo(new CitusShardMove.Node("10.0.0.12", 5432));
        assertThat(CitusShardMove.Node.parse("worker-2.internal:6432").toString()).isEqualTo("worker-2.internal:6432");
        assertThat(CitusShardMove.Node.parse("db2")).as("a cluster name, as plain moves take").isNull();
        assertThat(CitusShardMove.Node.parse("10.0.0.12:")).isNull();
        assertThat(CitusShardMove.Node.parse(":5432")).isNull();
        assertThat(CitusShardMove.Node.parse("10.0.0.12:pg")).isNull();
    }
}
