/* Keyboard moderation: j/k move between comments, a/d/s/r act on the focused one (the same buttons a mouse
   clicks), x selects it for the "with the selected" buttons, u undoes the last action, ? shows the shortcuts. Keys are ignored while typing in a field. */
(function () {
    'use strict';
    var items = Array.prototype.slice.call(document.querySelectorAll('.queue-item'));
    var current = -1;

    function focus(index) {
        if (items.length === 0) { return; }
        current = Math.max(0, Math.min(items.length - 1, index));
        items.forEach(function (el) { el.classList.remove('focused'); });
        items[current].classList.add('focused');
        items[current].focus();
    }

    function press(scope, key) {
        var button = scope && scope.querySelector('button[data-key="' + key + '"]');
        if (button) { button.click(); }
    }

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
                press(items[current], event.key);
                break;
            case 'x':
                if (current < 0) { focus(0); }
                var box = items[current] && items[current].querySelector('input.select');
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

    // after an action the page comes back at the acted-on comment: keep working from there
    var target = window.location.hash && document.querySelector(window.location.hash);
    focus(target ? items.indexOf(target.closest('.queue-item')) : 0);
})();
