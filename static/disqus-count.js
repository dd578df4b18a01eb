/*
 * Disqus's count script, answered by Parley: a page keeps its
 *   <span class="disqus-comment-count" data-disqus-identifier="…"></span>  (or data-disqus-url)
 *   <a href="https://example.com/post/#disqus_thread">…</a>
 *   <script id="dsq-count-scr" src="https://PARLEY/disqus/SITE/count.js" async></script>
 * This marks those elements the way Parley's own count script reads them (data-parley-count with data-key for an
 * identifier, data-url for an address) and has /count.js fill them: "N comments" in the site's wording and the
 * page's language, all from one request. DISQUSWIDGETS.getCount({reset: true}) counts again (single-page apps).
 */
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script) { return; }
    var source = new URL(script.src);
    var parley = source.origin;
    var site = decodeURIComponent(source.pathname.split('/')[2] || '');

    function mark(element, identifier, url) {
        element.setAttribute('data-parley-count', '');
        element.setAttribute('data-site', site);
        if (identifier) {
            element.setAttribute('data-key', identifier);
        } else if (url) {
            element.setAttribute('data-url', url);
        }
    }

    function markAll() {
        document.querySelectorAll('.disqus-comment-count').forEach(function (element) {
            var url = element.getAttribute('data-disqus-url') || (element.href ? element.href.split('#')[0] : null);
            mark(element, element.getAttribute('data-disqus-identifier'), url);
        });
        document.querySelectorAll('a[href$="#disqus_thread"]').forEach(function (link) {
            if (!link.classList.contains('disqus-comment-count')) {
                mark(link, link.getAttribute('data-disqus-identifier'), link.href.split('#')[0]);
            }
        });
    }

    function getCount() {
        markAll();
        if (window.parley && window.parley.counts) {
            window.parley.counts();
        } else if (!document.querySelector('script[data-parley-counts]')) {
            var counts = document.createElement('script');
            counts.src = parley + '/count.js';
            counts.async = true;
            counts.setAttribute('data-parley-counts', '');
            (document.head || document.body).appendChild(counts);
        }
    }

    window.DISQUSWIDGETS = window.DISQUSWIDGETS || {};
    window.DISQUSWIDGETS.getCount = function () { getCount(); };
    getCount();
})();
