package org.parley.discussion;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class CommentViewTest {
    @Test
    void writtenAtIsTheFormattersTextForInstantsInAnyOffset() {
        var random = new SplittableRandom(7);
        long from = Instant.parse("0900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("+10001-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            var at = OffsetDateTime.ofInstant(Instant.ofEpochSecond(random.nextLong(from, to), random.nextInt(1_000_000_000)),
                    ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1)));
            assertThat(CommentView.writtenAt(at)).as("%s", at).isEqualTo(CommentView.UTC_SECOND.format(at));
        }
    }

    @Test
    void writtenAtIsInUtcToTheSecond() {
        assertThat(CommentView.writtenAt(OffsetDateTime.parse("2026-11-25T11:00:07.999+01:00")))
                .isEqualTo("2026-11-25 10:00:07Z");
    }

    @Test
    void viewsOfOneCommentAreEqualWhateverOffsetTheirTimesCameIn() {
        var utc = view(OffsetDateTime.parse("2026-11-25T10:00:07Z"), "<p>Hi</p>");
        var paris = view(OffsetDateTime.parse("2026-11-25T11:00:07+01:00"), "<p>Hi</p>");
        assertThat(paris).isEqualTo(utc).hasSameHashCodeAs(utc);
        assertThat(view(OffsetDateTime.parse("2026-11-25T10:00:08Z"), "<p>Hi</p>")).isNotEqualTo(utc);
        assertThat(view(OffsetDateTime.parse("2026-11-25T10:00:07Z"), "<p>Hi!</p>")).isNotEqualTo(utc);
    }

    private static CommentView view(OffsetDateTime at, String body) {
        return new CommentView(7L, null, 0, null, "Ada", "", body, CommentView.State.APPROVED, 1, 1, 0, 0, at, null,
                0, false);
    }
}
