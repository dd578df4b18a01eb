package org.parley.discussion;

import org.parley.site.Site;
import org.parley.web.Assets;
import org.parley.web.BundleMessageResolver;
import org.parley.web.Languages;
import org.parley.web.Templates;
import org.unbescape.html.HtmlEscape;
import org.unbescape.uri.UriEscape;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shared thread page around its comment list — what thread/show.html (in layout.html) and thread/embed.html
 * (in frame.html) render with discussion.html for nobody in particular: no viewer, no token, no form values, no
 * notice — written straight into one StringBuilder, with the list's UTF-8 bytes put in as they are.
 *
 * <p>Why not the template: once the list was written without it ({@link SharedListWriter}), Thymeleaf rendering
 * this small page was the largest part of a cache miss, about a quarter of its CPU (JFR of the cache-off page,
 * bench/README.md "Later the same evening"): some sixty elements, fragments and OGNL expressions for a page whose
 * shape hardly changes. The templates stay the description of the markup and render every other variant (a
 * signed-in viewer without script, a form with an error, a notice after posting); {@code SharedPageWriterTest}
 * renders a wide set of pages both ways in every language and requires identical bytes.
 */
final class SharedPageWriter {
    /** What the page shows, as ThreadPages' model has it for the shared page. */
    record Shown(Site site, CommentThread thread, Sort sort, Map<String, String> sortUrls, String pageUrl,
                 String standaloneUrl, List<ThreadPages.FeedLink> feeds, String postUrl, String overlayUrl,
                 boolean embed, String theme, boolean closed, Locale locale) {
    }

    private static final List<String> SORTS = List.of("oldest", "newest", "best");

    private SharedPageWriter() {
    }

    /** The whole page: the frame written here, the list's bytes in it. */
    static byte[] write(Shown page, Assets assets, byte[] list) {
        StringBuilder out = new StringBuilder(6_000);
        String title = page.thread().title().isEmpty() ? page.thread().key() : page.thread().title();
        if (page.embed()) {
            embedHead(out, page, assets);
        } else {
            standaloneHead(out, page, assets, title);
        }
        discussion(out, page);
        String head = out.toString();
        out.setLength(0);
        out.append('\n');
        if (page.embed()) {
            out.append("    <p class=\"standalone-link\">\n        <a href=\"").append(escape(page.standaloneUrl()))
                    .append("\" target=\"_blank\" rel=\"noopener\">").append(word(page, "thread.standalone"))
                    .append("</a>\n    </p>\n</section>\n</main>\n</body>\n</html>\n");
        } else {
            out.append("    \n</section>\n</main>\n<footer class=\"site-footer\">\n    <p>")
                    .append(word(page, "layout.footer")).append("</p>\n</footer>\n</body>\n</html>\n");
        }
        return Templates.spliced(head, list, out.toString());
    }

