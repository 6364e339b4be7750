// The back office hears the shop live: the events' stream
// (`GET /api/v1/admin/events/stream`, the session's cookie goes with it)
// counts the orders that arrive, as a badge on "Commandes" (and on "Menu"
// on a phone) until the orders list is seen, tells screen readers
// "Nouvelle commande SR-1042", and beeps if this device asked for it.
//
// The browser reconnects a stream cut by the network by itself, resuming
// after the last event it got (`Last-Event-ID`). A stream the server
// refused (a session that ended, too many streams open) is opened again
// after a wait, and what was missed meanwhile is read from the list.

import { h, mount } from './common.js';
import { addStrings, t } from './i18n.js';
import { adminApi, me } from './admin-core.js';
import { EVENT_TYPES, eventText } from './admin-events.js';

addStrings({
  fr: {
    'live.badge': { one: 'une nouvelle commande', other: '{n} nouvelles commandes' },
    'live.sound': 'Jouer un son à chaque nouvelle commande (sur cet appareil)',
    'live.soundHint': 'Un bip court, pour entendre les commandes quand la page est ouverte dans un coin.',
    'live.arrived': { one: 'Nouvelle commande {numbers} arrivée depuis l’affichage de cette liste.', other: 'Nouvelles commandes arrivées depuis l’affichage de cette liste : {numbers}.' },
    'live.reload': 'Actualiser la liste',
  },
  en: {
    'live.badge': { one: 'one new order', other: '{n} new orders' },
    'live.sound': 'Play a sound for each new order (on this device)',
    'live.soundHint': 'A short beep, to hear orders while the page stays open in a corner.',
    'live.arrived': { one: 'New order {numbers} arrived since this list was shown.', other: 'New orders arrived since this list was shown: {numbers}.' },
    'live.reload': 'Refresh the list',
  },
});

const SOUND_KEY = 'stockroom.orderSound';
const STREAM = '/api/v1/admin/events/stream';
/** The longest wait before opening again a stream the server refused. */
const REOPEN_WAIT_MAX_MS = 60000;
/** Ids remembered to drop an event heard twice (the stream and a catch-up). */
const SEEN_MAX = 500;

let source = null;
let reopenTimer = null;
let reopenWait = 2000;
let lastId = 0;
const seen = new Set();
/** New orders' numbers since the page opened, or since the orders list was last drawn. */
let fresh = [];
/** Numbers arrived while the orders list is on screen. */
let sinceList = [];

/** Opens the stream once someone is signed in; called at every route. */
export function startLive() {
  if (source || reopenTimer || !me()) return;
  open();
}

/** Signed out: no stream, no count. */
export function stopLive() {
  source?.close();
  source = null;
  clearTimeout(reopenTimer);
  reopenTimer = null;
  fresh = [];
  delete document.body.dataset.live;
  drawBadges();
}

function open() {
  reopenTimer = null;
  source = new EventSource(STREAM);
  const catchUp = lastId > 0;
  source.addEventListener('open', () => {
    reopenWait = 2000;
    // Said on the page, for whoever needs to know the shop is heard (a test).
    document.body.dataset.live = 'open';
    if (catchUp) readMissed();
  });
  for (const type of EVENT_TYPES) source.addEventListener(type, (message) => heard(JSON.parse(message.data)));
  source.addEventListener('error', () => {
    // CONNECTING: the browser tries again by itself, resuming after the
    // last id. CLOSED: the server refused the stream; we try again later.
    document.body.dataset.live = 'closed';
    if (source?.readyState !== EventSource.CLOSED) return;
    source = null;
    reopenTimer = setTimeout(() => { if (me()) open(); else reopenTimer = null; }, reopenWait);
    reopenWait = Math.min(reopenWait * 2, REOPEN_WAIT_MAX_MS);
  });
}

/** What a refused stream let pass, read from the list (a new stream starts with the events to come). */
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

