// Template of the site's service worker: scripts/post-build.mjs writes
// dist/sw.js as `const VERSION = ...; const FILES = [...];` + the code below
// (these leading comment lines are dropped).
//
// - install: precaches every file of the build in one cache named after this
//   deployment's scope and the build's VERSION; a file that cannot be fetched
//   (a half-uploaded deploy) fails the install and the old version stays;
// - a new version waits until the page posts 'folio:skip-waiting' (the
//   user clicked "Reload"), so no page ever mixes two builds;
// - activate: deletes the caches of older versions of this deployment only
//   (other apps, or other Folio sites, may share the origin);
// - fetch: precached files come from the cache (navigations to the site's
//   page, whatever their query string, get index.html); a sharded pack's
//   shards (shards/<hash>.bin, not precached: a large corpus is fetched by
//   query) come from the shard cache when there, else from the network: the
//   page puts there the shards it uses and, on "Make available offline",
//   all of them (src/browser/shards.rs); its entries are named by the hash
//   of their bytes, so every deployment shares it; anything else goes to
//   the network untouched.
/* global VERSION, FILES */
'use strict';

const SCOPE = self.registration.scope;
const PREFIX = `folio:${SCOPE}:`;
const CACHE = PREFIX + VERSION;
const INDEX = new URL('index.html', SCOPE).href;
const PRECACHED = new Set(FILES.map((file) => new URL(file, SCOPE).href));
const SHARDS = PREFIX + 'shards';
const SHARD_PREFIX = new URL('shards/', SCOPE).href;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // 'reload': straight from the host, never a stale HTTP-cached copy.
    await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: 'reload' })));
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'folio:skip-waiting') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE && name !== SHARDS) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  let key = url.href;
  if (request.mode === 'navigate' && key === SCOPE) key = INDEX;
  if (key.startsWith(SHARD_PREFIX)) {
    event.respondWith((async () => (await caches.match(key, { cacheName: SHARDS })) ?? fetch(request))());
    return;
  }
  if (!PRECACHED.has(key)) return;
  event.respondWith((async () => {
    const cached = await caches.match(key, { cacheName: CACHE });
    return cached ?? fetch(request);
  })());
});
