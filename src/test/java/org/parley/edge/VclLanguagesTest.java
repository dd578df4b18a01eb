package org.parley.edge;

import org.junit.jupiter.api.Test;
import org.parley.web.Languages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * varnish/parley.vcl narrows Accept-Language to the languages Parley has; a language added to Parley and not to
 * the VCL would be served the site's default language through Varnish, so the two lists must stay equal.
 */
class VclLanguagesTest {
    @Test
    void theVclNarrowsAcceptLanguageToExactlyTheLanguagesParleyHas() throws Exception {
        String vcl = Files.readString(Path.of("varnish/parley.vcl"));
        Matcher lists = Pattern.compile("\\((en(?:\\|[a-z]{2,3})+)\\)").matcher(vcl);
        int found = 0;
        while (lists.find()) {
            assertThat(List.of(lists.group(1).split("\\|"))).as("the list in: " + lists.group())
                    .containsExactlyInAnyOrderElementsOf(Languages.SUPPORTED);
            found++;
        }
        assertThat(found).as("the two lists in vcl_recv (the pick and the check)").isEqualTo(2);
    }
}
