package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small readings of a request that several features need. */
public final class Requests {
    private Requests() {
    }

    /**
     * The path segments after {@code prefix}, percent-decoded one by one, so a thread key may itself contain
     * an encoded "/" ({@code /t/blog/2024%2F11%2Fpost} → ["blog", "2024/11/post"]).
     */
    public static List<String> segmentsAfter(HttpServletRequest req, String prefix) {
        String raw = req.getRequestURI();
        String contextPath = req.getContextPath();
        String path = raw.substring(contextPath.length());
        if (!path.startsWith(prefix)) {
            return List.of();
        }
        String rest = path.substring(prefix.length());
        if (rest.isEmpty()) {
            return List.of();
        }
        try {
            return decoded(java.util.Arrays.asList(rest.split("/", -1)));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("This address is not encoded correctly.", null);
        }
    }

    /**
     * Raw path segments percent-decoded one by one ("+" stays "+": it is not a space in a path), so a segment may
     * hold an encoded "/". Broken encoding is an IllegalArgumentException.
     */
    static List<String> decoded(List<String> rawSegments) {
        return rawSegments.stream().map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
    }

    /** The client's address: behind trusted proxies, the one they report (ClientAddressFilter), else the TCP peer. */
    public static String clientIp(HttpServletRequest req) {
        return req.getRemoteAddr();
    }

    /** The origin of a URL as browsers compare it: {@code https://host[:port]} (no path, no trailing slash). */
    public static String originOf(java.net.URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    /**
     * Where to send the visitor after a form: the normalised {@code requested} when it is one of Parley's pages,
     * {@code fallback} when none was asked for; anything else is refused with a 400 ({@link ReturnTarget}).
     */
    public static String safeReturn(String requested, String fallback) {
        return ReturnTarget.require(requested, fallback);
    }
}
