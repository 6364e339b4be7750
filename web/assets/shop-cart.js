// The cart, kept in localStorage across reloads, and the seed's four levels
// of protection. Levels 1-3 ask the server (`/api/v1/cart/check`) so the
// page cannot get them wrong; level 4 is the order itself.

import { api, thumbnailOf, uuid } from './common.js';
import { t } from './i18n.js';
import './shop-preorder.js';

const CART_KEY = 'stockroom.cart.v1';
const ORDERS_KEY = 'stockroom.orders.v1';
/** The order attempt in flight: its Idempotency-Key and the exact body sent. */
const ATTEMPT_KEY = 'stockroom.attempt.v1';

const listeners = new Set();

/**
 * Lines `{sku, quantity, slug, title, size, color, price, currency,
<<<<<<< HEAD
 * image_url}`; a line bought on a drop's page adds `drop` (its slug) and
 * `dropName`, and keeps the drop's price.
=======
 * image_url}`; a preorder line adds `preorder: true`, its `ships_by` and
 * the `places_left` last seen.
>>>>>>> h3
 */
export function cartLines() {
  try {
    const lines = JSON.parse(localStorage.getItem(CART_KEY) || '[]');
    return Array.isArray(lines) ? lines.filter((l) => l && l.sku && l.quantity > 0) : [];
  } catch {
    return [];
  }
}

function save(lines) {
  localStorage.setItem(CART_KEY, JSON.stringify(lines));
  listeners.forEach((fn) => fn(lines));
}

/** Calls `fn(lines)` after every change, also from another tab. */
export function onCartChange(fn) {
  listeners.add(fn);
}
window.addEventListener('storage', (event) => {
  if (event.key === CART_KEY) listeners.forEach((fn) => fn(cartLines()));
});

export function cartCount() {
  return cartLines().reduce((n, l) => n + l.quantity, 0);
}

export function emptyCart() {
  save([]);
}

export function removeLine(sku) {
  save(cartLines().filter((l) => l.sku !== sku));
}

/**
 * Asks the server whether these quantities can still be bought; reserves
 * nothing. Preorder lines take places, not stock: the order decides them,
 * so they are not asked about (a cart of preorders alone is fine as is).
 */
export async function checkLines(lines) {
  const fromStock = lines.filter((l) => !l.preorder);
  if (!fromStock.length) return { ok: true, status: 200, data: { ok: true, lines: [] } };
  return api('/api/v1/cart/check', {
    method: 'POST',
    body: { lines: fromStock.map((l) => ({ sku: l.sku, quantity: l.quantity })) },
  });
}

/**
 * The server's verdict on one sku at one quantity: `{accepted, available, detail}`,
 * or `{error}` with the API's detail. Offline, the stock last seen decides,
 * in the same words.
 */
async function checkOne(sku, quantity, size, knownAvailable) {
  const answer = await checkLines([{ sku, quantity }]);
  if (answer.ok) return answer.data.lines[0];
  if (answer.status === 0 && Number.isInteger(knownAvailable)) {
    const accepted = Math.min(quantity, knownAvailable);
    return {
      accepted, available: knownAvailable, requested: quantity,
      detail: accepted < quantity ? t('toast.stock', { n: knownAvailable, size }) : undefined,
    };
  }
  return { error: answer.data.detail };
}

/**
 * Level 1: adds `quantity` of a variant, refused when the cart would then
 * hold more than the stock. Answers `{ok}` or `{message}` for the toast.
 */