    private static void standaloneHead(StringBuilder out, Shown page, Assets assets, String title) {
        out.append("<!DOCTYPE html>\n<html lang=\"").append(escape(page.locale().toLanguageTag()))
                .append("\" dir=\"").append(Languages.direction(page.locale())).append("\">\n");
        meta(out, escape(title + " · " + page.site().displayName()));
        out.append("    <link rel=\"stylesheet\" href=\"").append(escape(assets.url("parley.css"))).append("\">\n")
                .append("    <link rel=\"icon\" type=\"image/svg+xml\" href=\"").append(escape(assets.url("icon.svg")))
                .append("\">\n    ");
        for (ThreadPages.FeedLink feed : page.feeds()) {
            out.append("<link rel=\"alternate\" type=\"").append(escape(feed.type())).append("\" title=\"")
                    .append(escape(feed.title())).append("\" href=\"").append(escape(feed.href())).append("\">");
        }
        out.append("\n    <script src=\"").append(escape(assets.url("thread.js"))).append("\" defer></script>\n")
                .append("</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">").append(word(page, "nav.skip"))
                .append("</a>\n<header class=\"site-header\">\n    <a class=\"brand\" href=\"/\">Parley</a>\n")
                .append("</header>\n<main id=\"main\" class=\"thread-page\">\n    <h1 dir=\"auto\">").append(escape(title))
                .append("</h1>\n    ");
        String url = page.thread().url();
        if (url != null) {
            out.append("<p class=\"thread-source\"><a href=\"").append(escape(url))
                    .append("\" rel=\"nofollow noopener\">").append(escape(url)).append("</a></p>");
        }
        out.append("\n    ");
        closedNotice(out, page);
        out.append("\n    ");
    }

    private static void embedHead(StringBuilder out, Shown page, Assets assets) {
        out.append("<!DOCTYPE html>\n<html lang=\"").append(escape(page.locale().toLanguageTag()))
                .append("\" class=\"in-frame\" dir=\"").append(Languages.direction(page.locale())).append('"');
        if (page.theme() != null) {
            out.append(" data-theme=\"").append(escape(page.theme())).append('"');
        }
        out.append(">\n");
        meta(out, escape(page.thread().title().isEmpty() ? "Comments" : page.thread().title()));
        out.append("    <link rel=\"stylesheet\" href=\"").append(escape(assets.url("parley.css"))).append("\">\n")
                .append("    <link rel=\"icon\" type=\"image/svg+xml\" href=\"").append(escape(assets.url("icon.svg")))
                .append("\"><!-- for the page opened at top level -->\n")
                .append("    <script src=\"").append(escape(assets.url("thread.js"))).append("\" defer></script>\n")
                .append("    <script src=\"").append(escape(assets.url("embed-frame.js"))).append("\" defer></script>\n")
                .append("</head>\n<body>\n<main id=\"main\" class=\"thread-embed\">\n    ");
        closedNotice(out, page);
        out.append("\n    ");
    }

    private static void meta(StringBuilder out, String title) {
        out.append("<head>\n    <meta charset=\"utf-8\">\n")
                .append("    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("    <meta name=\"color-scheme\" content=\"light dark\">\n    <title>").append(title)
                .append("</title>\n");
    }

    private static void closedNotice(StringBuilder out, Shown page) {
        if (page.closed()) {
            out.append("<p class=\"closed\">")
                    .append(word(page, page.thread().locked() ? "thread.locked" : "thread.closed")).append("</p>");
        }
    }

    /** thread/discussion.html's discussion fragment, up to where the list goes. */
    private static void discussion(StringBuilder out, Shown page) {
        CommentThread thread = page.thread();
        out.append("<section class=\"discussion\" aria-labelledby=\"discussion-heading\" data-overlay=\"")
                .append(escape(page.overlayUrl())).append("\" data-live=\"/live/").append(thread.id()).append("?v=")
                .append(thread.version()).append("\" data-label=\"").append(word(page, "form.reply"))
                .append("\" data-cancel=\"").append(word(page, "form.cancel")).append("\">\n")
                .append("    <header class=\"discussion-header\">\n        \n        ");
        String count = escape(BundleMessageResolver.message(page.locale(), "thread.comments", thread.commentCount()));
        if (page.embed()) {
            out.append("<h1 id=\"discussion-heading\">").append(count).append("</h1>");
        }
        out.append("\n        ");
        if (!page.embed()) {
            out.append("<h2 id=\"discussion-heading\">").append(count).append("</h2>");
        }
        String sortLabel = word(page, "thread.sort");
        out.append("\n        <nav class=\"sort\" aria-label=\"").append(sortLabel).append("\">\n            <span>")
                .append(sortLabel).append("</span>\n            ");
        for (String s : SORTS) {
            out.append("<a href=\"").append(escape(page.sortUrls().get(s))).append('"');
            if (page.sort().urlValue().equals(s)) {
                out.append("\n               aria-current=\"true\" class=\"current\"");
            }
            out.append('>').append(word(page, "thread.sort." + s)).append("</a>");
        }
        out.append("\n        </nav>\n        \n        <span class=\"live\" role=\"status\"><button type=\"button\"")
                .append(" class=\"live-new link-button\" hidden");
        for (String form : List.of("zero", "one", "two", "few", "many", "other")) {
            String text = BundleMessageResolver.message(page.locale(), "live.new." + form);
            if (text != null) {
                out.append(" data-").append(form).append("=\"").append(escape(text)).append('"');
            }
        }
        out.append(" data-changed=\"").append(word(page, "live.changed")).append("\"></button></span>\n")
                .append("    </header>\n\n    \n\n    \n    \n\n    ");
        if (!page.closed()) {
            commentForm(out, page);
        }
        out.append("\n\n    \n    ");
    }

    /** The guest's comment form (discussion.html's commentForm with no viewer, no token, no values). */
    private static void commentForm(StringBuilder out, Shown page) {
        boolean guests = page.site().guestsAllowed();
        out.append("<form class=\"comment-form\" method=\"post\" action=\"").append(escape(page.postUrl()))
                .append("\">\n    \n    <input type=\"hidden\" name=\"parent\" value=\"\">\n    \n    ");
        if (guests) {
            out.append("\n        <div class=\"field\">\n            <label for=\"name\">").append(word(page, "form.name"))
                    .append("</label>\n            <input id=\"name\" name=\"name\" maxlength=\"100\"")
                    .append(" autocomplete=\"name\" value=\"\">\n        </div>\n        <div class=\"field\">\n")
                    .append("            <label for=\"email\">").append(word(page, "form.email"))
                    .append("</label>\n            <input id=\"email\" name=\"email\" type=\"email\" maxlength=\"254\"")
                    .append(" autocomplete=\"email\" value=\"\">\n        </div>\n    ");
        }
        out.append("\n    ");
        if (guests) {
            out.append("\n        <div class=\"field\">\n            <label for=\"body\">").append(word(page, "form.body"))
                    .append("</label>\n            <textarea id=\"body\" name=\"body\" rows=\"4\" required\n")
                    .append("                      aria-describedby=\"body-hint\"></textarea>\n")
                    .append("            <p id=\"body-hint\" class=\"hint\">").append(word(page, "form.body.hint"))
                    .append("</p>\n        </div>\n        <div class=\"field field-check\">\n")
                    .append("            <input type=\"checkbox\" name=\"notify\" value=\"on\" id=\"notify\">\n")
                    .append("            <label for=\"notify\">").append(word(page, "form.notify.guest"))
                    .append("</label>\n        </div>\n        \n        \n        <button type=\"submit\">")
                    .append(word(page, "form.post")).append("</button>\n    ");
        }
        String back = escape(UriEscape.escapeUriQueryParam(page.pageUrl()));
        out.append("\n    <p class=\"account-links\">\n        <a href=\"/signin?return=").append(back).append("\">")
                .append(word(page, "account.signin")).append("</a>\n        <a href=\"/signup?return=").append(back)
                .append("\">").append(word(page, "account.signup")).append("</a>\n    </p>\n    ");
        if (!guests) {
            out.append("<p>").append(word(page, "form.guestsNotAllowed")).append("</p>");
        }
        out.append("\n</form>");
    }

    private static String word(Shown page, String key) {
        return escape(BundleMessageResolver.required(page.locale(), key));
    }

    /** Thymeleaf's own escaping (th:text and attribute values), so the bytes match the template's. */
    private static String escape(String text) {
        return HtmlEscape.escapeHtml4Xml(text);
    }
}
