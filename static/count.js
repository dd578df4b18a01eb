/*
 * Parley's comment counts, for article lists:
 *   <a href="/posts/42/#comments" data-parley-count data-key="post-42">Comments</a>
 *   <span data-parley-count data-url="https://blog.example.com/posts/43/"></span>
 *   <script src="https://comments.example.com/count.js" data-site="your-site" async></script>
 * Each element gets "N comments" in the site's wording and the page's language (<html lang>), with the language's
 * plural forms. data-key names the thread as the embed does; data-url, for a thread keyed by its page's address;
 * data-site on an element overrides the script's. A page's counts come in one request per site (up to 200 threads;
 * more take one request per 200), which browsers and CDNs may cache for a minute. parley.counts() counts again
 * after the page changed its list (single-page apps). See docs/disqus.md for Disqus's count links.
 */
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script) { return; }
    var parley = new URL(script.src).origin;
    var defaultSite = script.getAttribute('data-site');
    var MAX = 200;

    function language() {
        return document.documentElement.lang || navigator.language || 'en';
    }

    function words(count, wording, lang) {
        if (count === 0) { return wording.zero.replace('{num}', '0'); }
        var form = 'other';
        try { form = new Intl.PluralRules(lang).select(count); } catch (e) { form = count === 1 ? 'one' : 'other'; }
        return (form === 'one' && count === 1 ? wording.one : wording.many).replace('{num}', count.toLocaleString(lang));
    }

    /* What each element asks for: "key\n…" or "url\n…", by site. */
    function collect() {
        var bySite = {};
        document.querySelectorAll('[data-parley-count]').forEach(function (element) {
            var site = element.getAttribute('data-site') || defaultSite;
            var key = element.getAttribute('data-key');
            var url = element.getAttribute('data-url');
            var asked = key ? 'key\n' + key : url ? 'url\n' + url : null;
            if (!site || !asked) { return; }
            (bySite[site] = bySite[site] || []).push({ element: element, asked: asked });
        });
        return bySite;
    }

    function counts() {
        var bySite = collect();
        var lang = language();
        Object.keys(bySite).forEach(function (site) {
            var items = bySite[site];
            var asked = items.map(function (i) { return i.asked; })
                .filter(function (a, i, all) { return all.indexOf(a) === i; }).sort();
            for (var from = 0; from < asked.length; from += MAX) {
                ask(site, asked.slice(from, from + MAX), items, lang);
            }
        });
    }

    function ask(site, batch, items, lang) {
        var query = new URLSearchParams();
        // sorted and without repeats: the same page asks the same address, which a cache can answer
        batch.forEach(function (asked) {
            var parts = asked.split('\n');
            query.append(parts[0], parts[1]);
        });
        query.set('lang', lang);
        fetch(parley + '/counts/' + encodeURIComponent(site) + '?' + query.toString(),
            { credentials: 'omit', headers: { 'Accept': 'application/json' } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (answer) {
                if (!answer) { return; }
                items.forEach(function (item) {
                    if (batch.indexOf(item.asked) < 0) { return; }
                    var parts = item.asked.split('\n');
                    var n = (parts[0] === 'key' ? answer.keys : answer.urls)[parts[1]];
                    item.element.textContent = words(typeof n === 'number' ? n : 0, answer.wording, lang);
                });
            })
            .catch(function () { /* the elements keep their text */ });
    }

    window.parley = window.parley || {};
    window.parley.counts = counts;
    counts();
})();