export async function addToCart(product, variant, quantity, { preorder = false } = {}) {
  const lines = cartLines();
  const existing = lines.find((l) => l.sku === variant.sku);
  if (existing && Boolean(existing.preorder) !== preorder) return { message: t('preorder.bothWays', { size: variant.size }) };
  const wanted = (existing ? existing.quantity : 0) + quantity;
  if (preorder) {
    // Places are the order's to decide; the page's count spares a refusal.
    const left = variant.preorder.places_left;
    if (wanted > left) return { message: t('preorder.noPlace', { n: left, size: variant.size }) };
  } else {
    const verdict = await checkOne(variant.sku, wanted, variant.size, variant.available);
    if (verdict.error) return { message: verdict.error };
    variant.available = verdict.available;
    if (verdict.accepted < wanted) return { message: verdict.detail };
  }
  const line = {
    sku: variant.sku, quantity: wanted, slug: product.slug, title: product.title,
    size: variant.size, color: variant.color, price: product.price,
    currency: product.currency, image_url: thumbnailOf(product),
    ...(preorder ? { preorder: true, ships_by: variant.preorder.ships_by, places_left: variant.preorder.places_left } : {}),
  };
  save(existing ? lines.map((l) => (l.sku === line.sku ? line : l)) : [...lines, line]);
  return { ok: true };
}

/**
 * Level 1 on a drop's page: one more unit of a drop's line, at the drop's
 * price, the order to name the drop. One drop per cart: its order names
 * one. Answers `{ok}` or `{message}` for the toast.
 */
export async function addDropLine(drop, dropLine, currency) {
  const lines = cartLines();
  const other = lines.find((l) => l.drop && l.drop !== drop.slug);
  if (other) return { message: t('drop.otherInCart', { name: other.dropName || other.drop }) };
  const existing = lines.find((l) => l.sku === dropLine.sku);
  const wanted = (existing ? existing.quantity : 0) + 1;
  const verdict = await checkOne(dropLine.sku, wanted, dropLine.size, undefined);
  if (verdict.error) return { message: verdict.error };
  if (verdict.accepted < wanted) return { message: verdict.detail };
  const line = {
    sku: dropLine.sku, quantity: wanted, slug: dropLine.product_slug, title: dropLine.title,
    size: dropLine.size, color: dropLine.color, price: dropLine.price, currency,
    image_url: dropLine.image_url, drop: drop.slug, dropName: drop.name,
  };
  save(existing ? lines.map((l) => (l.sku === line.sku ? line : l)) : [...lines, line]);
  return { ok: true };
}

/**
 * The drop has ended (`drop_ended`): its lines become ordinary ones, whose
 * next order the server prices at the products' own prices (and refuses
 * with `price_changed`, so the buyer sees them before confirming).
 */
export function endDropLines() {
  save(cartLines().map(({ drop, dropName, ...line }) => line));
}

/**
 * Level 2: sets a line's quantity, capped at the stock with the same toast.
 * At 0 left the line keeps its quantity so that level 3 names it.
 */
export async function setQuantity(sku, quantity, knownAvailable) {
  const line = cartLines().find((l) => l.sku === sku);
  if (!line) return {};
  const wanted = Math.max(1, Math.floor(quantity) || 1);
  if (line.preorder) {
    // Capped at the places last seen; the order decides in the end.
    const kept = Math.min(wanted, line.places_left || 100, 100);
    save(cartLines().map((l) => (l.sku === sku ? { ...l, quantity: kept } : l)));
    return kept < wanted ? { message: t('preorder.noPlace', { n: kept, size: line.size }), capped: kept } : {};
  }
  const verdict = await checkOne(sku, wanted, line.size, knownAvailable);
  if (verdict.error) return { message: verdict.error };
  const kept = verdict.accepted >= 1 ? verdict.accepted : line.quantity;
  save(cartLines().map((l) => (l.sku === sku ? { ...l, quantity: kept } : l)));
  return verdict.accepted < wanted ? { message: verdict.detail, capped: kept } : {};
}

/** Lowers every line to what the last check accepted; lines at 0 go. */
export function acceptCheck(checked) {
  const accepted = new Map(checked.map((c) => [c.sku, c.accepted]));
  save(cartLines()
    .map((l) => (accepted.has(l.sku) ? { ...l, quantity: accepted.get(l.sku) } : l))
    .filter((l) => l.quantity > 0));
}

