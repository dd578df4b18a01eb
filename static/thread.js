/* Progressive enhancement of the thread page. Without this file every action still works as a plain link or
   form; with it, Reply opens a form under the comment instead of a new page, and Delete asks first. */
(function () {
    'use strict';

    function inlineReply(link) {
        var comment = link.closest('.comment');
        var main = document.querySelector('.discussion > .comment-form');
        if (!comment || !main) { return false; }
        var open = comment.querySelector(':scope > .comment-form');
        if (open) { open.querySelector('textarea').focus(); return true; }
        var form = main.cloneNode(true);
        var id = link.getAttribute('data-comment');
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
        if (submit && link.getAttribute('data-label')) { submit.textContent = link.getAttribute('data-label'); }
        var cancel = document.createElement('button');
        cancel.type = 'button';
        cancel.className = 'link-button';
        cancel.textContent = link.getAttribute('data-cancel') || 'Cancel';
        cancel.addEventListener('click', function () { form.remove(); link.focus(); });
        form.appendChild(cancel);
        comment.appendChild(form);
        textarea.focus();
        return true;
    }

    document.addEventListener('click', function (event) {
        var link = event.target.closest('a.reply-link');
        if (link && inlineReply(link)) { event.preventDefault(); }
    });

    document.addEventListener('submit', function (event) {
        var form = event.target;
        var question = form.getAttribute('data-confirm');
        if (question && !window.confirm(question)) { event.preventDefault(); }
    });
})();
