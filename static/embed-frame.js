/* Inside the embed iframe: tell the host page how tall the thread is, whenever that changes. The height is
   not a secret, so any host may hear it; the host's embed.js accepts it only from Parley's origin. */
(function () {
    'use strict';
    if (window.parent === window) { return; }
    var last = 0;
    function report() {
        var height = document.documentElement.scrollHeight;
        if (height !== last) {
            last = height;
            window.parent.postMessage({ type: 'parley:height', height: height }, '*');
        }
    }
    if ('ResizeObserver' in window) {
        new ResizeObserver(report).observe(document.body);
    }
    window.addEventListener('load', report);
    report();
})();
