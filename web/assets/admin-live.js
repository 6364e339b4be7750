// The back office hears the shop live (admin-live-stream.js): the orders
// that arrive are counted as a badge on "Commandes" (and on "Menu" on a
// phone) until the orders list is seen, told to screen readers ("Nouvelle
// commande SR-1042"), and beeped if this device asked for it. Every event
// is passed on to the page as a `shop-event` (the journal shows them).

import { h, mount } from './common.js';
import { addStrings, t } from './i18n.js';
import { eventText } from './admin-events.js';
import { closeStream, onShopEvent, openStream } from './admin-live-stream.js';

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

/** New orders' numbers since the page opened, or since the orders list was last drawn. */
let fresh = [];
/** Numbers arrived while the orders list is on screen. */
let sinceList = [];

/** Signed out: no stream, no count. */
export function stopLive() {
  closeStream();
  fresh = [];
  drawBadges();
}

onShopEvent(heard);

function heard(event) {
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
  openStream();
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
