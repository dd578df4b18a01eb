package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import org.parley.web.DisplayText;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.util.Set;

/**
 * What a thread page's address names: the site, and the thread key — from the path for a standalone page
 * ({@code /t/:site/:key}), from {@code ?key=} for an embed ({@code /embed/:site}), which also carries the host
 * page's address, title and theme ({@link #embedParams}).
 */
record PageAddress(boolean embed, String site, String key) {
    private static final Set<String> THEMES = Set.of("light", "dark");
    private static final int MAX_KEY_LENGTH = 500;

    static PageAddress standalone(HttpServletRequest req) {
        PathParams path = PathParams.of(req);
        return new PageAddress(false, path.text("site"), ThreadUrls.keyOf(path.text("key")));
    }

    static PageAddress embedded(HttpServletRequest req) {
        return new PageAddress(true, PathParams.of(req).text("site"), req.getParameter("key"));
    }

    /** The embed's parameters, each refused with the field it came from when the host page sent it wrong. */
    static ThreadUrls.EmbedParams embedParams(HttpServletRequest req) {
        String key = req.getParameter("key");
        if (key == null || key.isBlank()) {
            throw HttpError.wordedField(400, "key", "thread.error.noKey");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw HttpError.wordedField(400, "key", "thread.error.keyLength", Integer.toString(MAX_KEY_LENGTH));
        }
        String url = blankToNull(req.getParameter("url"));
        if (url != null && (url.length() > 2000 || !(url.startsWith("https://") || url.startsWith("http://")))) {
            throw HttpError.wordedField(400, "url", "thread.error.url");
        }
        String title = blankToNull(req.getParameter("title"));
        if (title != null) {
            title = DisplayText.clean(title);
            title = title.length() > 500 ? title.substring(0, 500) : title;
        }
        String theme = blankToNull(req.getParameter("theme"));
        return new ThreadUrls.EmbedParams(key, url, title, theme != null && THEMES.contains(theme) ? theme : null,
                org.parley.web.Languages.supported(req.getParameter("lang")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