function heard(event) {
  if (seen.has(event.id)) return;
  seen.add(event.id);
  if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value);
  lastId = Math.max(lastId, event.id);
  window.dispatchEvent(new CustomEvent('shop-event', { detail: event }));
  if (event.type !== 'order.created') return;
  fresh.push(event.data.number);
  announce(eventText(event, new Map()));
  if (soundOn()) beep();
  if (document.body.dataset.ready === 'commandes') {
    sinceList.push(event.data.number);
    drawArrived();
  }
  drawBadges();
}

/** The badge on "Commandes" and on "Menu", with its words for screen readers. */
function drawBadges() {
  const n = fresh.length;
  const link = document.querySelector('#admin-nav a[href="#/commandes"]');
  for (const host of [link, document.getElementById('menu-toggle')]) {
    if (!host) continue;
    let badge = host.querySelector('.nav-badge');
    if (!n) { badge?.remove(); continue; }
    if (!badge) { badge = h('span', { class: 'nav-badge' }); host.append(badge); }
    mount(badge, h('span', { 'aria-hidden': 'true' }, String(n)), h('span', { class: 'sr-only' }, ` (${t('live.badge', { n })})`));
  }
  document.title = `${n ? `(${n}) ` : ''}${document.title.replace(/^\(\d+\) /, '')}`;
}

function announce(text) {
  let region = document.getElementById('live-announce');
  if (!region) {
    region = h('div', { id: 'live-announce', class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
    document.body.append(region);
  }
  region.textContent = text;
}

/**
 * Called after each view is drawn: the orders list clears the count and
 * gets the sound's switch; the badges are drawn again (a change of
 * language rewrites the menu's words).
 */
export function liveRouted(app, page, arg) {
  startLive();
  if (page === 'commandes' && !arg) {
    fresh = [];
    sinceList = [];
    app.querySelector('h1')?.after(soundSwitch(), h('div', { id: 'orders-arrived' }));
  }
  drawBadges();
}

function drawArrived() {
  const box = document.getElementById('orders-arrived');
  if (!box) return;
  const reload = h('button', { type: 'button', class: 'btn btn-primary btn-small', id: 'orders-reload', onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }, t('live.reload'));
  mount(box, h('div', { class: 'alert alert-ok arrived' },
    h('p', null, t('live.arrived', { n: sinceList.length, numbers: sinceList.join(', ') })), reload));
}

function soundOn() {
  try { return localStorage.getItem(SOUND_KEY) === '1'; } catch { return false; }
}

function soundSwitch() {
  const box = h('input', { type: 'checkbox', id: 'order-sound', checked: soundOn(), 'aria-describedby': 'order-sound-hint' });
  box.addEventListener('change', () => {
    try { localStorage.setItem(SOUND_KEY, box.checked ? '1' : '0'); } catch { /* private mode: this page only */ }
    // The click lets the page play sound; the beep says what will be heard.
    if (box.checked) beep();
  });
  return h('div', { class: 'sound-switch' },
    h('div', { class: 'check' }, box, h('label', { for: 'order-sound' }, t('live.sound'))),
    h('p', { class: 'hint', id: 'order-sound-hint' }, t('live.soundHint')));
}

let audio = null;

/** A short two-note beep made on the spot (Web Audio): no sound file. */
function beep() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  audio = audio || new Context();
  // A page that has been clicked since it opened may play sound.
  if (audio.state === 'suspended') audio.resume().catch(() => {});
  const now = audio.currentTime;
  const tone = audio.createOscillator();
  const volume = audio.createGain();
  tone.type = 'sine';
  tone.frequency.setValueAtTime(880, now);
  tone.frequency.setValueAtTime(1320, now + 0.12);
  volume.gain.setValueAtTime(0.0001, now);
  volume.gain.exponentialRampToValueAtTime(0.25, now + 0.02);
  volume.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
  tone.connect(volume).connect(audio.destination);
  tone.start(now);
  tone.stop(now + 0.32);
  // Counted on the page: a test cannot hear the beep, it can read this.
  document.body.dataset.beeps = String(Number(document.body.dataset.beeps || 0) + 1);
}
