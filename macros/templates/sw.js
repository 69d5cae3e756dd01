// Offline copy of this site: a service worker, written into site/sw.js by the build
// (macros/offline.py), which puts above this text the list of every file of the site with its
// sha256. A new build changes that list, so the browser sees a new sw.js, installs it, copies
// unchanged files from the old cache, downloads only what changed (checked by hash), and then
// drops the old cache: returning users get the update on their next page, never stale copies.
// It only ever requests this site's own files, and leaves every other request alone.
"use strict";
/* global PRECACHE */
const CACHE_PREFIX = "anquan-site-";
const CACHE = CACHE_PREFIX + PRECACHE.version;
const SCOPE = new URL("./", self.location).href;
const PARALLEL = 4;  // old phones on a slow link: a few downloads at a time

function cacheKey(path) {
  return SCOPE + path + "?sc-hash=" + encodeURIComponent(PRECACHE.files[path]);
}

// The file that answers a URL of this site: "staff/" → "staff/index.html".
function pathFor(url) {
  if (!url.startsWith(SCOPE)) return null;
  let path = decodeURI(url.slice(SCOPE.length).split(/[?#]/)[0]);
  if (path === "" || path.endsWith("/")) path += "index.html";
  return path in PRECACHE.files ? path : null;
}

async function fromOldCaches(key) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(CACHE_PREFIX) || name === CACHE) continue;
    const hit = await (await caches.open(name)).match(key);
    if (hit) return hit;
  }
  return null;
}

async function precache() {
  const cache = await caches.open(CACHE);
  const queue = Object.keys(PRECACHE.files);
  async function next() {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const key = cacheKey(path);
      if (await cache.match(key)) continue;
      let response = await fromOldCaches(key);
      if (!response) {
        // `integrity` refuses a file that is not the one this build listed (a half-finished
        // upload, a proxy's rewrite): the install fails and is tried again on a later visit.
        response = await fetch(SCOPE + path, { cache: "no-cache", integrity: PRECACHE.files[path] });
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
      }
      await cache.put(key, response);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, next));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const path = pathFor(request.url);
  if (path === null && request.mode === "navigate" && pathFor(request.url.split(/[?#]/)[0] + "/")) {
    // "…/staff" → "…/staff/", as the web server would answer, so relative links keep working.
    event.respondWith(Response.redirect(request.url.split(/[?#]/)[0] + "/", 301));
    return;
  }
  if (path === null) {
    // An unknown page of this site while offline: the site's own "not found" page.
    if (request.mode === "navigate" && request.url.startsWith(SCOPE)) {
      event.respondWith(fetch(request).catch(() => caches.match(cacheKey("404.html"))));
    }
    return;
  }
  event.respondWith((async () => {
    const hit = await caches.match(cacheKey(path), { cacheName: CACHE });
    return hit || fetch(request);
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "version") event.source.postMessage({ version: PRECACHE.version });
});
