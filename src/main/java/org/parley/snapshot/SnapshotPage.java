package org.parley.snapshot;

import org.unbescape.html.HtmlEscape;

/**
 * Turns a guest's embed page, as this instance sent it, into its snapshot. Six changes, nothing else:
 * <ul>
 *   <li>a {@code <base>} naming Parley's public URL, so every link and form — a sort, "load more", a reply — goes
 *       to the live thread on Parley, not to the CDN that serves the snapshot;</li>
 *   <li>{@code data-snapshot} on the root element, which tells thread.js not to open the signed-in overlay or the
 *       live-update stream (both would ask Parley);</li>
 *   <li>static/snapshot-frame.js, which moves the frame to the live page as soon as the reader starts to write or
 *       vote: a form sent from the CDN's origin is one Parley rightly refuses;</li>
 *   <li>{@code data-live-url}: that live page;</li>
 *   <li>no {@code Referer} from it: the live page it leads to judges the page framing it by the Referer
 *       (discussion.EmbedFraming), and the snapshot's address would be taken for a host page the site never
 *       allowed. Without one, the browser still holds the frame to the site's own origins (frame-ancestors);</li>
 *   <li>Parley's own avatars ({@code /avatar/…}) linked on the CDN, where the publisher has put them.</li>
 * </ul>
 */
final class SnapshotPage {
    private SnapshotPage() {
    }

    /** @throws IllegalArgumentException when the page is not one of Parley's (no html or head element) */
    /** Parley's own avatars in a page ({@code <img src="/avatar/NAME">}): the snapshot links them on the CDN. */
    static final java.util.regex.Pattern LOCAL_AVATAR =
            java.util.regex.Pattern.compile("src=\"/avatar/([A-Za-z0-9._-]{1,100})\"");

    /**
     * @param avatars where the page's own avatars are on the CDN (ending in "/"): a {@code <base>} would send the
     *                browser to Parley for each
     */
    static String of(String page, String publicUrl, String liveUrl, String frameScript, String avatars) {
        int html = page.indexOf("<html ");
        int head = page.indexOf("<head>");
        if (html < 0 || head < html) {
            throw new IllegalArgumentException("not a Parley page: no <html …> and <head>");
        }
        int headEnd = head + "<head>".length();
        return page.substring(0, html + "<html ".length())
                + "data-snapshot data-live-url=\"" + HtmlEscape.escapeHtml4Xml(liveUrl) + "\" "
                + page.substring(html + "<html ".length(), headEnd)
                + "<base href=\"" + HtmlEscape.escapeHtml4Xml(publicUrl) + "\"><meta name=\"referrer\" content=\"no-referrer\">"
                + "<script src=\"" + HtmlEscape.escapeHtml4Xml(frameScript) + "\" defer></script>"
                + LOCAL_AVATAR.matcher(page.substring(headEnd))
                        .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                                "src=\"" + HtmlEscape.escapeHtml4Xml(avatars) + m.group(1) + "\""));
    }
}
