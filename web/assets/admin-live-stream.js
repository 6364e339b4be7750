// The events' stream (`GET /api/v1/admin/events/stream`, the session's
// cookie goes with it), one per browser: the back office open in several
// tabs holds one stream, in the tab that got the lock, and passes each
// event to the others on a channel. A browser allows few connections to
// one site over HTTP/1.1 (six in Chromium); a stream per tab would soon
// leave none for the pages. Without the locks API (plain http on the
// shop's network is no secure context), each tab holds its own.
//
// The browser reconnects a stream cut by the network by itself, resuming
// after the last event it got (`Last-Event-ID`). A stream the server
// refused (a session that ended, too many streams open) is opened again
// after a wait; a new stream starts with the events to come, so what was
// missed meanwhile is read from the list.

import { adminApi, me } from './admin-core.js';
import { EVENT_TYPES } from './admin-events.js';

const STREAM = '/api/v1/admin/events/stream';
const LOCK = 'stockroom-events';
/** The first wait before opening again a stream the server refused, and the longest. */
const REOPEN_WAIT_FIRST_MS = 2000;
const REOPEN_WAIT_MAX_MS = 60000;
/** Ids remembered to drop an event heard twice (the stream, a catch-up, another tab). */
const SEEN_MAX = 500;

let started = false;
let holding = false;
let releaseLock = null;
let source = null;
let reopenTimer = null;
let reopenWait = REOPEN_WAIT_FIRST_MS;
let lastId = 0;
const seen = new Set();
let listener = () => {};
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(LOCK) : null;
channel?.addEventListener('message', (message) => deliver(message.data));

/** `fn(event)` is called once per event, whichever tab heard it. */
export function onShopEvent(fn) {
  listener = fn;
}

/** Hears the shop once someone is signed in; called at every route. */
export function openStream() {
  if (started || !me()) return;
  started = true;
  if (!navigator.locks || !channel) { connect(); return; }
  // Said on the page, for whoever needs to know how the shop is heard (a test).
  document.body.dataset.live = 'shared';
  navigator.locks.request(LOCK, () => {
    if (!started || holding) return undefined;
    holding = true;
    connect();
    return new Promise((release) => {
      releaseLock = () => { holding = false; release(); };
    });
  });
}

/** Signed out, or the page left: the stream goes, and the lock with it. */
export function closeStream() {
  started = false;
  source?.close();
  source = null;
  clearTimeout(reopenTimer);
  reopenTimer = null;
  releaseLock?.();
  releaseLock = null;
  delete document.body.dataset.live;
}

// A page left lets its stream go at once; back from the back-forward
// cache, it hears the shop again.
window.addEventListener('pagehide', closeStream);
window.addEventListener('pageshow', (event) => { if (event.persisted) openStream(); });

function connect() {
  reopenTimer = null;
  source = new EventSource(STREAM);
  const catchUp = lastId > 0;
  source.addEventListener('open', () => {
    reopenWait = REOPEN_WAIT_FIRST_MS;
    document.body.dataset.live = 'open';
    if (catchUp) readMissed();
  });
  for (const type of EVENT_TYPES) source.addEventListener(type, (message) => heard(JSON.parse(message.data)));
  source.addEventListener('error', () => {
    // CONNECTING: the browser tries again by itself. CLOSED: the server
    // refused the stream; it is opened again later.
    document.body.dataset.live = 'closed';
    if (source?.readyState !== EventSource.CLOSED) return;
    source = null;
    reopenTimer = setTimeout(() => { if (started && me()) connect(); }, reopenWait);
    reopenWait = Math.min(reopenWait * 2, REOPEN_WAIT_MAX_MS);
  });
}

/** What the stream let pass while it was closed, read from the list. */
async function readMissed() {
  let after = lastId;
  for (;;) {
    const answer = await adminApi(`/api/v1/admin/events?after=${after}&limit=500`);
    if (!answer.ok || !answer.data.events.length) return;
    answer.data.events.forEach(heard);
    if (answer.data.events.length < 500) return;
    after = answer.data.next_after;
  }
}

/** An event this tab heard: passed to the other tabs, then delivered here. */
function heard(event) {
  channel?.postMessage(event);
  deliver(event);
}

function deliver(event) {
  if (!started || seen.has(event.id)) return;
  seen.add(event.id);
  if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value);
  lastId = Math.max(lastId, event.id);
  listener(event);
}
