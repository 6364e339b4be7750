// What the shop's events say in words, for the journal, the deliveries and
// the live badge: "Nouvelle commande SR-1042", "Taille épuisée : Robe d'été
// M", each with a link to the order, the size's movements or the audit.

import { h } from './common.js';
import { addStrings, t } from './i18n.js';
import { adminApi } from './admin-core.js';

/** The event types, in the order of `EventType::ALL` on the server. */
export const EVENT_TYPES = [
  'order.created', 'order.status_changed', 'order.cancelled', 'order.returned', 'payment.recorded',
  'stock.low', 'stock.sold_out', 'stock.back_in_stock', 'audit.anomaly',
];

addStrings({
  fr: {
    // The labels of `EventType::label_fr`, word for word.
    'eventType.order.created': 'Nouvelle commande',
    'eventType.order.status_changed': 'Commande mise à jour',
    'eventType.order.cancelled': 'Commande annulée',
    'eventType.order.returned': 'Commande retournée',
    'eventType.payment.recorded': 'Paiement enregistré',
    'eventType.stock.low': 'Stock faible',
    'eventType.stock.sold_out': 'Taille épuisée',
    'eventType.stock.back_in_stock': 'Taille de retour en stock',
    'eventType.audit.anomaly': 'Anomalie trouvée par le contrôle du stock',
    'event.order.created': 'Nouvelle commande {link}',
    'event.order.status_changed': 'Commande {link} : {status}',
    'event.order.cancelled': 'Commande {link} annulée',
    'event.order.returned': 'Commande {link} retournée',
    'event.payment.recorded': 'Paiement enregistré pour la commande {link}',
    'event.stock.low': { one: 'Stock faible : {link}, plus qu’un article', other: 'Stock faible : {link}, plus que {n} articles' },
    'event.stock.sold_out': 'Taille épuisée : {link}',
    'event.stock.back_in_stock': { one: 'De retour en stock : {link}, un article', other: 'De retour en stock : {link}, {n} articles' },
    'event.audit.anomaly': { one: 'Le contrôle du stock a trouvé une différence : {link}', other: 'Le contrôle du stock a trouvé {n} différences : {link}' },
    'event.test': 'Message de test',
    'event.numbered': 'Événement n° {id}',
    'event.status.returned': 'retournée',
  },
  en: {
    'eventType.order.created': 'New order',
    'eventType.order.status_changed': 'Order updated',
    'eventType.order.cancelled': 'Order cancelled',
    'eventType.order.returned': 'Order returned',
    'eventType.payment.recorded': 'Payment recorded',
    'eventType.stock.low': 'Low stock',
    'eventType.stock.sold_out': 'Size sold out',
    'eventType.stock.back_in_stock': 'Size back in stock',
    'eventType.audit.anomaly': 'Anomaly found by the stock check',
    'event.order.created': 'New order {link}',
    'event.order.status_changed': 'Order {link}: {status}',
    'event.order.cancelled': 'Order {link} cancelled',
    'event.order.returned': 'Order {link} returned',
    'event.payment.recorded': 'Payment recorded for order {link}',
    'event.stock.low': { one: 'Low stock: {link}, one unit left', other: 'Low stock: {link}, {n} units left' },
    'event.stock.sold_out': 'Size sold out: {link}',
    'event.stock.back_in_stock': { one: 'Back in stock: {link}, one unit', other: 'Back in stock: {link}, {n} units' },
    'event.audit.anomaly': { one: 'The stock check found a difference: {link}', other: 'The stock check found {n} differences: {link}' },
    'event.test': 'Test message',
    'event.numbered': 'Event no. {id}',
    'event.status.returned': 'returned',
  },
});

/** "Nouvelle commande", the type's label. */
export function eventLabel(type) {
  return t(`eventType.${type}`);
}

/**
 * Every sku of the catalog with its product's title, size and colour, read
 * once per page (`GET /api/v1/admin/products` lists every product): stock
 * events carry a sku only.
 */
export async function catalogNames() {
  const names = new Map();
  const answer = await adminApi('/api/v1/admin/products');
  if (!answer.ok) return names;
  for (const p of answer.data.products) {
    for (const v of p.variants) names.set(v.sku, { title: p.title, size: v.size, color: v.color });
  }
  return names;
}

/** "Robe d'été M", "Chemise en lin M, Bleu"; the sku alone when the catalog no longer has it. */
export function shortVariant(sku, names) {
  const v = names.get(sku);
  if (!v) return sku;
  return `${v.title} ${v.size}${v.color ? `, ${v.color}` : ''}`;
}

function statusWord(status) {
  const key = status === 'returned' ? 'event.status.returned' : `status.${status}`;
  return t(key).toLowerCase();
}

/** Where an event leads, and the words of its link. */
function linkOf(event, names) {
  const d = event.data || {};
  if (event.type.startsWith('order.') || event.type.startsWith('payment.')) {
    return { text: d.number || '', href: `#/commandes/${encodeURIComponent(d.order_id || '')}` };
  }
  if (event.type.startsWith('stock.')) {
    return { text: shortVariant(d.sku, names), href: `#/mouvements?sku=${encodeURIComponent(d.sku || '')}` };
  }
  const skus = d.skus || [];
  return { text: skus.map((sku) => shortVariant(sku, names)).join(', '), href: '#/verification' };
}

/**
 * The event as a sentence whose key words link to what it speaks of:
 * "Nouvelle commande <a>SR-1042</a>". A test message or an unknown type
 * reads as such.
 */
export function eventSentence(event, names) {
  if (!EVENT_TYPES.includes(event.type)) return [t('event.test')];
  const d = event.data || {};
  const n = event.type === 'audit.anomaly' ? (d.skus || []).length : d.available;
  const text = t(`event.${event.type}`, { n, status: d.status ? statusWord(d.status) : '', link: '\u0000' });
  const [before, after] = text.split('\u0000');
  const link = linkOf(event, names);
  return [before, h('a', { href: link.href, class: 'event-link' }, link.text), after];
}

/** The same sentence as plain text, for an announcement. */
export function eventText(event, names) {
  return eventSentence(event, names).map((part) => (typeof part === 'string' ? part : part.textContent)).join('');
}
