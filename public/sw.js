// Tandem's service worker: repeat visits load the site's code and icons from this device, and a
// page that cannot be reached shows what needs a connection instead of the browser's error.
//
// What it keeps: the hashed files under /pkg/ (a new build has new names, so a kept file is never
// stale) and the icons, cache-first. What it never keeps: pages (they hold personal data and must
// be current), server functions (/api/), the chat socket, exports. Plain JavaScript, no
// framework: it must work before (and without) the WASM.
'use strict';

const STATIC_CACHE = 'tandem-static-v1';
const OFFLINE_CACHE = 'tandem-offline-v1';
const OFFLINE_PAGE = '/offline.html';
const OFFLINE_FILES = [OFFLINE_PAGE, '/offline.css', '/favicon.svg'];
const ICONS = ['/favicon.svg', '/favicon.ico', '/icon-192.png', '/icon-512.png', '/manifest.webmanifest'];
// Old builds' files are never asked for again; keeping the newest few hundred holds two or
// three builds (a build is about 110 files).
const MAX_STATIC = 360;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(OFFLINE_CACHE).then((cache) => cache.addAll(OFFLINE_FILES)).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  const keep = new Set([STATIC_CACHE, OFFLINE_CACHE]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !keep.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && (url.pathname.startsWith('/pkg/') || ICONS.includes(url.pathname));
}

async function trim(cache) {
  const keys = await cache.keys();
  // Keys come back in the order they were stored: the oldest go first.
  for (let i = 0; i < keys.length - MAX_STATIC; i++) await cache.delete(keys[i]);
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    await cache.put(request, response.clone());
    trim(cache);
  }
  return response;
}

async function pageOrOffline(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const offline = await caches.match(OFFLINE_PAGE, { cacheName: OFFLINE_CACHE });
    if (offline) return offline;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (isStatic(url)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === 'navigate') {
    event.respondWith(pageOrOffline(request));
  }
  // Everything else (server functions, the socket, downloads) goes to the network untouched.
});
