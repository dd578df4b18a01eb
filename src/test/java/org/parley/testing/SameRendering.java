package org.parley.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.BiFunction;

/**
 * For tests that compare two ways of rendering the same markup (a template and a hand-written writer, a page
 * whole and spliced): the comparison runs inside a real Jetty request, as Parley renders, once per request in the
 * language the request asks for, and answers what differed — "identical" when nothing did.
 */
public final class SameRendering implements AutoCloseable {
    private final TestJetty jetty;

    private SameRendering(TestJetty jetty) {
        this.jetty = jetty;
    }

    /** {@code differences} renders both ways for the request and lists each difference it found. */
    public static SameRendering start(BiFunction<HttpServletRequest, HttpServletResponse, List<String>> differences) {
        return new SameRendering(TestJetty.start(List.of(), new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                List<String> found = differences.apply(req, resp);
                resp.setContentType("text/plain; charset=utf-8");
                resp.getWriter().write(found.isEmpty() ? "identical" : String.join("\n\n", found));
            }
        }));
    }

    /** What the comparison found for a browser asking for {@code language}: "identical", or the differences. */
    public String in(String language) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(jetty.base() + "/"))
                    .header("Accept-Language", language).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        jetty.close();
    }
}
