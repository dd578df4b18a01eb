package org.parley.moderation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reported comment the moderator decides to keep: its reports are dismissed, so it leaves the flagged queue
 * and stays published; the notice offers an undo that reopens them; a moderator who saw it with open reports is
 * told when another dismissed them first; a new report after the dismissal brings it back, with only that report.
 */
class DismissReportsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void keepingAReportedCommentDismissesItsReportsWithAnUndo() {
        long mod = new AccountRepository(server.parley().databases().main())
                .create("keeper@example.com", "Keeper", Passwords.hash(TestServer.PASSWORD)).orElseThrow();
        new Moderators(server.parley().databases().main()).add(server.site().id(), mod);
        var thread = server.thread("kept");
        long comment = server.post(thread, null, "Unpopular but fine");
        String page = TestServer.standalonePath("kept");
        report(comment, "192.0.2.1", "abuse", "I disagree");

        WebClient keeper = server.signedIn("keeper@example.com");
        String queue = keeper.get("/admin/queue?queue=flagged&thread=kept").body();
        assertThat(queue).contains("Unpopular but fine", "I disagree", "Keep, dismiss reports");

        HttpResponse<String> kept = keeper.post("/admin/reports/" + comment + "/dismiss",
                Map.of("expected", "open", "return", "/admin/queue?queue=flagged&thread=kept"));
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(302);
        String after = keeper.follow(kept).body();
        assertThat(after).contains("Comment " + comment + ": reports dismissed.", "/admin/reports/" + comment + "/reopen")
                .doesNotContain("Unpopular but fine");
        assertThat(server.client().get(page).body()).contains("Unpopular but fine");

        // a second moderator's tab still showed the open reports
        HttpResponse<String> stale = keeper.post("/admin/reports/" + comment + "/dismiss", Map.of("expected", "open"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("Another moderator dismissed this comment", "reports meanwhile");

        HttpResponse<String> undone = keeper.post("/admin/reports/" + comment + "/reopen",
                Map.of("expected", "dismissed", "return", "/admin/queue?queue=flagged&thread=kept"));
        assertThat(keeper.follow(undone).body()).contains("reports reopened.", "I disagree", "Unpopular but fine");

        keeper.post("/admin/reports/" + comment + "/dismiss", Map.of("expected", "open"));
        report(comment, "192.0.2.2", "spam", "Now it is an advert");
        assertThat(keeper.get("/admin/queue?queue=flagged&thread=kept").body())
                .contains("Now it is an advert", "1 report").doesNotContain("I disagree");
        assertThat(keeper.get("/admin/audit").body()).contains("dismiss-reports", "reopen-reports");
    }

    private static void report(long comment, String address, String reason, String note) {
        server.comments().flag(comment, null, address, reason, note);
    }
}
