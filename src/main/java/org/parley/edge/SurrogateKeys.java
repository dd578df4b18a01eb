package org.parley.edge;

import java.util.List;

/**
 * The names an edge files a guest's thread page under: its thread and its site. A purge names the thread; the site
 * key lets an operator empty one site's pages by hand (a settings change shows on every page of a site). Prefixed,
 * because one edge often fronts several applications whose keys share one namespace.
 */
public final class SurrogateKeys {
    private SurrogateKeys() {
    }

    public static String thread(long threadId) {
        return "parley-t-" + threadId;
    }

    public static String site(long siteId) {
        return "parley-s-" + siteId;
    }

    public static List<String> of(long threadId, long siteId) {
        return List.of(thread(threadId), site(siteId));
    }
}
