package org.parley.site;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gravatar per site: off, a comment shows Parley's own identicon (no third party sees the reader); switched on by
 * the site's owner in the console, comments written from then on show the Gravatar picture of the author's
 * address (its SHA-256, as Gravatar takes it), in the page and the API, and the pages' policy lets them load.
 */
class GravatarIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void anOwnerSwitchesGravatarOnForCommentsWrittenFromThen() throws Exception {
        WebClient ada = server.signedUp("Ada.Gravatar@Example.com", "Ada Gravatar");
        String thread = TestServer.embedPath("gravatar-thread");
        ada.get(thread);
        ada.post(thread, Map.of("body", "Before: an identicon"));

        long site = server.site().id();
        server.mainSql("INSERT INTO main.site_moderator (site_id, account_id, role) SELECT " + site + ", id, 'owner'"
                + " FROM main.account WHERE email = 'Ada.Gravatar@Example.com'");
        WebClient owner = ada;
        String form = owner.get("/admin/sites/" + site).body();
        assertThat(form).contains("id=\"gravatar\"");
        var saved = owner.post("/admin/sites/" + site, Map.of("displayName", "Default", "guestsAllowed", "on",
                "editWindowMinutes", "15", "maxCommentLength", "10000", "origins", TestServer.ORIGIN,
                "gravatar", "on"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);

        ada.get(thread);
        ada.post(thread, Map.of("body", "After: a Gravatar"));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("ada.gravatar@example.com".getBytes(StandardCharsets.UTF_8)));
        var page = server.client().get(TestServer.standalonePath("gravatar-thread"));
        assertThat(page.body()).contains("src=\"https://www.gravatar.com/avatar/" + hash + "?s=64&amp;d=identicon\"",
                "src=\"/avatar/");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("img-src 'self' data: https://www.gravatar.com");
        assertThat(server.client().get("/api/v1/sites/default/threads/gravatar-thread/comments").body())
                .contains("\"avatarUrl\":\"https://www.gravatar.com/avatar/" + hash + "?s=64&d=identicon\"");
    }
}
