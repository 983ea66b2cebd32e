/* The forms editor's words: the server lays out every Russian word of the form in the text box with its
   Kazakh and English twins (POST /modeler/forms/words); what the owner types is written back into that
   JSON under "x-i18n" (the format in forms/README.md), and the text box's own "input" event lets the
   editor keep it for deploy. The language picker's button draws the form in one language (POST /modeler/forms/preview/<lang>). */
(function () {
  'use strict';
  var panel = document.getElementById('form-words');
  var text = document.getElementById('form-text');
  var root = document.getElementById('modeler');
  if (!panel || !text || !root) { return; }
  var csrf = root.dataset.csrf;

  function post(url) {
    var body = new URLSearchParams();
    body.set('schema', text.value);
    body.set('csrf_token', csrf);
    return fetch(url, { method: 'POST', credentials: 'same-origin', body: body, headers: { 'X-CSRFToken': csrf } })
      .then(function (r) { return r.text(); });
  }

  function show() {
    return post(panel.dataset.url).then(function (html) {
      panel.innerHTML = html;
      if (text.readOnly) { panel.querySelectorAll('input').forEach(function (i) { i.readOnly = true; }); }
    });
  }

  function unescapePart(p) { return p.replace(/~1/g, '/').replace(/~0/g, '~'); }

  function nodeAt(doc, pointer) {
    var node = doc;
    pointer.split('/').slice(1).forEach(function (p) {
      p = unescapePart(p);
      node = node == null ? node : node[Array.isArray(node) ? Number(p) : p];
    });
    return node;
  }

  function write(input) {
    var doc;
    try { doc = JSON.parse(text.value); } catch (e) { return; }   // the words table was drawn from valid JSON
    var node = nodeAt(doc, input.dataset.pointer);
    if (!node || typeof node !== 'object') { return; }
    var lang = input.dataset.lang, key = input.dataset.key, value = input.value.trim();
    var i18n = node['x-i18n'] = (node['x-i18n'] && typeof node['x-i18n'] === 'object') ? node['x-i18n'] : {};
    var words = i18n[lang] = (i18n[lang] && typeof i18n[lang] === 'object') ? i18n[lang] : {};
    if (input.dataset.index !== '') {
      var russian = node.enumNames || node['x-enumNames'] || [];
      var list = Array.isArray(words[key]) ? words[key] : [];
      while (list.length < russian.length) { list.push(''); }
      list[Number(input.dataset.index)] = value;
      words[key] = list;
    } else if (value) {
      words[key] = value;
    } else {
      delete words[key];
    }
    if (!Object.keys(words).length) { delete i18n[lang]; }
    if (!Object.keys(i18n).length) { delete node['x-i18n']; }
    text.value = JSON.stringify(doc, null, 2);
    text.dispatchEvent(new Event('input', { bubbles: true }));
    input.classList.toggle('missing', !value);
  }

  panel.addEventListener('change', function (ev) {
    if (ev.target.matches('input[data-pointer]')) { write(ev.target); }
  });
  document.getElementById('form-words-show').addEventListener('click', show);
  document.getElementById('form-preview-lang').addEventListener('click', function () {
    post(document.getElementById('preview-lang').value)
      .then(function (html) { document.getElementById('preview').innerHTML = html; });
  });
})();
