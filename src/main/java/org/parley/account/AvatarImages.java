package org.parley.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /avatar/{key}.svg}: the identicon for a key. A key always draws the same picture, so browsers and
 * proxies may keep it for a year. The SVG is served with a CSP that forbids scripts and fetches, and with
 * nosniff, because an SVG opened directly is a document, not just an image.
 */
public final class AvatarImages {
    private static final Pattern FILE = Pattern.compile("(" + Avatars.KEY.pattern() + ")\\.svg");
    private static final String CACHE_FOREVER = "public, max-age=31536000, immutable";
    private static final String SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

    /** GET /avatar/:file */
    public void avatar(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Matcher path = FILE.matcher(PathParams.of(req).text("file"));
        if (!path.matches()) {
            throw HttpError.worded(404, "account.error.noAvatar");
        }
        byte[] svg = Avatars.svg(path.group(1)).getBytes(StandardCharsets.UTF_8);
        resp.setContentType("image/svg+xml");
        resp.setHeader("Cache-Control", CACHE_FOREVER);
        resp.setHeader("Content-Security-Policy", SVG_POLICY);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(svg.length);
        resp.getOutputStream().write(svg);
    }
}
