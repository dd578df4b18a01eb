/*
 * Parley's embed for host pages:
 *   <div id="parley_thread" data-site="your-site" data-key="post-42"></div>
 *   <script src="https://comments.example.com/embed.js" async></script>
 * Optional: data-url, data-title (default: this page's), data-theme="dark"|"light" (default: the visitor's
 * preference), data-lang="fr" (default: the visitor's browser language, when Parley has it), data-sso (single sign-on: the payload your server signs for the visitor, docs/disqus.md).
 * The thread runs in an iframe on Parley's origin; it reports its height so the frame grows. The element hears
 * 'parley:ready' when the thread is shown and 'parley:comment' (detail: id, text) when the reader posted one.
 */
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script) { return; }
    var parley = new URL(script.src).origin;
    // cold threads: the CDN's loader, filled in by Parley (docs/cdn.md, "Cold threads as static snapshots")
    var snapshots = null;
    var snapshotOrigin = snapshots && new URL(snapshots).origin;

    function mount(container) {
        if (container.getAttribute('data-parley-mounted')) { return; }
        container.setAttribute('data-parley-mounted', 'true');
        var site = container.getAttribute('data-site');
        if (!site) {
            container.textContent = 'Parley: the parley_thread element needs a data-site attribute.';
            return;
        }
        var params = new URLSearchParams();
        params.set('key', container.getAttribute('data-key') || window.location.pathname);
        params.set('url', container.getAttribute('data-url') || window.location.href.split('#')[0]);
        params.set('title', container.getAttribute('data-title') || document.title);
        var theme = container.getAttribute('data-theme');
        if (theme) { params.set('theme', theme); }
        var lang = container.getAttribute('data-lang');
        if (lang) { params.set('lang', lang); }

        var frame = document.createElement('iframe');
        var live = parley + '/embed/' + encodeURIComponent(site) + '?' + params.toString();
        // in the fragment: the frame's script hands it to Parley, and no log, cache or Referer ever carries it
        var sso = container.getAttribute('data-sso');
        if (sso) { live += '#sso=' + encodeURIComponent(sso); }
        frame.src = snapshots && !sso ? snapshots + '#' + new URLSearchParams({ site: site, key: params.get('key'),
            lang: lang || '', theme: theme || '' }) : live;
        frame.title = container.getAttribute('data-frame-title') || 'Comments';
        frame.setAttribute('scrolling', 'no');
        frame.style.width = '100%';
        frame.style.border = '0';
        frame.style.minHeight = '160px';
        frame.style.overflow = 'hidden';
        container.appendChild(frame);

        window.addEventListener('message', function (event) {
            var fromSnapshot = snapshotOrigin && event.origin === snapshotOrigin;
            if ((event.origin !== parley && !fromSnapshot) || event.source !== frame.contentWindow) { return; }
            var data = event.data || {};
            if (data.type === 'parley:snapshot-missing' && fromSnapshot) {
                try { frame.contentWindow.location.replace(live); } catch (e) { frame.src = live; }
            } else if (data.type === 'parley:height' && typeof data.height === 'number') {
                frame.style.height = Math.ceil(data.height) + 'px';
            } else if (data.type === 'parley:ready') {
                container.dispatchEvent(new CustomEvent('parley:ready'));
            } else if (data.type === 'parley:comment' && typeof data.id === 'string') {
                // a comment this reader just posted: for the host page's own scripts (and Disqus's onNewComment)
                container.dispatchEvent(new CustomEvent('parley:comment', {
                    detail: { id: data.id, text: typeof data.text === 'string' ? data.text : '' }
                }));
            }
        });
    }

    // for pages that add or replace the element later (single-page apps, the Disqus shape's DISQUS.reset)
    window.parley = window.parley || {};
    window.parley.mount = mount;

    var containers = document.querySelectorAll('#parley_thread, [data-parley-thread]');
    for (var i = 0; i < containers.length; i++) { mount(containers[i]); }
})();
