package org.parley.moderation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The undo button a queue page offers after an action, read back from the address the action redirected to. */
class UndoTest {

    @Test
    void eachKindOfActionIsUndoneByTheActionBackToWhereItWasExpectingWhereItIsNow() {
        assertThat(Undo.of(null, "reject", "42", "pending", null))
                .isEqualTo(new Undo("/admin/comments/42/hold", "deleted"));
        assertThat(Undo.of("comment", "approve", "42", "spam", null))
                .isEqualTo(new Undo("/admin/comments/42/spam", "approved"));
        assertThat(Undo.of("pin", "pin", "7", "unpinned", "pinned")).isEqualTo(new Undo("/admin/pin/7/unpin", "pinned"));
        assertThat(Undo.of("pin", "unpin", "7", "pinned", "unpinned")).isEqualTo(new Undo("/admin/pin/7/pin", "unpinned"));
        assertThat(Undo.of("reports", "dismiss", "5", "open", "dismissed"))
                .isEqualTo(new Undo("/admin/reports/5/reopen", "dismissed"));
        assertThat(Undo.of("reports", "reopen", "5", "dismissed", "open"))
                .isEqualTo(new Undo("/admin/reports/5/dismiss", "open"));
        assertThat(Undo.of("thread", "lock", "9", "open", "locked")).isEqualTo(new Undo("/admin/threads/9/open", "locked"));
        assertThat(Undo.of("thread", "open", "9", "closed", "open")).isEqualTo(new Undo("/admin/threads/9/close", "open"));
    }

    @Test
    void anAddressNoActionRedirectedToOffersNoUndo() {
        assertThat(Undo.of(null, null, null, null, null)).isNull();
        assertThat(Undo.of(null, "approve", "../../evil", "pending", null)).isNull();
        assertThat(Undo.of(null, "explode", "42", "pending", null)).isNull();
        assertThat(Undo.of(null, "approve", "42", "vanished", null)).isNull();
        assertThat(Undo.of("thread", "lock", "9", "open", "sideways")).isNull();
        assertThat(Undo.of("elsewhere", "approve", "42", "pending", null)).isNull();
    }
}
