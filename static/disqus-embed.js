/*
 * Disqus's universal embed code, answered by Parley: a host page keeps its
 *   <div id="disqus_thread"></div>
 *   <script>var disqus_config = function () { this.page.url = …; this.page.identifier = …; }; (… s.src = …)</script>
 * and changes only the script's address to https://PARLEY/disqus/SITE/embed.js. This reads disqus_config as
 * Disqus does (page.url, page.identifier, page.title, page.remote_auth_s3 for single sign-on, callbacks.onReady and
 * callbacks.onNewComment), puts Parley's embed element in #disqus_thread and loads Parley's embed.js, which does
 * the rest. DISQUS.reset({reload: true, config: function () { … }}) shows another page's thread (single-page apps).
 * A migration aid: Parley's own embed (README) is the documented way. See docs/disqus.md.
 */
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script) { return; }
    var source = new URL(script.src);
    var parley = source.origin;
    var site = decodeURIComponent(source.pathname.split('/')[2] || '');
    var shown = null;

    /* What disqus_config sets, called as Disqus calls it: with `this` holding page, callbacks, sso and language. */
    function readConfig(configure) {
        var config = { page: {}, callbacks: { onReady: [], onNewComment: [] }, sso: {}, language: undefined };
        if (typeof configure === 'function') {
            try { configure.call(config); } catch (e) { console.error('disqus_config failed:', e); }
        }
        return config;
    }

    function call(hooks, argument) {
        (Array.isArray(hooks) ? hooks : [hooks]).forEach(function (hook) {
            if (typeof hook === 'function') { hook(argument); }
        });
    }

    function show(config) {
        var target = document.getElementById('disqus_thread');
        if (!target) { return; }
        if (shown && shown.parentNode) { shown.parentNode.removeChild(shown); }
        var url = config.page.url || window.location.href.split('#')[0];
        var element = document.createElement('div');
        element.setAttribute('data-parley-thread', '');
        element.setAttribute('data-site', site);
        // as Disqus keys a thread: its identifier, or else its page's address
        element.setAttribute('data-key', config.page.identifier ? String(config.page.identifier) : url);
        element.setAttribute('data-url', url);
        if (config.page.title) { element.setAttribute('data-title', config.page.title); }
        if (config.page.remote_auth_s3) { element.setAttribute('data-sso', config.page.remote_auth_s3); }
        element.addEventListener('parley:ready', function () { call(config.callbacks.onReady); });
        element.addEventListener('parley:comment', function (event) { call(config.callbacks.onNewComment, event.detail); });
        target.appendChild(element);
        shown = element;
        if (window.parley && window.parley.mount) {
            window.parley.mount(element);
        } else if (!document.querySelector('script[data-parley-embed]')) {
            var embed = document.createElement('script');
            embed.src = parley + '/embed.js';
            embed.async = true;
            embed.setAttribute('data-parley-embed', '');
            (document.head || document.body).appendChild(embed);
        }
    }

    window.DISQUS = window.DISQUS || {};
    window.DISQUS.reset = function (options) {
        options = options || {};
        if (typeof options.config === 'function') { window.disqus_config = options.config; }
        show(readConfig(window.disqus_config));
    };
    show(readConfig(window.disqus_config));
})();
