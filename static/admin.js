/* The moderation queue, enhanced: actions without a page reload, times in the reader's own zone, and keys —
   j/k move between comments, a/d/s/r act on the focused one (the same buttons a mouse clicks), x selects it for
   the "with the selected" buttons, u undoes the last action, ? shows the shortcuts (ignored while typing).
   Without script every button is a plain form post that comes back to the queue; with it, the same post is sent
   in the background and the parts of the page it changed (tabs and counts, the notice with its undo, the list,
   the selection bar) are swapped in from the page the server answers with. */
(function () {
    'use strict';
    var current = -1;

    function items() {
        return Array.prototype.slice.call(document.querySelectorAll('.queue-item'));
    }

    function focus(index) {
        var all = items();
        if (all.length === 0) { current = -1; return; }
        current = Math.max(0, Math.min(all.length - 1, index));
        all.forEach(function (el) { el.classList.remove('focused'); });
        all[current].classList.add('focused');
        all[current].focus();
    }

    function press(scope, key) {
        var button = scope && scope.querySelector('button[data-key="' + key + '"]');
        if (button) { button.click(); }
    }

    function localTimes(root) {
        root.querySelectorAll('time[datetime]').forEach(function (el) {
            var when = new Date(el.getAttribute('datetime'));
            if (!isNaN(when)) { el.title = when.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }); }
        });
    }

    /* Replaces the tabs (their counts) and the queue's view (notices, selection bar, list) with the server's new
       page, keeping the boxes the moderator had ticked. */
    function swapFrom(page) {
        var ticked = {};
        document.querySelectorAll('input.select:checked').forEach(function (box) { ticked[box.id] = true; });
        ['.tabs', '#queue-view'].forEach(function (selector) {
            var now = document.querySelector(selector);
            var next = page.querySelector(selector);
            if (now && next) { now.replaceWith(next); }
        });
        Object.keys(ticked).forEach(function (id) {
            var box = document.getElementById(id);
            if (box) { box.checked = true; }
        });
        localTimes(document);
    }

    /* Sends a console form in the background; anything but a page back (an error, a refusal) falls back to the
       plain post, so the moderator sees the server's own message. */
    function send(form, submitter) {
        var position = current;
        var body = new URLSearchParams(new FormData(form, submitter));
        form.classList.add('sending');
        var item = form.closest('.queue-item');
        if (item) { item.classList.add('leaving'); }
        fetch(form.getAttribute('action'), { method: 'POST', body: body, credentials: 'same-origin', redirect: 'follow' })
            .then(function (response) {
                if (!response.ok || !response.redirected) { throw new Error('status ' + response.status); }
                return response.text().then(function (html) {
                    swapFrom(new DOMParser().parseFromString(html, 'text/html'));
                    history.replaceState(null, '', response.url.replace(/#.*$/, ''));
                    focus(position < 0 ? 0 : position);
                });
            })
            .catch(function () {
                if (item) { item.classList.remove('leaving'); }
                if (submitter && submitter.name) {
                    var hidden = document.createElement('input');
                    hidden.type = 'hidden';
                    hidden.name = submitter.name;
                    hidden.value = submitter.value;
                    form.appendChild(hidden);
                }
                HTMLFormElement.prototype.submit.call(form);
            });
    }

    document.addEventListener('submit', function (event) {
        var form = event.target;
        if (!form.closest('#main') || (form.getAttribute('method') || '').toLowerCase() !== 'post') { return; }
        if (!(form.matches('.queue-actions form, .undo, #selection'))) { return; }
        event.preventDefault();
        var item = form.closest('.queue-item');
        if (item) { current = items().indexOf(item); }
        send(form, event.submitter);
    });

    document.addEventListener('keydown', function (event) {
        var tag = event.target.tagName;
        if (event.ctrlKey || event.metaKey || event.altKey || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') {
            return;
        }
        switch (event.key) {
            case 'j': focus(current + 1); break;
            case 'k': focus(current - 1); break;
            case 'a': case 'd': case 's': case 'r':
                if (current < 0) { focus(0); }
                press(items()[current], event.key);
                break;
            case 'x':
                if (current < 0) { focus(0); }
                var box = items()[current] && items()[current].querySelector('input.select');
                if (box) { box.checked = !box.checked; }
                break;
            case 'u':
                press(document.getElementById('result'), 'u');
                press(document.getElementById('bulk-result'), 'u');
                break;
            case '?':
                var help = document.getElementById('keys-help');
                help.hidden = !help.hidden;
                break;
            default: return;
        }
        event.preventDefault();
    });

    localTimes(document);
    // after a plain post the page comes back at the acted-on comment: keep working from there
    var target = window.location.hash && document.querySelector(window.location.hash);
    focus(target ? items().indexOf(target.closest('.queue-item')) : 0);
})();
