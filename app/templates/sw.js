// Qamqor's service worker (app/pages/offline.py says why). It keeps static files and one generic offline page;
// pages and API answers are never stored: a navigation goes to the network first and gets the offline page only
// when the network fails; everything else it does not touch.
'use strict';
var CACHE = {{ cache|tojson }};
var OFFLINE = {{ offline|tojson }};
var STATIC = {{ assets|tojson }};

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE)
    .then(function (cache) { return cache.addAll(STATIC.concat([OFFLINE])); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  // a deploy (or a language switch) names a new cache: the old one goes
  event.waitUntil(caches.keys()
    .then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
    })
    .then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE, { cacheName: CACHE }).then(function (page) { return page || Response.error(); });
    }));
    return;
  }
  var url = new URL(request.url);
  if (request.method === 'GET' && url.origin === self.location.origin && STATIC.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request, { cacheName: CACHE }).then(function (hit) { return hit || fetch(request); }));
  }
});
