/* Progressive enhancement of the thread page. Without this file every action still works as a plain link or
   form; with it, Reply opens a form under the comment instead of a new page, Delete asks first, and a signed-in
   viewer's own bits are added to the shared page (the overlay, below; docs/caching.md). */
(function () {
    'use strict';
    // a cold thread's snapshot on the CDN (docs/cdn.md): nothing may ask Parley; snapshot-frame.js does the rest
    var snapshot = document.documentElement.hasAttribute('data-snapshot');

    /* "This browser runs thread.js": with it, the server may send a signed-in viewer the shared page, which this
       script completes; without it (script off), it renders their page for them. An hour, renewed on every page,
       so turning script off costs at most an hour of pages without one's own buttons. */
    if (!snapshot) {
        document.cookie = 'parley_js=1; Path=/; Max-Age=3600; ' +
            (window.isSecureContext ? 'SameSite=None; Secure; Partitioned' : 'SameSite=Lax');
    }

    function depthOf(li) { return parseInt(li.getAttribute('data-depth') || '0', 10); }
    function idOf(li) { return BigInt(li.id.replace('comment-', '')); }
    function scoreOf(li) {
        var score = li.querySelector('.score');
        return score ? parseInt(score.textContent, 10) || 0 : 0;
    }

    /* Does a top-level comment (id, score) come before li in this sort? Ids are 64-bit: BigInt, not Number. */
    function before(item, li, sort) {
        var id = BigInt(item.id);
        if (sort === 'newest') { return id > idOf(li); }
        if (sort === 'best') { return item.score > scoreOf(li) || (item.score === scoreOf(li) && id > idOf(li)); }
        return id < idOf(li);
    }

    function listOf(section) {
        var list = section.querySelector('ol.comments');
        if (list) { return list; }
        list = document.createElement('ol');
        list.className = 'comments';
        var empty = section.querySelector('p.empty');
        if (empty) { empty.replaceWith(list); } else { section.appendChild(list); }
        return list;
    }

    /* A comment as this viewer sees it: replaces the shared one, or (pending, shadowed: nobody else sees it) goes
       where the server would have put it — replies after their older siblings, top-level ones in sort order. */
    function place(section, item, sort, closed) {
        var template = document.createElement('template');
        template.innerHTML = item.html;
        var li = template.content.firstElementChild;
        if (!li) { return; }
        if (closed) { li.querySelectorAll('.reply-link').forEach(function (a) { a.remove(); }); }
        var existing = document.getElementById('comment-' + item.id);
        if (existing) { existing.replaceWith(li); return; }
        var list = listOf(section);
        var next = null;
        if (item.parent) {
            var parent = document.getElementById('comment-' + item.parent);
            if (!parent || parent.parentNode !== list) { return; } // its parent is not on this page
            var depth = depthOf(parent);
            li.setAttribute('data-depth', String(depth + 1)); // a spooled reply's own depth is not known yet
            next = parent.nextElementSibling;
            while (next && depthOf(next) > depth
                   && !(depthOf(next) === depth + 1 && idOf(next) > BigInt(item.id))) {
                next = next.nextElementSibling;
            }
        } else {
            var tops = list.querySelectorAll(':scope > li[data-depth="0"]');
            for (var i = 0; i < tops.length && !next; i++) {
                if (before(item, tops[i], sort)) { next = tops[i]; }
            }
            if (!next && section.querySelector('p.more')) { return; } // it belongs to a later page
        }
        list.insertBefore(li, next);
    }

    function withToken(form, token) {
        var field = form.querySelector('input[name=csrf]');
        if (!field) {
            field = document.createElement('input');
            field.type = 'hidden';
            field.name = 'csrf';
            form.insertBefore(field, form.firstChild);
        }
        field.value = token;
    }

    function applyOverlay(section, data) {
        if (!data || !data.signedIn) { return; }
        var main = section.querySelector(':scope > .comment-form');
        if (main) {
            main.outerHTML = data.signout + data.form;
        } else {
            section.querySelector('.discussion-header').insertAdjacentHTML('afterend', data.signout);
        }
        applyItems(section, data);
        section.setAttribute('data-viewer', 'applied');
        showTarget();
    }

    /* The viewer's own comments of a page (also of one "load more" appended), and their token in every form. */
    function applyItems(section, data) {
        var closed = !!document.querySelector('p.closed');
        data.items.forEach(function (item) {
            place(section, item, data.sort, closed);
            var own = document.getElementById('comment-' + item.id);
            if (own) { own.setAttribute('data-own', ''); } // the viewer's version: live updates leave it be
        });
        section.querySelectorAll('form[method=post]').forEach(function (form) { withToken(form, data.csrf); });
    }

    /* The comment a post or a permalink led to (#comment-…): marked (CSS also has :target, for pages without this
       script), focused so a screen reader reads it, and scrolled to; the page's confirmation ("posted", "held for
       review") moves beside it. A member's own held comment is added by the overlay after the browser looked for
       the fragment, and replaces the shared copy of the viewer's own comments, so this runs again then. */
    var confirmation = null;
    function showTarget() {
        var match = /^#(comment-\d+)$/.exec(location.hash);
        var target = match && document.getElementById(match[1]);
        if (!target || target.classList.contains('targeted')) { return; }
        target.classList.add('targeted');
        confirmation = confirmation || document.querySelector('.discussion > p.notice[role=status]');
        var header = target.querySelector(':scope > article > header');
        if (confirmation && header) { header.after(confirmation); }
        target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: 'start' });
    }

    /* The overlay of one page (url: the page's data-overlay), up to where its "load more" link (more) goes on. */
    function fetchOverlay(url, more) {
        var until = more && new URL(more.href, location.href).searchParams.get('after');
        if (until) { url += '&until=' + encodeURIComponent(until); }
        return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
            .then(function (response) { return response.ok ? response.json() : null; });
    }

    function signedInBrowser() { return /(^|;\s*)parley_member=1(;|$)/.test(document.cookie); }

    /* Only for a signed-in browser (parley_member, set at sign-in): guests' views cost Parley nothing more. */
    function loadOverlay() {
        var section = document.querySelector('.discussion[data-overlay]');
        if (!section) { return; }
        if (!signedInBrowser()) {
            section.setAttribute('data-viewer', 'guest');
            return;
        }
        fetchOverlay(section.getAttribute('data-overlay'), section.querySelector('p.more a'))
            .then(function (data) { applyOverlay(section, data); })
            .catch(function () { /* the shared page still works: forms say to reload if they need a token */ })
            .finally(function () {
                if (!section.hasAttribute('data-viewer')) { section.setAttribute('data-viewer', 'guest'); }
            });
    }

    function inlineReply(link) {
        var comment = link.closest('.comment');
        var main = document.querySelector('.discussion > .comment-form');
        if (!comment || !main) { return false; }
        var open = comment.querySelector(':scope > .comment-form');
        if (open) { open.querySelector('textarea').focus(); return true; }
        var form = main.cloneNode(true);
        var id = comment.id.replace('comment-', '');
        var labels = link.closest('[data-label]') || link;
        form.querySelector('input[name=parent]').value = id;
        var error = form.querySelector('.field-error');
        if (error) { error.remove(); }
        form.querySelectorAll('[id]').forEach(function (el) { el.id = el.id + '-' + id; });
        form.querySelectorAll('label[for]').forEach(function (l) { l.htmlFor = l.htmlFor + '-' + id; });
        form.querySelectorAll('[aria-describedby]').forEach(function (el) {
            el.setAttribute('aria-describedby', el.getAttribute('aria-describedby') + '-' + id);
        });
        var textarea = form.querySelector('textarea');
        textarea.value = '';
        textarea.removeAttribute('aria-invalid');
        var submit = form.querySelector('button[type=submit]');
        if (submit && labels.getAttribute('data-label')) { submit.textContent = labels.getAttribute('data-label'); }
        var cancel = document.createElement('button');
        cancel.type = 'button';
        cancel.className = 'link-button';
        cancel.textContent = labels.getAttribute('data-cancel') || 'Cancel';
        cancel.addEventListener('click', function () { form.remove(); link.focus(); });
        form.appendChild(cancel);
        comment.appendChild(form);
        textarea.focus();
        return true;
    }

    /* "Load more" appends the next page's comments under these, in place: the reader keeps their place (nothing
       above moves, nothing scrolls), focus goes to the first new comment, and the link becomes the next page's
       (or goes). It fetches the next page itself — the shared page, usually cached — and takes its list. Without
       script, or if that fails, it is the plain link to the next page. */
    function loadMore(link) {
        var paragraph = link.closest('p.more');
        var section = link.closest('.discussion');
        var list = section && section.querySelector('ol.comments');
        if (!paragraph || !list) { return false; }
        if (link.getAttribute('aria-busy') === 'true') { return true; }
        link.setAttribute('aria-busy', 'true');
        fetch(link.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
            .then(function (response) {
                if (!response.ok) { throw new Error('HTTP ' + response.status + ' for ' + link.href); }
                return response.text();
            })
            .then(function (html) {
                var next = new DOMParser().parseFromString(html, 'text/html').querySelector('.discussion');
                if (!next) { throw new Error('no discussion at ' + link.href); }
                var first = null;
                next.querySelectorAll('ol.comments > li').forEach(function (li) {
                    if (document.getElementById(li.id)) { return; } // here already (the viewer's own, placed early)
                    var added = document.importNode(li, true);
                    list.appendChild(added);
                    first = first || added;
                });
                var nextMore = next.querySelector('p.more');
                if (nextMore) { paragraph.replaceWith(document.importNode(nextMore, true)); } else { paragraph.remove(); }
                var target = first || section.querySelector('p.more a');
                if (target) {
                    if (target === first) { first.tabIndex = -1; }
                    target.focus({ preventScroll: true });
                }
                if (signedInBrowser() && next.getAttribute('data-overlay')) {
                    fetchOverlay(next.getAttribute('data-overlay'), section.querySelector('p.more a'))
                        .then(function (data) { if (data && data.signedIn) { applyItems(section, data); } })
                        .catch(function () { /* the comments are there; only the viewer's own marks are missing */ });
                }
            })
            .catch(function () { window.location.href = link.href; });
        return true;
    }

    document.addEventListener('click', function (event) {
        if (snapshot) { return; } // plain links: a fetch from the CDN's origin would be refused
        var link = event.target.closest('a.reply-link');
        if (link && inlineReply(link)) { event.preventDefault(); return; }
        var more = event.target.closest('p.more a');
        var plainClick = event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
        if (more && plainClick && loadMore(more)) { event.preventDefault(); }
    });

    document.addEventListener('submit', function (event) {
        var form = event.target;
        var question = form.getAttribute('data-confirm');
        if (question && !window.confirm(question)) { event.preventDefault(); return; }
        if (form.classList.contains('comment-form')) { rememberGuest(form); }
    });

    // A guest's name and email are kept in this browser only (never on the server) and filled in next time.
    var GUEST = 'parley:guest';

    function rememberGuest(form) {
        var name = form.querySelector('input[name=name]');
        var email = form.querySelector('input[name=email]');
        if (!name) { return; }
        try {
            window.localStorage.setItem(GUEST, JSON.stringify({ name: name.value, email: email ? email.value : '' }));
        } catch (e) { /* storage off or full: nothing to remember */ }
    }

    function prefillGuest() {
        var saved;
        try { saved = JSON.parse(window.localStorage.getItem(GUEST) || 'null'); } catch (e) { saved = null; }
        if (!saved) { return; }
        document.querySelectorAll('.comment-form').forEach(function (form) {
            var name = form.querySelector('input[name=name]');
            var email = form.querySelector('input[name=email]');
            if (name && !name.value && typeof saved.name === 'string') { name.value = saved.name; }
            if (email && !email.value && typeof saved.email === 'string') { email.value = saved.email; }
        });
    }


    /* Live updates (docs/live.md). The page's data-live is a Server-Sent Events stream that names the thread's new
       version whenever it changes; then the page itself is fetched again (the shared page, cached per version) and
       compared with what is shown. New, edited and removed comments are not put in under the reader's eyes: a
       quiet "2 new comments — show" in the header's row waits for a click. Without EventSource, or when the
       instance has no room for another stream ("full"), the page is checked every 30 s instead. */
    var POLL_MS = 30000;

    /* What a reader would call a change: the text, an "edited" mark, a removal (not votes, not forms opened). */
    function bodyOf(li) {
        var body = li.querySelector(':scope > article > .comment-body');
        return (li.classList.contains('removed') ? 'removed|' : '|') + (body ? body.innerHTML : '')
            + (li.querySelector(':scope > article .edited') ? '|edited' : '');
    }

    function startLive(section) {
        var stream = section.getAttribute('data-live');
        var button = section.querySelector('.live-new');
        if (!stream || !button) { return; }
        var version = Number(new URL(stream, location.href).searchParams.get('v')) || 0;
        var fresh = null;
        var pending = null;
        var poller = null;

        function pageUrl() {
            var url = new URL(location.href);
            url.hash = '';
            url.searchParams.delete('posted');
            return url.toString();
        }

        function check() {
            fetch(pageUrl(), { credentials: 'same-origin', cache: 'no-cache', headers: { 'Accept': 'text/html' } })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) { if (html) { compare(html); } })
                .catch(function () { /* the next change or poll tries again */ });
        }

        /* "3 new comments — show" in the page's language: its plural category picks the wording (Arabic has six) */
        function offerOf(count) {
            var category = 'other';
            try { category = new Intl.PluralRules(document.documentElement.lang || 'en').select(count); } catch (e) { /* old browser */ }
            var wording = button.getAttribute('data-' + category) || button.getAttribute('data-other');
            return wording.replace('{0}', new Intl.NumberFormat(document.documentElement.lang || 'en').format(count));
        }

        function compare(html) {
            var doc = new DOMParser().parseFromString(html, 'text/html');
            var next = doc.querySelector('section.discussion');
            if (!next) { return; }
            var added = 0;
            var changed = 0;
            next.querySelectorAll('ol.comments > li').forEach(function (li) {
                var shown = document.getElementById(li.id);
                if (!shown) { added++; } else if (!shown.hasAttribute('data-own') && bodyOf(shown) !== bodyOf(li)) { changed++; }
            });
            // without "load more" the fetched page is the whole thread: a comment missing from it was removed
            if (!next.querySelector('p.more')) {
                section.querySelectorAll('ol.comments > li').forEach(function (li) {
                    if (!next.querySelector('#' + li.id) && !li.hasAttribute('data-own')) { changed++; }
                });
            }
            if (!added && !changed) { return; }
            fresh = next;
            button.textContent = added ? offerOf(added) : button.getAttribute('data-changed');
            button.hidden = false;
        }

        /* The reader asked: the new comments go where the server puts them, changed ones are replaced. */
        function apply() {
            if (!fresh) { return; }
            var sort = (new URL(location.href).searchParams.get('sort')) || 'oldest';
            var closed = !!document.querySelector('p.closed');
            var ids = {};
            var parents = [];
            fresh.querySelectorAll('ol.comments > li').forEach(function (li) {
                ids[li.id] = true;
                var depth = depthOf(li);
                parents[depth] = li.id.replace('comment-', '');
                var item = { id: li.id.replace('comment-', ''), html: li.outerHTML,
                             parent: depth > 0 ? parents[depth - 1] : null, score: scoreOf(li) };
                var shown = document.getElementById(li.id);
                if (!shown || !shown.hasAttribute('data-own') && bodyOf(shown) !== bodyOf(li)) {
                    place(section, item, sort, closed);
                }
            });
            if (!fresh.querySelector('p.more')) {
                section.querySelectorAll('ol.comments > li').forEach(function (li) {
                    if (!ids[li.id] && !li.hasAttribute('data-own')) { li.remove(); }
                });
            }
            var heading = fresh.querySelector('#discussion-heading');
            if (heading) { section.querySelector('#discussion-heading').textContent = heading.textContent; }
            var empty = section.querySelector('p.empty');
            if (empty && section.querySelector('ol.comments > li')) { empty.remove(); }
            fresh = null;
            button.hidden = true;
            if (section.getAttribute('data-viewer') === 'applied') { // the viewer's own buttons on what came in
                fetchOverlay(section.getAttribute('data-overlay'), section.querySelector('p.more a'))
                    .then(function (data) { if (data && data.signedIn) { applyItems(section, data); } })
                    .catch(function () { /* the comments are there; only the viewer's own marks are missing */ });
            }
        }

        button.addEventListener('click', apply);

        function poll() {
            if (!poller) { poller = window.setInterval(check, POLL_MS); }
        }

        if (!window.EventSource) { poll(); return; }
        var events = null;
        var full = false;
        function connect() {
            if (events || full || document.hidden) { return; }
            events = new EventSource(stream);
            events.addEventListener('version', function (event) {
                var seen = JSON.parse(event.data).version;
                if (seen <= version) { return; }
                version = seen;
                window.clearTimeout(pending);
                pending = window.setTimeout(check, 150); // a burst of writes is one fetch
            });
            events.addEventListener('full', function () { full = true; disconnect(); poll(); });
        }
        function disconnect() {
            if (events) { events.close(); events = null; }
        }
        /* Only a page someone can see keeps its stream: browsers allow six connections to one host over HTTP/1.1,
           and a reader with many threads open in background tabs must not use them all up. Back in view, the stream
           opens again with the page's version, and the server at once names anything newer. */
        document.addEventListener('visibilitychange', function () {
            if (document.hidden) { disconnect(); } else { connect(); }
        });
        // and closed before the page goes (a reload, a sign-in), so no stream outlives its page
        window.addEventListener('pagehide', disconnect);
        // opened once the page has loaded: a stream is never part of loading the page
        if (document.readyState === 'complete') { connect(); } else { window.addEventListener('load', connect); }
    }

    /* Comment times as "3 hours ago" in the page's language, the exact time in the reader's own zone on hover.
       The server writes the exact UTC time (pages are shared and cached: a relative time written there would be
       wrong by the time a cache serves it), and this keeps them current: every minute, and when comments arrive. */
    function relativeTimes() {
        var lang = document.documentElement.lang || 'en';
        var words, exact;
        try {
            words = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
            exact = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
        } catch (e) { return; } // an old browser keeps the exact times
        var steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];
        document.querySelectorAll('section.discussion time').forEach(function (el) {
            // the page writes the time once, as the text "2026-11-25 10:00:07Z" (a valid HTML date): kept here
            if (!el.hasAttribute('datetime')) { el.setAttribute('datetime', el.textContent.trim().replace(' ', 'T')); }
            var when = new Date(el.getAttribute('datetime'));
            if (isNaN(when)) { return; }
            var amount = Math.min(0, (when.getTime() - Date.now()) / 1000);
            var unit = 'second';
            for (var i = 0; i < steps.length; i++) {
                unit = steps[i][1];
                if (Math.abs(amount) < steps[i][0]) { break; }
                amount = amount / steps[i][0];
            }
            // within the minute reads "now", not "45 seconds ago": the other units count whole minutes too
            var text = unit === 'second' ? words.format(0, 'second') : words.format(Math.trunc(amount), unit);
            // only when it changed: the change itself is a mutation the observer below would answer again
            if (el.textContent !== text) { el.textContent = text; }
            if (el.title !== exact.format(when)) { el.title = exact.format(when); }
        });
    }

    function ready() {
        relativeTimes();
        setInterval(relativeTimes, 60000);
        document.querySelectorAll('section.discussion').forEach(function (section) {
            var pending = false;
            new MutationObserver(function () {
                if (pending) { return; }
                pending = true;
                setTimeout(function () { pending = false; relativeTimes(); }, 50);
            }).observe(section, { childList: true, subtree: true });
        });
        showTarget();
        prefillGuest();
        if (snapshot) { return; }
        loadOverlay();
        document.querySelectorAll('section.discussion[data-live]').forEach(startLive);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', ready);
    } else {
        ready();
    }
})();
