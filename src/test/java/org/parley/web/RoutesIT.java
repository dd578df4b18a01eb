package org.parley.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.RawHttp;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route table as visitors and operators meet it: one list, documented as it is, and the answers HTTP promises
 * for a path served with other methods (405 with Allow), for OPTIONS and for HEAD.
 */
class RoutesIT {
    private static final Pattern HEADING = Pattern.compile("^## (.+)$");
    private static final Pattern ROW = Pattern.compile("^\\| (GET|POST) \\| `([^`]+)` \\|");

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void docsRoutesListsExactlyTheServersRoutesUnderTheirGuards() throws IOException {
        Set<String> documented = new TreeSet<>();
        String group = null;
        for (String line : Files.readAllLines(Path.of("docs/routes.md"))) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                group = heading.group(1);
            }
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                documented.add(group + ": " + row.group(1) + " " + row.group(2));
            }
        }
        Set<String> served = new TreeSet<>();
        for (RouteTable.Route route : server.parley().routes().routes()) {
            served.add(route.group() + ": " + route.method() + " " + route.pattern());
        }

        assertThat(served).hasSizeGreaterThan(40);
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void aPathServedOnlyForOtherMethodsIsA405NamingThem() {
        var postToProbe = send("POST", "/healthz");
        assertThat(postToProbe.status()).isEqualTo(405);
        assertThat(postToProbe.headers("Allow")).containsExactly("GET, HEAD, OPTIONS");
        assertThat(postToProbe.body()).contains("does not accept POST", "Skip to content");

        var getSignOut = send("GET", "/signout");
        assertThat(getSignOut.status()).isEqualTo(405);
        assertThat(getSignOut.headers("Allow")).containsExactly("POST, OPTIONS");
    }

    @Test
    void optionsNamesWhatAPathAnswersAndAPathWithoutRoutesIsNotFound() {
        var signIn = send("OPTIONS", "/signin");
        assertThat(signIn.status()).isEqualTo(200);
        assertThat(signIn.headers("Allow")).containsExactly("GET, HEAD, POST, OPTIONS");

        assertThat(send("OPTIONS", "/no/such/page").status()).isEqualTo(404);
    }

    @Test
    void headIsAnsweredByTheGetRouteWithoutABody() {
        var head = send("HEAD", "/healthz");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers("Content-Type")).singleElement().asString().startsWith("text/plain");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aPathNoRouteHasIsAStyledNotFound() {
        var nowhere = send("GET", "/t/default");

        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.body()).contains("There is no page at this address.", "Skip to content");
    }

    private static RawHttp.Response send(String method, String path) {
        return RawHttp.send(server.parley().port(), method, path, "127.0.0.1", List.of(), null);
    }
}
