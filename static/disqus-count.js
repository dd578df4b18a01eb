/*
 * Disqus's count script, answered by Parley: a page keeps its
 *   <span class="disqus-comment-count" data-disqus-identifier="…"></span>  (or data-disqus-url)
 *   <a href="https://example.com/post/#disqus_thread">…</a>
 *   <script id="dsq-count-scr" src="https://PARLEY/disqus/SITE/count.js" async></script>
 * and each element gets "N comments" in the site's wording, in the page's language (<html lang>), with the
 * language's plural forms. All of a page's counts come in one request, whatever their number, which browsers and
 * CDNs may cache for a minute. DISQUSWIDGETS.getCount({reset: true}) counts again (single-page apps).
 */
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script) { return; }
    var source = new URL(script.src);
    var parley = source.origin;
    var site = decodeURIComponent(source.pathname.split('/')[2] || '');
    var MAX = 200;

    /* Each element with how to find its thread: its identifier, else its page's address. */
    function collect() {
        var found = [];
        document.querySelectorAll('.disqus-comment-count').forEach(function (element) {
            var identifier = element.getAttribute('data-disqus-identifier');
            var url = element.getAttribute('data-disqus-url');
            if (!identifier && !url && element.href) { url = element.href.split('#')[0]; }
            if (identifier || url) { found.push({ element: element, identifier: identifier, url: url }); }
        });
        document.querySelectorAll('a[href$="#disqus_thread"]').forEach(function (link) {
            if (link.classList.contains('disqus-comment-count')) { return; }
            found.push({ element: link, identifier: link.getAttribute('data-disqus-identifier'),
                url: link.href.split('#')[0] });
        });
        return found;
    }

    function unique(values) {
        return values.filter(function (v, i) { return v && values.indexOf(v) === i; }).sort();
    }

    function language() {
        return document.documentElement.lang || navigator.language || 'en';
    }

    function words(count, wording, lang) {
        if (count === 0) { return wording.zero.replace('{num}', '0'); }
        var form = 'other';
        try { form = new Intl.PluralRules(lang).select(count); } catch (e) { form = count === 1 ? 'one' : 'other'; }
        var number = count.toLocaleString(lang);
        return (form === 'one' && count === 1 ? wording.one : wording.many).replace('{num}', number);
    }

    function getCount() {
        var items = collect();
        if (items.length === 0) { return; }
        var identifiers = unique(items.map(function (i) { return i.identifier; }));
        var urls = unique(items.map(function (i) { return i.identifier ? null : i.url; }));
        var query = new URLSearchParams();
        // sorted and without repeats: the same page asks the same address, which a cache can answer
        identifiers.slice(0, MAX).forEach(function (i) { query.append('identifier', i); });
        urls.slice(0, Math.max(0, MAX - identifiers.length)).forEach(function (u) { query.append('url', u); });
        var lang = language();
        query.set('lang', lang);
        fetch(parley + '/disqus/' + encodeURIComponent(site) + '/counts?' + query.toString(), { credentials: 'omit', headers: { 'Accept': 'application/json' } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (counts) {
                if (!counts) { return; }
                items.forEach(function (item) {
                    var n = item.identifier ? counts.identifiers[item.identifier] : counts.urls[item.url];
                    item.element.textContent = words(typeof n === 'number' ? n : 0, counts.wording, lang);
                });
            })
            .catch(function () { /* the links keep their text */ });
    }

    window.DISQUSWIDGETS = window.DISQUSWIDGETS || {};
    window.DISQUSWIDGETS.getCount = function () { getCount(); };
    getCount();
})();
