/*
 * Parley's "recent comments" widget, for a site's own pages (a sidebar, a footer):
 *   <div data-parley-recent data-site="your-site" data-limit="5"></div>
 *   <script src="https://comments.example.com/recent.js" async></script>
 * Each element gets a list of the site's newest comments: an excerpt linking to the comment, its author, its
 * thread linking to the article, and when. One request per element, cacheable for a minute; the text is set as
 * text, never as HTML. parley.recent() fills the elements again.
 */
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script) { return; }
    var parley = new URL(script.src).origin;

    function language() {
        return document.documentElement.lang || navigator.language || 'en';
    }

    function item(comment, lang) {
        var li = document.createElement('li');
        var excerpt = document.createElement('a');
        excerpt.href = comment.permalink;
        excerpt.className = 'parley-recent-excerpt';
        excerpt.textContent = comment.excerpt;
        var by = document.createElement('span');
        by.className = 'parley-recent-by';
        by.textContent = ' — ' + comment.author + ', ';
        var thread = document.createElement('a');
        thread.href = comment.threadUrl;
        thread.textContent = comment.thread;
        var when = document.createElement('time');
        when.dateTime = comment.createdAt;
        when.textContent = ' ' + new Date(comment.createdAt).toLocaleDateString(lang);
        li.append(excerpt, by, thread, when);
        return li;
    }

    function fill(element) {
        var site = element.getAttribute('data-site');
        if (!site) { return; }
        var limit = element.getAttribute('data-limit') || '10';
        fetch(parley + '/recent/' + encodeURIComponent(site) + '?limit=' + encodeURIComponent(limit),
            { credentials: 'omit', headers: { 'Accept': 'application/json' } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (answer) {
                if (!answer) { return; }
                var lang = language();
                var list = document.createElement('ul');
                list.className = 'parley-recent';
                answer.comments.forEach(function (comment) { list.appendChild(item(comment, lang)); });
                element.replaceChildren(list);
            })
            .catch(function () { /* the element keeps what it had */ });
    }

    function recent() {
        document.querySelectorAll('[data-parley-recent]').forEach(fill);
    }

    window.parley = window.parley || {};
    window.parley.recent = recent;
    recent();
})();
