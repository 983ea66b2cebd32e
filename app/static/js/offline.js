// A task form being filled where the connection drops (home visits): what is typed is kept on this device,
// encrypted with a key the browser will not hand out (AES-GCM, non-extractable, in IndexedDB), and sent as a
// draft when the connection returns; the page says when it is offline. Nothing is kept once it is sent, and
// signing out clears the site's storage (Clear-Site-Data), so nothing of a case stays behind.
(function () {
  'use strict';
  // Every signed-in page (base.html) loads this file: it registers the service worker, which shows a page saying so
  // when a page cannot be reached (app/pages/offline.py), and records the page's language on the device for that
  // page. The worker's address never changes (a language switch installs nothing); that page is in all three
  // languages and shows the recorded one; its «Повторить» asks for the page again.
  var worker = document.body.dataset.serviceWorker;
  if (worker) {
    try { localStorage.setItem('qamqor-lang', document.documentElement.lang); } catch (e) { /* storage refused */ }
    if ('serviceWorker' in navigator) { navigator.serviceWorker.register(worker).catch(function () {}); }
  }
  if (document.body.hasAttribute('data-offline-page')) {
    var lang = null;
    try { lang = localStorage.getItem('qamqor-lang'); } catch (e) { /* storage refused: the default language */ }
    var chosen = /^[a-z]{2}$/.test(lang || '') && document.querySelector('[data-offline-lang="' + lang + '"]');
    if (chosen) {
      document.querySelectorAll('[data-offline-lang]').forEach(function (block) { block.hidden = block !== chosen; });
      document.documentElement.lang = lang;
      document.title = chosen.dataset.title;
    }
    document.querySelectorAll('[data-retry]').forEach(function (retry) {
      retry.addEventListener('click', function (event) { event.preventDefault(); location.reload(); });
    });
    return;
  }
  var form = document.querySelector('form.task-form[data-draft-key]');
  var status = document.getElementById('offline-status');
  if (!form || !status || !window.indexedDB || !window.crypto || !crypto.subtle) { return; }
  var key = form.dataset.draftKey;

  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open('qamqor-drafts', 1);
      req.onupgradeneeded = function () { req.result.createObjectStore('keys'); req.result.createObjectStore('drafts'); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function op(store, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(store, mode), req = fn(tx.objectStore(store));
        tx.oncomplete = function () { resolve(req && req.result); d.close(); };
        tx.onerror = function () { reject(tx.error); d.close(); };
      });
    });
  }
  function cryptoKey() {
    return op('keys', 'readonly', function (s) { return s.get('draft'); }).then(function (found) {
      if (found) { return found; }
      return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
        .then(function (k) { return op('keys', 'readwrite', function (s) { return s.put(k, 'draft'); }).then(function () { return k; }); });
    });
  }
  function entries() {
    return Array.from(new FormData(form)).filter(function (e) { return e[0] !== 'csrf_token' && typeof e[1] === 'string'; });
  }
  function keep() {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(entries()));
    return cryptoKey().then(function (k) { return crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv }, k, plain); })
      .then(function (sealed) { return op('drafts', 'readwrite', function (s) { return s.put({ iv: iv, sealed: sealed }, key); }); });
  }
  function kept() {
    return op('drafts', 'readonly', function (s) { return s.get(key); }).then(function (row) {
      if (!row) { return null; }
      return cryptoKey().then(function (k) { return crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.iv }, k, row.sealed); })
        .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
    });
  }
  function forget() { return op('drafts', 'readwrite', function (s) { return s.delete(key); }); }
  function say(text) { status.textContent = text; status.hidden = !text; }

  function send() {
    return kept().then(function (saved) {
      if (!saved) { return; }
      var body = new FormData();
      body.append('csrf_token', form.querySelector('input[name=csrf_token]').value);
      saved.forEach(function (e) { if (e[0] !== '__action') { body.append(e[0], e[1]); } });
      body.append('__action', 'save');
      return fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return forget().then(function () { say(status.dataset.sent); form.dataset.draftSent = 'true'; });
      });
    }).catch(function () { if (!navigator.onLine) { say(status.dataset.offline); } });
  }

  var timer = null;
  form.addEventListener('input', function () {
    if (navigator.onLine) { return; }
    clearTimeout(timer);
    // only while still offline: a late keep after the draft was sent would leave it on the device
    timer = setTimeout(function () { if (!navigator.onLine) { keep(); } }, 300);
  });
  form.addEventListener('submit', function (event) {
    clearTimeout(timer);                     // the submit keeps (or sends) it all now
    if (navigator.onLine) { forget(); return; }
    event.preventDefault();                  // the server is out of reach: keep it here, send it later
    keep().then(function () { say(status.dataset.kept); form.dataset.draftKept = 'true'; });
  });
  window.addEventListener('offline', function () { say(status.dataset.offline); });
  window.addEventListener('online', send);
  if (!navigator.onLine) { say(status.dataset.offline); } else { send(); }
})();
