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
})();
