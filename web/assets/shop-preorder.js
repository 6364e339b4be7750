// Preorders on the storefront: a size at 0 whose preorders are open with
// places left is offered as "Précommander (livraison avant le …)"; its
// line goes to the cart marked as a preorder and is sent with
// `"preorder": true`; an order shows what restocks gave each such line.

import { h } from './common.js';
import { addStrings, lang, t } from './i18n.js';

addStrings({
  fr: {
    'preorder.button': 'Précommander (livraison avant le {date})',
    'preorder.hint': { one: 'Taille épuisée : précommandez-la, elle vous sera livrée avant le {date}. Plus qu’une place.', other: 'Taille épuisée : précommandez-la, elle vous sera livrée avant le {date}. Encore {n} places.' },
    'preorder.sizeLabel': 'en précommande',
    'preorder.card': 'En précommande',
    'preorder.added': 'Précommande ajoutée au panier : {title} (taille {size}) × {n}',
    'preorder.badge': 'Précommande',
    'preorder.shipsBy': 'livraison avant le {date}',
    'preorder.noPlace': { zero: 'Il ne reste plus de place en précommande pour la taille {size}.', one: 'Il ne reste qu’une place en précommande pour la taille {size}.', other: 'Il ne reste que {n} places en précommande pour la taille {size}.' },
    'preorder.bothWays': 'La taille {size} est déjà dans votre panier autrement : retirez-la du panier avant de l’ajouter ainsi.',
    'preorder.waiting': 'précommande, en attente de l’arrivage',
    'preorder.part': { one: 'précommande : {n} article sur {of} arrivé', other: 'précommande : {n} articles sur {of} arrivés' },
    'preorder.arrived': 'précommande arrivée',
  },
  en: {
    'preorder.button': 'Preorder (delivered by {date})',
    'preorder.hint': { one: 'Sold out: preorder it, it will be delivered by {date}. One place left.', other: 'Sold out: preorder it, it will be delivered by {date}. {n} places left.' },
    'preorder.sizeLabel': 'to preorder',
    'preorder.card': 'To preorder',
    'preorder.added': 'Preorder added to your cart: {title} (size {size}) × {n}',
    'preorder.badge': 'Preorder',
    'preorder.shipsBy': 'delivered by {date}',
    'preorder.noPlace': { zero: 'No preorder place is left for size {size}.', one: 'Only one preorder place is left for size {size}.', other: 'Only {n} preorder places are left for size {size}.' },
    'preorder.bothWays': 'Size {size} is already in your cart the other way: remove it from the cart before adding it this way.',
    'preorder.waiting': 'preorder, waiting for the delivery',
    'preorder.part': { one: 'preorder: {n} of {of} item arrived', other: 'preorder: {n} of {of} items arrived' },
    'preorder.arrived': 'preorder arrived',
  },
});

/** Whether `v` is at 0 and may be preordered now. */
export function preorderable(v) {
  return v.available <= 0 && Boolean(v.preorder && v.preorder.enabled && v.preorder.places_left > 0);
}

/** "24 décembre" from `2026-12-24`; with its year when it is not this one. */
export function shipsBy(date) {
  if (!date) return '';
  const day = new Date(`${date}T00:00:00Z`);
  const thisYear = day.getUTCFullYear() === new Date().getUTCFullYear();
  const locale = lang() === 'en' ? 'en-GB' : 'fr-FR';
  const options = { day: 'numeric', month: 'long', timeZone: 'UTC', ...(thisYear ? {} : { year: 'numeric' }) };
  return new Intl.DateTimeFormat(locale, options).format(day);
}

/** What the button says for `v`: "Précommander (livraison avant le 24 décembre)". */
export function preorderButton(v) {
  return t('preorder.button', { date: shipsBy(v.preorder.ships_by) });
}

/** The hint under the sizes for a size to preorder. */
export function preorderHint(v) {
  return t('preorder.hint', { date: shipsBy(v.preorder.ships_by), n: v.preorder.places_left });
}

/** A cart line's mark: "Précommande · livraison avant le 24 décembre". */
export function cartMark(line) {
  return h('p', { class: 'preorder-mark' },
    h('span', { class: 'badge badge-preorder' }, t('preorder.badge')), ' ',
    line.ships_by ? t('preorder.shipsBy', { date: shipsBy(line.ships_by) }) : null);
}

/** A cart line's mark in the checkout's summary. */
export function summaryMark(line) {
  if (!line.preorder) return null;
  const when = line.ships_by ? `, ${t('preorder.shipsBy', { date: shipsBy(line.ships_by) })}` : '';
  return h('span', { class: 'preorder-state' }, ` — ${t('preorder.badge').toLowerCase()}${when}`);
}

/** An order line's preorder state, or nothing for a line bought from stock. */
export function orderLineState(line) {
  if (!line.preorder) return null;
  const text = line.allocated >= line.quantity ? t('preorder.arrived')
    : line.allocated > 0 ? t('preorder.part', { n: line.allocated, of: line.quantity })
      : t('preorder.waiting');
  return h('span', { class: 'preorder-state' }, ` — ${text}`);
}
