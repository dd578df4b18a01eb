vcl 4.1;
# Varnish 7 in front of Parley (docs/cdn.md, "Edge caching with purge"): keeps guests' thread pages for as long
# as Parley's Surrogate-Control says (a day by default) and forgets a thread's pages when Parley bans its
# surrogate key after a change (PARLEY_EDGE=varnish, PARLEY_EDGE_URL=http://this-varnish:port).
# Everything else — posts, the console, signed-in visitors, the visitor's own overlay — goes straight through.
#
# Filled in by scripts/render-config like nginx.conf and haproxy.cfg:
#   VARNISH_BACKEND_HOST  VARNISH_BACKEND_PORT   where Parley (or the nginx/HAProxy in front of it) listens
#   VARNISH_BACKEND_HOST=127.0.0.1 VARNISH_BACKEND_PORT=8080 scripts/render-config varnish/parley.vcl > /etc/varnish/parley.vcl
#   varnishd -a :6081 -f /etc/varnish/parley.vcl -s malloc,256m

import std;

backend parley {
    .host = "${VARNISH_BACKEND_HOST}";
    .port = "${VARNISH_BACKEND_PORT}";
    .connect_timeout = 3s;
    .first_byte_timeout = 35s;
}

# Who may purge: the machines Parley instances run on. Parley sends its BANs from their own address, so add each
# instance's address (or its network, "10.0.1.0"/24) here when they do not share Varnish's machine. Anyone else
# gets 403: a ban from outside would let a stranger empty the cache and send every guest to Parley.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(403, "Not allowed to ban"));
        }
        # only Parley's own keys: the value goes into a regular expression
        if (req.http.X-Purge-Key !~ "^parley-[ts]-[0-9]+$") {
            return (synth(400, "X-Purge-Key must be parley-t-ID or parley-s-ID"));
        }
        # on the stored object's headers only, so the ban lurker can remove matching objects in the background
        ban("obj.http.Surrogate-Key ~ (^|\s)" + req.http.X-Purge-Key + "(\s|$)");
        return (synth(200, "Banned " + req.http.X-Purge-Key));
    }
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Only the shared thread pages: the standalone page (/t/site/key, its sorts and pages) and the embed
    # (/embed/site?key=…); not their /me overlays, feeds, the console or anything else.
    if (req.url !~ "^/t/[^/?]+/[^/?]+/?(\?.*)?$" && req.url !~ "^/embed/[^/?]+/?(\?.*)?$") {
        return (pass);
    }
    # Tracking cookies (analytics on the host site's domain) mean nothing to Parley: dropped, so they do not
    # split the cache (Parley varies on Cookie).
    if (req.http.Cookie) {
        set req.http.Cookie = regsuball(req.http.Cookie, "(^|;\s*)(_ga[^=]*|_gid|_gat[^=]*|_gcl_[^=]*|_fbp|_fbc|__utm[a-z]+|_hj[^=]*|__cf_bm|_pk_[^=]*|_clck|_clsk)=[^;]*", "");
        set req.http.Cookie = regsub(req.http.Cookie, "^[;\s]+", "");
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    # Parley varies on Accept-Language but answers in one of few languages: the first the browser lists that
    # Parley has, else the site's default. One variant per language instead of one per browser's header. Keep the
    # list equal to web.Languages.SUPPORTED (VclLanguagesTest checks): a language missing here would be served
    # the site's default to everyone who asks for it.
    if (req.http.Accept-Language) {
        set req.http.Accept-Language = regsub(req.http.Accept-Language,
            "(?i)^(?:[^,]*,)*?\s*(en|fr|de|es|ar)(?:-[^,;]*)?\s*(?:;[^,]*)?(?:,.*)?$", "\1");
        set req.http.Accept-Language = std.tolower(req.http.Accept-Language);
        if (req.http.Accept-Language !~ "^(en|fr|de|es|ar)$") {
            unset req.http.Accept-Language;
        }
    }
    # Any Parley cookie (a session, signed in or a guest who has written, the read-your-writes marker, the
    # script marker): the visitor's page may be their own, or must show their latest write. Straight through.
    if (req.http.Cookie) {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    # Parley names the edge's own lifetime in Surrogate-Control (its Cache-Control, with a few seconds' s-maxage,
    # is for nginx and browsers, which are never purged). Without one, Varnish's usual reading of Cache-Control.
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1") + "s", 0s);
        # after a purge the page is gone, not stale; grace only covers Parley being briefly away
        set beresp.grace = 30s;
        unset beresp.http.Surrogate-Control;
    }
    # a response that sets a cookie is somebody's own
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
    }
    return (deliver);
}

sub vcl_deliver {
    # for people and tests: whether this answer came from the cache
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # the keys are for this cache; browsers have no use for them
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
