// A drop's page, `/drop/{slug}` (shown at `#/drop/{slug}`): its countdown,
// its articles at the drop's price with the units left, and the buy
// buttons, opened at the start by the server's clock, never the phone's:
// the page measures how far the phone's clock is from the server's
// (`server_time`, halfway through the request) and counts on that.
// A purchase goes through the storefront's cart and checkout, the order
// naming the drop (`"drop": slug`), so the server charges the drop's
// price only while it runs.

import { api, focusHeading, h, moment, money, mount, period, toast } from './common.js';
import { addStrings, t } from './i18n.js';
import { addDropLine } from './shop-cart.js';
import { currentShop } from './shop-identity.js';

/** How often an open drop's units left are read again, in ms. */
const REFRESH_MS = 5000;
/** How soon to ask again when the server says "not yet" at the phone's zero. */
const NOT_YET_RETRY_MS = 250;

/** Milliseconds to add to the phone's clock to read the server's. */
let offsetMs = 0;
const serverNow = () => Date.now() + offsetMs;

/** The timers of the drop on screen, cleared when the view changes. */
let timers = [];
function later(fn, ms) {
  timers.push(setTimeout(fn, Math.max(0, ms)));
}

/** Stops the drop's countdown and refreshes: another view replaces it. */
export function leaveDrop() {
  timers.forEach(clearTimeout);
  timers = [];
}

/** Reads the drop and, from its `server_time`, the phone's offset to the server. */
async function readDrop(slug) {
  const sent = Date.now();
  const answer = await api(`/api/v1/drops/${encodeURIComponent(slug)}`);
  const received = Date.now();
  if (answer.ok) {
    // The server wrote its time between the request and the answer: halfway,
    // give or take the network's asymmetry.
    offsetMs = Date.parse(answer.data.server_time) - (sent + received) / 2;
  }
  return answer;
}

/** `2 j 03 h 12 min 05 s`: a wait, whole seconds rounded up. */
export function waitInWords(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n) => String(n).padStart(2, '0');
  const parts = [];
  if (days) parts.push(`${days}${'\u00a0'}${t('drop.d')}`);
  if (days || hours) parts.push(`${days ? pad(hours) : hours}${'\u00a0'}${t('drop.h')}`);
  if (days || hours || minutes) parts.push(`${days || hours ? pad(minutes) : minutes}${'\u00a0'}min`);
  parts.push(`${days || hours || minutes ? pad(seconds) : seconds}${'\u00a0'}s`);
  return parts.join(' ');
}

/** Where the server's clock stands against the drop's window, and its units. */
function phaseOf(drop) {
  const now = serverNow();
  if (now < Date.parse(drop.starts_at)) return 'upcoming';
  if (now >= Date.parse(drop.ends_at)) return 'ended';
  return drop.lines.length && drop.lines.every((l) => l.remaining <= 0) ? 'sold_out' : 'live';
}

/** `#/drop/{slug}`. */
export async function dropView(app, slug) {
  leaveDrop();
  mount(app, h('p', { class: 'loading' }, t('loading')));
  const answer = await readDrop(slug);
  if (!answer.ok) {
    mount(app, h('h1', null, t('drop.notFound')),
      h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail),
      h('a', { class: 'btn btn-primary', href: '#/' }, t('cart.browse')));
    return;
  }
  draw(app, slug, answer.data);
  focusHeading(app);
}

