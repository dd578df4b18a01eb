package org.parley.web;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A refusal worded by a message key: English for programs and logs, the reader's language on a page. */
class HttpErrorTest {
    @Test
    void aWordedRefusalIsEnglishForProgramsAndInTheReadersLanguageOnAPage() {
        HttpError error = HttpError.worded(409, "console.error.commentMeanwhile", "approved");
        assertThat(error.getMessage())
                .isEqualTo("Another moderator changed this comment meanwhile: it is now approved. Nothing was changed.");
        assertThat(error.message(Locale.FRENCH)).startsWith("Un autre modérateur").contains("approuvé");
        assertThat(error.withField("select").message(Locale.GERMAN)).contains("freigegeben");
    }

    @Test
    void aSentenceGivenAsTextStaysAsWritten() {
        assertThat(HttpError.notFound("No such discussion").message(Locale.FRENCH)).isEqualTo("No such discussion");
    }

    @Test
    void anUnknownKeyIsAProgrammingError() {
        assertThatThrownBy(() -> HttpError.worded(400, "console.error.noSuchKey"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("console.error.noSuchKey");
    }
}
