package org.parley.web;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a form may send the visitor afterwards ({@code return=…}): one of Parley's own pages, and nothing else.
 *
 * <p>The value is checked <em>after</em> normalising it the way a browser will: dot segments in every spelling a
 * browser accepts ({@code .}, {@code ..}, {@code %2e}, {@code .%2E}, …) are resolved first, because a check of the
 * raw text is what let {@code /t/..//evil.example/} through (it starts with {@code /t/}, and Jetty's redirect then
 * normalised it to {@code //evil.example/}, another host). Refused outright, because no page of Parley is ever
 * written so: a scheme or host ({@code https://…}, {@code //…}, {@code javascript:…}), a backslash (browsers read
 * it as {@code /}), control characters or spaces (CR LF would split the header; browsers drop tabs and newlines
 * inside URLs), a malformed {@code %} escape, an empty path segment, and a path above the root. Encoded
 * separators ({@code %2F}, {@code %5C}) stay as they are: they are data inside one segment (a thread key may hold a
 * "/"), and no browser decodes them into a path.
 *
 * <p>{@link #redirect} then sends exactly the checked text, so nothing between the check and the browser can
 * rewrite it.
 */
public final class ReturnTarget {
    /** The form field and query parameter that carry the target. */
    public static final String FIELD = "return";
    /** Longer than any URL Parley makes (a thread key is at most 500 characters, encoded up to three times that). */
    public static final int MAX_LENGTH = 2_000;
    /** The message of a refused target; it names no value, so nothing a visitor sent is echoed. */
    public static final String REFUSED = "The address to return to after this form is not a page of this site, so "
            + "nothing was done. Go back to the page and try again.";

    /** Pages a visitor may be sent back to: a tree ({@code /t/…}) or one exact path ({@code /admin}). */
    private static final List<String> PAGE_TREES = List.of("/t/", "/embed/", "/c/", "/admin/");
    private static final Set<String> PAGES = Set.of("/", "/demo", "/admin", "/admin/");
    /** RFC 3986 characters that may appear unescaped in a path, query or fragment, besides letters and digits. */
    private static final String URL_PUNCTUATION = "-._~!$&'()*+,;=:@/?%";

    private ReturnTarget() {
    }

    /**
     * The normalised target the visitor asked for, or {@code fallback} when they asked for none.
     *
     * @throws HttpError 400 on the {@value #FIELD} field when a target was given that is not one of Parley's pages
     */
    public static String require(String requested, String fallback) {
        return require(requested, fallback, PAGE_TREES, PAGES);
    }

    /**
     * The same check against a narrower set: paths under one of {@code trees} (each ending in "/") or equal to one
     * of {@code exact}.
     */
    public static String require(String requested, String fallback, List<String> trees, Set<String> exact) {
        if (requested == null || requested.isEmpty()) {
            return fallback;
        }
        return normalise(requested)
                .filter(target -> isPage(pathOf(target), trees, exact))
                .orElseThrow(() -> HttpError.badRequest(REFUSED, FIELD));
    }

    /**
     * {@code requested} as a local path with its dot segments resolved, query and fragment kept, or empty when it
     * is not a local path at all (see the class comment).
     */
    public static Optional<String> normalise(String requested) {
        if (requested == null || requested.isEmpty() || requested.length() > MAX_LENGTH
                || !requested.startsWith("/") || requested.startsWith("//") || !wellFormed(requested)) {
            return Optional.empty();
        }
        int hash = requested.indexOf('#');
        String beforeFragment = hash < 0 ? requested : requested.substring(0, hash);
        int question = beforeFragment.indexOf('?');
        String path = question < 0 ? beforeFragment : beforeFragment.substring(0, question);
        String rest = requested.substring(path.length());
        return withoutDotSegments(path).map(clean -> clean + rest);
    }

    /**
     * A 302 to {@code target}, which {@link #require} returned (or a path Parley built), written as is: Jetty's
     * sendRedirect would normalise it again, and refuses (500) an encoded "/" that a thread key needs.
     */
    public static void redirect(HttpServletResponse resp, String target) throws IOException {
        resp.resetBuffer();
        resp.setStatus(HttpServletResponse.SC_FOUND);
        resp.setHeader("Location", target);
        resp.flushBuffer();
    }

    /** Printable ASCII from the URL alphabet only, and every "%" starting a two-digit hex escape. */
    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && c != '#' && URL_PUNCTUATION.indexOf(c) < 0) {
                return false;
            }
            if (c == '%' && (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2)))) {
                return false;
            }
        }
        return text.indexOf('#') == text.lastIndexOf('#');
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * RFC 3986's remove_dot_segments with the WHATWG URL standard's idea of a dot segment (which includes
     * {@code %2e}), or empty when the path climbs above the root or holds an empty segment (only a trailing "/"
     * may end a path).
     */
    private static Optional<String> withoutDotSegments(String path) {
        String[] segments = path.substring(1).split("/", -1);
        List<String> out = new ArrayList<>();
        boolean directory = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            String lower = segment.toLowerCase(Locale.ROOT);
            directory = false;
            if (isSingleDot(lower)) {
                directory = true;
            } else if (isDoubleDot(lower)) {
                if (out.isEmpty()) {
                    return Optional.empty();
                }
                out.removeLast();
                directory = true;
            } else if (segment.isEmpty()) {
                if (!last) {
                    return Optional.empty();
                }
                directory = true;
            } else {
                out.add(segment);
            }
        }
        String joined = "/" + String.join("/", out);
        return Optional.of(directory && !out.isEmpty() ? joined + "/" : joined);
    }

    private static boolean isSingleDot(String lowerSegment) {
        return lowerSegment.equals(".") || lowerSegment.equals("%2e");
    }

    private static boolean isDoubleDot(String lowerSegment) {
        return lowerSegment.equals("..") || lowerSegment.equals(".%2e") || lowerSegment.equals("%2e.")
                || lowerSegment.equals("%2e%2e");
    }

    private static String pathOf(String target) {
        int end = target.length();
        for (char stop : new char[] {'?', '#'}) {
            int i = target.indexOf(stop);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        return target.substring(0, end);
    }

    private static boolean isPage(String path, List<String> trees, Set<String> exact) {
        return exact.contains(path) || trees.stream().anyMatch(tree -> path.startsWith(tree) && path.length() > tree.length());
    }
}