/** Draws the drop, then keeps it true: the countdown, the opening, the units left, the end. */
function draw(app, slug, drop) {
  leaveDrop();
  const phase = phaseOf(drop);
  const currency = currentShop().currency || 'XOF';
  const status = h('div', { class: `drop-status drop-${phase}`, id: 'drop-status', dataset: { phase } });
  const lines = h('ul', { class: 'drop-lines', id: 'drop-lines' },
    drop.lines.map((line) => lineCard(drop, line, phase, currency)));
  mount(app, h('section', { class: 'drop', dataset: { slug } },
    h('p', { class: 'drop-kicker' }, t('drop.kicker')),
    h('h1', null, drop.name),
    h('p', { class: 'drop-window' }, period(drop.starts_at, drop.ends_at)),
    status,
    drop.max_units_per_customer ? h('p', { class: 'drop-cap' }, t('drop.cap', { n: drop.max_units_per_customer })) : null,
    drop.lines.length ? lines : h('p', { class: 'drop-hidden', id: 'drop-hidden' }, t('drop.hiddenLead')),
    phase === 'ended' ? h('a', { class: 'btn btn-primary', href: '#/' }, t('drop.toShop')) : null));

  if (phase === 'upcoming') {
    const countdown = h('p', { class: 'drop-countdown', id: 'drop-countdown', role: 'timer' });
    mount(status, h('p', { class: 'drop-status-title' }, t('drop.opensIn')), countdown,
      h('p', { class: 'drop-status-note' }, t('drop.opensAt', { at: moment(drop.starts_at) })));
    const tick = () => {
      const left = Date.parse(drop.starts_at) - serverNow();
      if (left <= 0) { opened(app, slug, drop); return; }
      countdown.textContent = waitInWords(left);
      // The next change of the seconds shown, and the start itself exactly.
      later(tick, left % 1000 || 1000);
    };
    tick();
    return;
  }
  if (phase === 'live') {
    const endsIn = h('span', { id: 'drop-ends-in' });
    mount(status, h('p', { class: 'drop-status-title' }, t('drop.live')), h('p', { class: 'drop-status-note' }, endsIn));
    const tick = () => {
      const left = Date.parse(drop.ends_at) - serverNow();
      if (left <= 0) { refresh(app, slug, true); return; }
      endsIn.textContent = t('drop.endsIn', { left: waitInWords(left) });
      later(tick, left % 1000 || 1000);
    };
    tick();
    later(() => refresh(app, slug, false), REFRESH_MS);
    return;
  }
  if (phase === 'sold_out') {
    mount(status, h('p', { class: 'drop-status-title' }, t('drop.soldOut')), h('p', { class: 'drop-status-note' }, t('drop.soldOutLead')));
    later(() => refresh(app, slug, false), REFRESH_MS);
    later(() => refresh(app, slug, true), Date.parse(drop.ends_at) - serverNow());
    return;
  }
  mount(status, h('p', { class: 'drop-status-title' }, t('drop.ended')), h('p', { class: 'drop-status-note' }, t('drop.endedLead')));
}

/**
 * The start by the server's clock: the buttons of the lines shown open at
 * once; the drop is read again for its units left (and, hidden until now,
 * its lines). A server that says "not yet" is asked again shortly, the
 * offset measured afresh.
 */
function opened(app, slug, drop) {
  if (drop.lines.length) draw(app, slug, { ...drop, status: 'live' });
  const ask = async () => {
    const answer = await readDrop(slug);
    if (!answer.ok || document.querySelector('.drop')?.dataset.slug !== slug) return;
    if (answer.data.status === 'upcoming') { later(ask, NOT_YET_RETRY_MS); return; }
    draw(app, slug, answer.data);
  };
  ask();
}

/** Reads the drop again and redraws it, keeping the focus where it was when it can. */
async function refresh(app, slug, always) {
  const answer = await readDrop(slug);
  if (document.querySelector('.drop')?.dataset.slug !== slug) return;
  if (!answer.ok) { later(() => refresh(app, slug, always), REFRESH_MS); return; }
  const focused = document.activeElement?.dataset?.sku;
  draw(app, slug, answer.data);
  if (focused) document.querySelector(`.drop-buy[data-sku="${CSS.escape(focused)}"]`)?.focus();
  if (always) focusHeading(app);
}

