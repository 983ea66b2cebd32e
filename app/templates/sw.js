// Qamqor's service worker (app/pages/offline.py says why). It keeps static files and one generic offline page;
// pages and API answers are never stored. Everything it touches goes to the network first: a navigation gets the
// offline page, a static file its kept copy, only when the network fails. It neither skips waiting nor claims open
// pages: a new version (a deploy) takes over once no page uses the old one, and the old one answers consistently
// from its own cache until then, so no worker is swapped under a navigation in flight.
'use strict';
var CACHE = {{ cache|tojson }};
var OFFLINE = {{ offline|tojson }};
var STATIC = {{ assets|tojson }};

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(STATIC.concat([OFFLINE])); }));
});

self.addEventListener('activate', function (event) {
  // a deploy names a new cache: the old ones go
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }));
});

function kept(request) {
  return caches.match(request, { cacheName: CACHE }).then(function (hit) { return hit || Response.error(); });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(function () { return kept(OFFLINE); }));
    return;
  }
  var url = new URL(request.url);
  if (request.method === 'GET' && url.origin === self.location.origin && STATIC.indexOf(url.pathname) >= 0) {
    event.respondWith(fetch(request).catch(function () { return kept(request); }));
  }
});
