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

// Downloads wait while a page of this site starts Python (sw-register.js asks, "hold"): on a first
// visit the install downloads the whole site (about 20 MB) and would take the link and the cores
// from Python's own 6 MB and its start. A hold stops the downloads under way (each is fetched again
// later: the file Python itself just fetched then comes from the browser's cache, revalidated) and
// starts no new one until every page that asked says "resume", or its hold runs out (a page that
// was closed meanwhile says nothing), so a hold can never stop the install for good.
const HOLD_MAX_MS = 60 * 1000;
const holds = new Map(); // the asking page (client id) → the timer that ends its hold
const downloads = new Set(); // an AbortController per download under way
let gate = null; // while held: {promise, open}

function hold(client, ms) {
  clearTimeout(holds.get(client));
  holds.set(client, setTimeout(() => resume(client), Math.min(Number(ms) || 0, HOLD_MAX_MS)));
  if (!gate) {
    let open;
    const promise = new Promise((resolve) => { open = resolve; });
    gate = { promise, open };
  }
  for (const download of downloads) download.abort();
}

function resume(client) {
  clearTimeout(holds.get(client));
  holds.delete(client);
  if (holds.size === 0 && gate) {
    gate.open();
    gate = null;
  }
}

async function precache() {
  const cache = await caches.open(CACHE);
  const queue = Object.keys(PRECACHE.files);
  async function next() {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      while (gate) await gate.promise;
      const key = cacheKey(path);
      if (await cache.match(key)) continue;
      const old = await fromOldCaches(key);
      if (old) {
        await cache.put(key, old);
        continue;
      }
      const download = new AbortController();
      downloads.add(download);
      try {
        // `integrity` refuses a file that is not the one this build listed (a half-finished
        // upload, a proxy's rewrite): the install fails and is tried again on a later visit.
        const response = await fetch(SCOPE + path, {
          cache: "no-cache", integrity: PRECACHE.files[path], signal: download.signal,
        });
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        await cache.put(key, response);
      } catch (e) {
        if (!download.signal.aborted) throw e;
        queue.unshift(path); // held: fetched again once the downloads resume
      } finally {
        downloads.delete(download);
      }
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
  const data = event.data;
  if (data === "version") event.source.postMessage({ version: PRECACHE.version });
  else if (data && data.type === "hold") hold(event.source.id, data.ms);
  else if (data && data.type === "resume") resume(event.source.id);
});