function lineCard(drop, line, phase, currency) {
  const open = phase === 'live' && line.remaining > 0;
  const label = [line.size && `${t('cart.size')} ${line.size}`, line.color].filter(Boolean).join(' · ');
  const button = h('button', {
    type: 'button', class: 'btn btn-primary btn-wide drop-buy', dataset: { sku: line.sku },
    disabled: !open, 'aria-label': open ? t('drop.buyItem', { title: line.title, variant: label }) : null,
  }, phase === 'upcoming' ? t('drop.atOpening') : line.remaining > 0 ? t('drop.buy') : t('drop.soldOutButton'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    const result = await addDropLine(drop, line, currency);
    button.disabled = false;
    if (result.ok) location.hash = '#/commande';
    else toast(result.message);
  });
  return h('li', { class: `drop-line${line.remaining > 0 ? '' : ' is-sold-out'}`, dataset: { sku: line.sku } },
    h('div', { class: 'drop-line-media' },
      line.image_url ? h('img', { src: line.image_url, alt: '', width: 400, height: 400, loading: 'lazy' }) : null,
      line.remaining > 0 ? null : h('span', { class: 'badge badge-sold-out' }, t('drop.soldOutButton'))),
    h('div', { class: 'drop-line-body' },
      h('h2', { class: 'card-title' }, line.title),
      h('p', { class: 'muted' }, label),
      h('p', { class: 'price' },
        h('span', { class: 'price-now' }, money(line.price, currency)),
        line.product_price > line.price
          ? [' ', h('span', { class: 'sr-only' }, t('price.instead')), h('s', { class: 'price-old' }, money(line.product_price, currency))]
          : null),
      phase === 'ended' ? null : h('p', { class: 'drop-left', dataset: { left: line.remaining } }, t('drop.left', { n: line.remaining })),
      phase === 'ended' ? null : button));
}

addStrings({
  fr: {
    'drop.kicker': 'Vente flash',
    'drop.notFound': 'Vente introuvable',
    'drop.opensIn': 'Ouverture dans',
    'drop.opensAt': 'Les achats ouvrent le {at}. Restez sur cette page : les boutons s’activent d’eux-mêmes.',
    'drop.live': 'La vente est ouverte !',
    'drop.endsIn': 'Fin dans {left}',
    'drop.soldOut': 'Épuisé',
    'drop.soldOutLead': 'Tous les articles de cette vente sont partis. Merci à toutes et à tous !',
    'drop.ended': 'Cette vente est terminée.',
    'drop.endedLead': 'Merci de votre visite ! Retrouvez les autres articles dans la boutique.',
    'drop.hiddenLead': 'Les articles seront dévoilés à l’ouverture.',
    'drop.cap': { one: 'Limité à 1 article par personne.', other: 'Limité à {n} articles par personne.' },
    'drop.left': { zero: 'Épuisé', one: 'Plus qu’un seul disponible', other: 'Encore {n} disponibles' },
    'drop.buy': 'Acheter',
    'drop.buyItem': 'Acheter : {title} ({variant})',
    'drop.atOpening': 'À l’ouverture',
    'drop.soldOutButton': 'Épuisé',
    'drop.toShop': 'Voir la boutique',
    'drop.otherInCart': 'Votre panier contient déjà des articles de la vente « {name} » : commandez-les ou retirez-les avant d’acheter dans celle-ci.',
    'drop.d': 'j',
    'drop.h': 'h',
  },
  en: {
    'drop.kicker': 'Drop',
    'drop.notFound': 'Drop not found',
    'drop.opensIn': 'Opens in',
    'drop.opensAt': 'Buying opens on {at}. Stay on this page: the buttons switch on by themselves.',
    'drop.live': 'The drop is open!',
    'drop.endsIn': 'Ends in {left}',
    'drop.soldOut': 'Sold out',
    'drop.soldOutLead': 'Every item of this drop is gone. Thank you all!',
    'drop.ended': 'This drop has ended.',
    'drop.endedLead': 'Thanks for coming! Find the other items in the shop.',
    'drop.hiddenLead': 'The items will be revealed at the opening.',
    'drop.cap': { one: 'Limited to 1 item per person.', other: 'Limited to {n} items per person.' },
    'drop.left': { zero: 'Sold out', one: 'Only one left', other: '{n} left' },
    'drop.buy': 'Buy',
    'drop.buyItem': 'Buy: {title} ({variant})',
    'drop.atOpening': 'At the opening',
    'drop.soldOutButton': 'Sold out',
    'drop.toShop': 'Browse the shop',
    'drop.otherInCart': 'Your cart already holds items of the drop “{name}”: order or remove them before buying in this one.',
    'drop.d': 'd',
    'drop.h': 'h',
  },
});
