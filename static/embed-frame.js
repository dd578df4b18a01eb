/* Inside the embed iframe: tell the host page how tall the page's content is, whenever that changes, so the
   frame grows and shrinks with it. The content's own height, not documentElement.scrollHeight: inside a frame
   that is never less than the frame itself, so once grown the frame could never shrink again (a closed reply
   form, a short sign-in page after a long thread would leave a blank gap). The root element's box is as tall as
   what it holds (nothing stretches it to the viewport), margins of the body included. The height is not a
   secret, so any host may hear it; the host's embed.js accepts it only from Parley's origin and its own frame. */
(function () {
    'use strict';
    if (window.parent === window) { return; }
    var last = -1;
    function contentHeight() {
        return Math.ceil(document.documentElement.getBoundingClientRect().height);
    }
    function report() {
        var height = contentHeight();
        if (height !== last) {
            last = height;
            window.parent.postMessage({ type: 'parley:height', height: height }, '*');
        }
    }
    if ('ResizeObserver' in window) {
        var observer = new ResizeObserver(report);
        observer.observe(document.documentElement);
        observer.observe(document.body);
    }
    window.addEventListener('load', report);
    report();

    /* The host page hears that the thread is shown, and of a comment this reader just posted (the page after a post
       carries ?posted= and the comment's anchor): embed.js turns these into events on the embed element. */
    window.addEventListener('load', function () {
        window.parent.postMessage({ type: 'parley:ready' }, '*');
        var posted = /[?&]posted=/.test(window.location.search) && /^#comment-(\d+)$/.exec(window.location.hash);
        if (posted) {
            var body = document.querySelector('#comment-' + posted[1] + ' .comment-body');
            window.parent.postMessage({ type: 'parley:comment', id: posted[1], text: body ? body.textContent.trim() : '' }, '*');
        }
    });

    /* Single sign-on: the host page's payload arrives in this frame's fragment (embed.js, data-sso). Parley checks
       it and signs this browser in as the host's user, or out; when that changed, the page is loaded again to show
       the signed-in form. The host's own sign-in and sign-out addresses are linked above the discussion. */
    var site = window.location.pathname.split('/')[2];
    var remembered = 'parley-sso-links:' + site;

    /* The host's sign-in or sign-out link above the discussion, as this browser is signed in or not. */
    function showHostLinks(links, signedIn) {
        var href = signedIn ? links.logoutUrl : links.loginUrl;
        var discussion = document.querySelector('.discussion');
        if (!href || !discussion || discussion.querySelector('.sso-links')) { return; }
        var line = document.createElement('p');
        line.className = 'sso-links';
        var link = document.createElement('a');
        link.href = href;
        link.target = '_top';
        link.textContent = signedIn ? 'Sign out' : 'Sign in to comment';
        line.appendChild(link);
        discussion.insertBefore(line, discussion.firstChild);
    }

    var sso = /[#&]sso=([^&]*)/.exec(window.location.hash);
    if (!sso) {
        // a later page of this frame (after a post, a sort): the links the payload's answer gave, kept for the tab
        try {
            var kept = JSON.parse(window.sessionStorage.getItem(remembered) || 'null');
            if (kept) { showHostLinks(kept, /(^|;\s*)parley_member=1(;|$)/.test(document.cookie)); }
        } catch (e) { /* storage refused: no links */ }
        return;
    }
    fetch('/embed/' + site + '/sso', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' },
        body: 'payload=' + encodeURIComponent(decodeURIComponent(sso[1]))
    }).then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
            if (!answer) { return; }
            try {
                window.sessionStorage.setItem(remembered,
                    JSON.stringify({ loginUrl: answer.loginUrl, logoutUrl: answer.logoutUrl }));
            } catch (e) { /* storage refused: links on this page only */ }
            if (answer.changed) { window.location.reload(); return; }
            showHostLinks(answer, answer.signedIn);
        })
        .catch(function () { /* the thread works for guests without it */ });
})();
