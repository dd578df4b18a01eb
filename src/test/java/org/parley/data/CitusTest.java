package org.parley.data;

import org.junit.jupiter.api.Test;

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
}