/**
 * Takes the server's current prices (`[{sku, unit_price}]`, from a cart
 * check or a `price_changed` answer) into the cart; answers the lines whose
 * price changed, `{title, size, color, before, after, currency}`. A cart
 * check knows the products' own prices only: with `keepDropPrices`, the
 * lines of a drop keep the drop's (a `price_changed` answer has them).
 */
export function applyPrices(priced, { keepDropPrices = false } = {}) {
  const now = new Map(priced.filter((p) => Number.isInteger(p.unit_price)).map((p) => [p.sku, p.unit_price]));
  const changes = [];
  const lines = cartLines().map((l) => {
    if (!now.has(l.sku) || now.get(l.sku) === l.price || (keepDropPrices && l.drop)) return l;
    changes.push({ title: l.title, size: l.size, color: l.color, before: l.price, after: now.get(l.sku), currency: l.currency });
    return { ...l, price: now.get(l.sku) };
  });
  if (changes.length) save(lines);
  return changes;
}

/** What the lines cost at the cart's prices. */
export function linesTotal(lines) {
  return lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
}

/**
 * The order body, exactly as it will be sent (and compared for retries):
 * with the delivery zone chosen and the total the buyer is shown, so that
 * a price changed meanwhile is refused instead of charged.
 */
export function orderBody(form, lines, zone) {
  const text = (v) => (v && v.trim() ? v.trim() : null);
  return JSON.stringify({
    customer: { name: form.name.trim(), phone: form.phone.trim(), email: text(form.email) },
    delivery: { address: text(form.address), pickup_number: text(form.pickup), zone: zone ? zone.id : null },
    notes: text(form.notes),
    lines: lines.map((l) => (l.preorder ? { sku: l.sku, quantity: l.quantity, preorder: true } : { sku: l.sku, quantity: l.quantity })),
    expected_total: linesTotal(lines) + (zone ? zone.fee : 0),
    // The drop whose page the lines came from: its prices, while it runs.
    drop: lines.find((l) => l.drop)?.drop,
  });
}

/** Keeps an order found by its number and phone, as if placed here. */
export function rememberFound(found) {
  rememberOrder(found);
}

let inFlight = null;

/**
 * Level 4: places the order. One Idempotency-Key per attempt: a double click
 * joins the request in flight, and a retry of the same body after a network
 * failure or a reload sends the same key, so the server answers the first
 * order again instead of making a second one. A decided answer (201, 409,
 * 422) ends the attempt; the next submission is a new one with a new key.
 */
export function placeOrder(body) {
  if (inFlight) return inFlight;
  let attempt = null;
  try { attempt = JSON.parse(sessionStorage.getItem(ATTEMPT_KEY) || 'null'); } catch { attempt = null; }
  if (!attempt || attempt.body !== body) attempt = { key: uuid(), body };
  sessionStorage.setItem(ATTEMPT_KEY, JSON.stringify(attempt));
  inFlight = api('/api/v1/orders', { method: 'POST', body, headers: { 'Idempotency-Key': attempt.key } })
    .then((answer) => {
      const retryable = answer.status === 0 || answer.status >= 500;
      if (!retryable) sessionStorage.removeItem(ATTEMPT_KEY);
      if (answer.status === 201) {
        rememberOrder(answer.data);
        emptyCart();
      }
      return answer;
    })
    .finally(() => { inFlight = null; });
  return inFlight;
}

/** The buyer's recent orders on this device, newest first, with their tokens. */
export function myOrders() {
  try {
    const list = JSON.parse(localStorage.getItem(ORDERS_KEY) || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function rememberOrder({ order, access_token: token }) {
  const entry = { id: order.id, number: order.number, token, created_at: order.created_at, total: order.total, currency: order.currency };
  const list = [entry, ...myOrders().filter((o) => o.id !== order.id)].slice(0, 20);
  localStorage.setItem(ORDERS_KEY, JSON.stringify(list));
}

/** The link that follows an order; the token stays in the fragment, never sent to a server. */
export function trackingHash(id, token) {
  return `#/suivi/${encodeURIComponent(id)}/${encodeURIComponent(token)}`;
}
