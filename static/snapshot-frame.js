/* In a cold thread's snapshot, served by the CDN (docs/cdn.md, "Cold threads as static snapshots"): a page for
   reading, whose links already go to Parley (its <base>). A form sent from the CDN's origin is one Parley
   refuses, so the moment the reader focuses a field or a vote button, the frame moves to the live page of the
   thread (data-live-url, only ever on the <base>'s origin), before anything is typed. The host's forced theme
   comes in the fragment, from embed.js through the loader. */
(function () {
    'use strict';
    var root = document.documentElement;
    var forced = /[#&]theme=(dark|light)(?:&|$)/.exec(window.location.hash);
    if (forced) { root.setAttribute('data-theme', forced[1]); }
    var live = new URL(root.getAttribute('data-live-url') || '', document.baseURI);
    if (live.origin !== new URL(document.baseURI).origin) { return; }
    function goLive(event) {
        if (!event.target.closest || !event.target.closest('form')) { return; }
        event.preventDefault();
        window.location.href = live.href + (forced ? '&theme=' + forced[1] : '')
            + (event.type === 'focusin' ? '#body' : '');
    }
    document.addEventListener('focusin', goLive, true);
    document.addEventListener('submit', goLive, true);
})();
