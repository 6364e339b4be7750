// Storefront views from the cart to the order: the cart (level 2), the
// re-check before checkout (level 3), the checkout form and the order
// (level 4), the confirmation and the buyer's "suivi de commande".

import { api, focusHeading, h, money, mount, toast, when } from './common.js';
import { addStrings, lang, t } from './i18n.js';
import {
  acceptCheck, applyPrices, cartLines, checkLines, endDropLines, linesTotal, myOrders, orderBody, placeOrder, rememberFound, removeLine,
  setQuantity, trackingHash,
} from './shop-cart.js';
import { contactLine, contactSentence, currentShop, loadShop } from './shop-identity.js';
import { cartMark, orderLineState, summaryMark } from './shop-preorder.js';

const STEPS = ['pending', 'confirmed', 'processing', 'shipped', 'delivered'];

function variantLabel(line) {
  return [line.size && `${t('cart.size')} ${line.size}`, line.color].filter(Boolean).join(' · ');
}

function total(lines) {
  return linesTotal(lines);
}

/**
 * Prices changed since the buyer filled the cart: each line before and
 * after, the new total, and the request to confirm again.
 */
function priceChangeAlert(changes, newTotal, currency) {
  return h('div', { class: 'alert alert-warn', id: 'price-alert', role: 'alert', tabindex: '-1' },
    h('p', null, h('strong', null, changes.length ? t('prices.changed') : t('prices.feeChanged'))),
    changes.length ? h('ul', { class: 'price-changes' }, changes.map((c) => h('li', null,
      t('prices.line', {
        item: `${c.title} (${variantLabel(c)})`, before: money(c.before, c.currency), after: money(c.after, c.currency),
      })))) : null,
    newTotal === undefined ? null : h('p', null, t('prices.newTotal', { total: money(newTotal, currency) })),
    h('p', null, t('prices.confirmAgain')));
}

function emptyCartView(app) {
  mount(app, h('section', { class: 'empty-state' },
    h('h1', null, t('cart.title')),
    h('p', { id: 'cart-empty' }, t('cart.empty')),
    h('a', { class: 'btn btn-primary', href: '#/' }, t('cart.browse'))));
}

/** `#/panier`: the lines with their quantity steppers, and the way to checkout. */
export function cartView(app, ctx) {
  const lines = cartLines();
  if (!lines.length) { emptyCartView(app); focusHeading(app); return; }
  if (ctx.recheckCart) {
    // Back from a refused order: show at once what each line can still have.
    ctx.recheckCart = false;
    mount(app, h('p', { class: 'loading' }, t('loading')));
    recheck(ctx).then(() => cartView(app, ctx));
    return;
  }
  const check = ctx.lastCheck;
  const messages = new Map((check && !check.ok ? check.lines : []).filter((l) => l.detail).map((l) => [l.sku, l.detail]));
  const currency = lines[0].currency;

  const change = async (line, quantity) => {
    const result = await setQuantity(line.sku, quantity, ctx.available(line.sku));
    if (result.message) toast(result.message);
    ctx.lastCheck = null;
    cartView(app, ctx);
    app.querySelector(`[data-sku="${CSS.escape(line.sku)}"] .qty-input`)?.focus();
  };
  const lineItem = (line) => {
    const inputId = `qty-${line.sku}`;
    const input = h('input', {
      type: 'number', class: 'qty-input', id: inputId, min: 1, max: 100, value: line.quantity, inputmode: 'numeric',
      onchange: (e) => change(line, parseInt(e.target.value, 10)),
    });
    return h('li', { class: `cart-line${messages.has(line.sku) ? ' has-problem' : ''}`, dataset: { sku: line.sku } },
      line.image_url ? h('img', { src: line.image_url, alt: '', width: 80, height: 80 }) : h('span', { class: 'thumb' }),
      h('div', { class: 'cart-line-info' },
        h('a', { href: line.drop ? `#/drop/${encodeURIComponent(line.drop)}` : `#/produit/${encodeURIComponent(line.slug)}`, class: 'cart-line-title' }, line.title),
        h('p', { class: 'muted' }, variantLabel(line)),
        line.preorder ? cartMark(line) : null,
        h('p', { class: 'muted' }, money(line.price, line.currency)),
        messages.has(line.sku) ? h('p', { class: 'line-msg', role: 'alert' }, messages.get(line.sku)) : null),
      h('div', { class: 'cart-line-qty' },
        h('label', { for: inputId, class: 'sr-only' }, t('cart.quantityOf', { title: line.title })),
        h('div', { class: 'stepper' },
          h('button', { type: 'button', class: 'step', 'aria-label': t('cart.less'), disabled: line.quantity <= 1, onclick: () => change(line, line.quantity - 1) }, '−'),
          input,
          h('button', {
            type: 'button', class: 'step', 'aria-label': t('cart.more'), onclick: () => change(line, line.quantity + 1),
            // At the stock (or the preorder places) last seen, one more cannot be had.
            disabled: line.preorder ? line.quantity >= (line.places_left || 100)
              : Number.isInteger(ctx.available(line.sku)) && line.quantity >= ctx.available(line.sku),
          }, '+')),
        h('button', { type: 'button', class: 'link-button', onclick: () => { removeLine(line.sku); ctx.lastCheck = null; cartView(app, ctx); } }, t('cart.remove'))),
      h('p', { class: 'cart-line-total' }, money(line.price * line.quantity, line.currency)));
  };

  const checkoutButton = h('button', { type: 'button', class: 'btn btn-primary btn-wide', id: 'checkout' }, t('cart.checkout'));
  checkoutButton.addEventListener('click', async () => {
    checkoutButton.disabled = true;
    const ok = await recheck(ctx);
    checkoutButton.disabled = false;
    if (ok) { ctx.checkedForCheckout = true; location.hash = '#/commande'; }
    else cartView(app, ctx);
  });
  const changes = ctx.priceChanges || [];
  ctx.priceChanges = null;
  mount(app,
    h('h1', null, t('cart.title')),
    changes.length ? priceChangeAlert(changes, undefined, currency) : null,
    messages.size ? h('div', { class: 'alert alert-error', id: 'cart-alert', role: 'alert' },
      h('p', null, t('cart.mustAdjust')),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { acceptCheck(check.lines); ctx.lastCheck = null; cartView(app, ctx); } }, t('cart.adjust'))) : null,
    h('div', { class: 'cart-layout' },
      h('ul', { class: 'cart-lines' }, lines.map(lineItem)),
      h('aside', { class: 'summary' },
        h('h2', null, t('cart.summary')),
        h('p', { class: 'summary-row' }, h('span', null, t('cart.items', { n: lines.reduce((n, l) => n + l.quantity, 0) })), h('span', null, money(total(lines), currency))),
        h('p', { class: 'summary-row summary-total' }, h('span', null, t('cart.total')), h('strong', { id: 'cart-total' }, money(total(lines), currency))),
        checkoutButton,
        h('a', { href: '#/', class: 'link-center' }, t('cart.continue')))));
}

/** Level 3: every line checked again; remembers the answer for the cart to show. */
async function recheck(ctx) {
  const answer = await checkLines(cartLines());
  if (!answer.ok) { toast(answer.data.detail); return false; }
  ctx.lastCheck = answer.data;
  const changes = applyPrices(answer.data.lines, { keepDropPrices: true });
  if (changes.length) ctx.priceChanges = [...(ctx.priceChanges || []), ...changes];
  return answer.data.ok;
}

const FIELDS = [
  { name: 'name', api: 'customer.name', max: 100, required: true, autocomplete: 'name' },
  { name: 'phone', api: 'customer.phone', max: 32, required: true, autocomplete: 'tel', type: 'tel' },
  { name: 'email', api: 'customer.email', max: 254, autocomplete: 'email', type: 'email' },
  { name: 'address', api: 'delivery.address', max: 500, autocomplete: 'street-address', multiline: true },
  { name: 'notes', api: 'notes', max: 2000, multiline: true },
];

/** Asked when the shop's setting requires it (`pickup_number_required`), after the address. */
const PICKUP = { name: 'pickup', api: 'delivery.pickup_number', max: 64, required: true, autocomplete: 'off' };

/** The fields this shop asks for. */
function fieldsAsked() {
  if (!currentShop().pickup_number_required) return FIELDS;
  const at = FIELDS.findIndex((f) => f.name === 'address') + 1;
  return [...FIELDS.slice(0, at), PICKUP, ...FIELDS.slice(at)];
}

/** What the page can say without asking: a required field left empty, a field over its length. */
export function fieldError(field, raw) {
  const value = raw.trim();
  if (field.required && !value) return t(`form.${field.name}.required`);
  if ([...value].length > field.max) return t('form.tooLong', { max: field.max });
  return '';
}

/**
 * Whether a phone or an e-mail is one the order will take is the server's to
 * say (a phone is read by libphonenumber for the shop's country): the page
 * asks `POST /api/v1/customer/check` once per value, and shows its sentence.
 * No answer (offline, busy) is no refusal: the order itself decides then.
 */
const ASKED = new Set(['phone', 'email']);
const answers = new Map();
export function serverError(field, raw) {
  const value = raw.trim();
  if (!ASKED.has(field.name) || !value) return Promise.resolve('');
  const key = `${lang()} ${field.name} ${value}`;
  if (!answers.has(key)) {
    const asked = api('/api/v1/customer/check', { method: 'POST', body: { [field.name]: value } }).then((answer) => {
      if (answer.status === 422) return (answer.data.errors || []).find((e) => e.field === field.api)?.detail || answer.data.detail;
      if (!answer.ok) answers.delete(key);
      return '';
    });
    answers.set(key, asked);
  }
  return answers.get(key);
}

/** `#/commande`: the buyer's details and the order button. */
export async function checkoutView(app, ctx) {
  const lines = cartLines();
  if (!lines.length) { location.hash = '#/panier'; return; }
  if (!ctx.checkedForCheckout) {
    mount(app, h('p', { class: 'loading' }, t('loading')));
    if (!(await recheck(ctx))) { location.hash = '#/panier'; return; }
  }
  ctx.checkedForCheckout = false;
  const saved = ctx.form || {};
  const zones = currentShop().delivery_zones || [];
  const priceChanges = ctx.priceChanges;
  ctx.priceChanges = null;
  const asked = fieldsAsked();
  const inputs = {};
  const errors = {};
  const alert = h('div', { id: 'order-alert', class: 'alert alert-error', role: 'alert', tabindex: '-1', hidden: true });
  const rows = asked.map((f) => {
    const id = `f-${f.name}`;
    const attrs = { id, name: f.name, maxlength: f.max, autocomplete: f.autocomplete, 'aria-describedby': `${id}-hint ${id}-error`, required: f.required };
    const input = f.multiline ? h('textarea', { ...attrs, rows: 3 }) : h('input', { ...attrs, type: f.type || 'text' });
    input.value = saved[f.name] || '';
    inputs[f.name] = input;
    errors[f.name] = h('p', { class: 'field-error', id: `${id}-error` });
    input.addEventListener('blur', () => showError(f));
    // While typing, only the page's own check: the server is asked on leaving the field.
    input.addEventListener('input', () => { ctx.form = values(); if (input.getAttribute('aria-invalid')) mark(f, fieldError(f, input.value)); });
    return h('div', { class: 'field' },
      h('label', { for: id }, t(`form.${f.name}.label`), f.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : h('span', { class: 'muted' }, ` (${t('form.optional')})`)),
      input,
      h('p', { class: 'hint', id: `${id}-hint` }, t(`form.${f.name}.hint`)),
      errors[f.name]);
  });
  const zoneError = h('p', { class: 'field-error', id: 'zone-error' });
  const zoneInputs = zones.map((z) => h('input', {
    type: 'radio', name: 'zone', value: z.id, id: `zone-${z.id}`, checked: saved.zone === z.id,
    'aria-describedby': 'zone-error',
  }));
  const zoneBox = zones.length ? h('fieldset', { class: 'zones', id: 'zones' },
    h('legend', null, t('zones.legend'), h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
    h('div', { class: 'zone-options' }, zones.map((z, i) => h('label', { class: 'zone-option', for: `zone-${z.id}` },
      zoneInputs[i], h('span', null, z.name),
      h('span', { class: 'zone-fee' }, z.fee ? money(z.fee, currentShop().currency) : t('zones.free'))))),
    zoneError) : null;
  const chosenZone = () => zones.find((z, i) => zoneInputs[i].checked) || null;
  const values = () => ({ ...Object.fromEntries(asked.map((f) => [f.name, inputs[f.name].value])), zone: chosenZone()?.id });
  const mark = (f, message) => {
    errors[f.name].textContent = message;
    if (message) inputs[f.name].setAttribute('aria-invalid', 'true');
    else inputs[f.name].removeAttribute('aria-invalid');
    return message;
  };
  // The page's own check at once, then the server's for a phone or an
  // e-mail; an answer about a value since changed is dropped.
  const showError = async (f) => {
    const value = inputs[f.name].value;
    const local = mark(f, fieldError(f, value));
    if (local) return local;
    const said = await serverError(f, value);
    return inputs[f.name].value === value ? mark(f, said) : '';
  };
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'place-order' }, t('checkout.place'));
  const form = h('form', { class: 'checkout-form', id: 'checkout-form', novalidate: true },
    h('fieldset', null, h('legend', null, t('checkout.details')), rows),
    zoneBox, alert, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    // Disabled while the server is asked about the phone and the e-mail: a
    // second click meanwhile places no second order.
    submit.disabled = true;
    const said = await Promise.all(asked.map((f) => showError(f)));
    const bad = asked.filter((f, i) => said[i]);
    zoneError.textContent = zones.length && !chosenZone() ? t('zones.required') : '';
    if (bad.length || zoneError.textContent) {
      submit.disabled = false;
      if (bad.length) inputs[bad[0].name].focus();
      else zoneInputs[0].focus();
      return;
    }
    submit.textContent = t('checkout.sending');
    const answer = await placeOrder(orderBody(values(), cartLines(), chosenZone()));
    submit.disabled = false;
    submit.textContent = t('checkout.place');
    if (answer.status === 201) {
      ctx.lastOrder = answer.data;
      ctx.form = null;
      location.hash = trackingHash(answer.data.order.id, answer.data.access_token).replace('#/suivi/', '#/merci/');
      return;
    }
    if (answer.data && answer.data.code === 'price_changed') {
      // The server's prices replace the cart's; the buyer sees what changed and confirms again.
      const changes = applyPrices(answer.data.lines || []);
      await loadShop();
      ctx.form = values();
      ctx.priceChanges = changes;
      ctx.priceTotal = answer.data.total;
      ctx.checkedForCheckout = true;
      await checkoutView(app, ctx);
      document.getElementById('price-alert')?.focus();
      return;
    }
    if (answer.status === 422 && !currentShop().pickup_number_required && (answer.data.errors || []).some((e) => e.field === PICKUP.api)) {
      // The shop began asking for a pickup number since this page was drawn.
      await loadShop();
      ctx.form = values();
      ctx.checkedForCheckout = true;
      await checkoutView(app, ctx);
      document.getElementById('f-pickup')?.focus();
      return;
    }
    if (answer.data && answer.data.code === 'insufficient_stock') ctx.recheckCart = true;
    if (answer.data && answer.data.code === 'drop_ended') endDropLines();
    showRefusal(answer, alert, inputs, errors, asked);
  });
  const currency = lines[0].currency;
  const feeRow = h('p', { class: 'summary-row', id: 'delivery-row' });
  const totalCell = h('strong', { id: 'checkout-total' });
  const drawTotal = () => {
    const zone = chosenZone();
    mount(feeRow, h('span', null, zone ? t('zones.feeOf', { zone: zone.name }) : t('zones.fee')),
      h('span', null, zone ? (zone.fee ? money(zone.fee, currency) : t('zones.free')) : '—'));
    feeRow.hidden = !zones.length;
    totalCell.textContent = money(total(lines) + (zone ? zone.fee : 0), currency);
  };
  zoneInputs.forEach((input) => input.addEventListener('change', () => {
    zoneError.textContent = '';
    ctx.form = values();
    drawTotal();
  }));
  drawTotal();
  const shownTotal = ctx.priceTotal;
  ctx.priceTotal = undefined;
  mount(app,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/panier' }, `‹ ${t('checkout.backToCart')}`)),
    h('h1', null, t('checkout.title')),
    priceChanges ? priceChangeAlert(priceChanges, shownTotal, currency) : null,
    h('div', { class: 'cart-layout' },
      form,
      h('aside', { class: 'summary', id: 'order-summary' },
        h('h2', null, t('cart.summary')),
        h('ul', { class: 'summary-lines' }, lines.map((l) => h('li', { dataset: { sku: l.sku } },
          h('span', null, `${l.title} (${variantLabel(l)}) × ${l.quantity}`, summaryMark(l)),
          h('span', null, money(l.price * l.quantity, l.currency))))),
        feeRow,
        h('p', { class: 'summary-row summary-total' }, h('span', null, t('cart.total')), totalCell),
        h('p', { class: 'muted' }, t('checkout.payment')))));
  focusHeading(app);
}

/** Refusals only the shop can lift or explain: the buyer gets its phone and WhatsApp. */
const SEE_THE_SHOP = ['order_limit_reached', 'drop_limit_reached', 'product_unavailable'];

/** A refused order: the server's detail, fields named by a 422, short lines marked. The cart is kept. */
function showRefusal(answer, alert, inputs, errors, fields) {
  const data = answer.data || {};
  mount(alert, h('p', { id: 'order-error' }, data.detail),
    SEE_THE_SHOP.includes(data.code) ? contactLine('order-contact') : null,
    data.code === 'insufficient_stock' ? h('a', { href: '#/panier', class: 'btn btn-ghost' }, t('checkout.editCart')) : null,
    answer.status === 0 || answer.status >= 500 ? h('p', { class: 'muted' }, t('checkout.retry')) : null);
  alert.hidden = false;
  for (const e of data.errors || []) {
    const f = fields.find((x) => x.api === e.field);
    if (f) { errors[f.name].textContent = e.detail; inputs[f.name].setAttribute('aria-invalid', 'true'); }
  }
  for (const short of data.lines || []) {
    const li = document.querySelector(`#order-summary [data-sku="${CSS.escape(short.sku)}"]`);
    if (li) {
      li.classList.add('has-problem');
      li.append(h('span', { class: 'line-msg' }, t('checkout.left', { n: short.available })));
    }
  }
  alert.focus({ preventScroll: true });
  alert.scrollIntoView({ block: 'center' });
}

function orderLines(order) {
  const zone = order.delivery && order.delivery.zone_name;
  return [
    h('ul', { class: 'summary-lines' }, order.lines.map((l) => h('li', { dataset: { sku: l.sku } },
      h('span', null, `${l.title} (${variantLabel(l)}) × ${l.quantity}`, orderLineState(l)),
      h('span', null, money(l.line_total, order.currency))))),
    zone || order.delivery_fee ? h('p', { class: 'summary-row', id: 'order-delivery' },
      h('span', null, zone ? t('zones.feeOf', { zone }) : t('zones.fee')),
      h('span', null, order.delivery_fee ? money(order.delivery_fee, order.currency) : t('zones.free'))) : null,
  ];
}

async function fetchOrder(id, token) {
  return api(`/api/v1/orders/${encodeURIComponent(id)}`, { token });
}

/** `#/merci/{id}/{token}`: the order number and the link to follow it. */
export async function confirmationView(app, ctx, id, token) {
  let order = ctx.lastOrder && ctx.lastOrder.order.id === id ? ctx.lastOrder.order : null;
  if (!order) {
    const answer = await fetchOrder(id, token);
    if (!answer.ok) { mount(app, h('h1', null, t('track.title')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
    order = answer.data;
  }
  mount(app, h('section', { class: 'confirmation' },
    h('div', { class: 'confirm-icon', 'aria-hidden': 'true' }, '✓'),
    h('h1', null, t('confirm.title')),
    h('p', { class: 'confirm-number' }, t('confirm.number'), ' ', h('strong', { id: 'order-number' }, order.number)),
    h('p', null, t('confirm.keep')),
    contactSentence(),
    orderLines(order),
    h('p', { class: 'summary-row summary-total' }, h('span', null, t('cart.total')), h('strong', null, money(order.total, order.currency))),
    h('div', { class: 'actions' },
      h('a', { class: 'btn btn-primary', id: 'track-link', href: trackingHash(order.id, token) }, t('confirm.track')),
      h('a', { class: 'btn btn-ghost', href: '#/' }, t('cart.continue')))));
  focusHeading(app);
}

/** `#/suivi/{id}/{token}`: where the order stands, read with its access token. */
export async function trackingView(app, id, token) {
  mount(app, h('p', { class: 'loading' }, t('loading')));
  const answer = await fetchOrder(id, token);
  if (!answer.ok) {
    mount(app, h('h1', null, t('track.title')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
    return;
  }
  const order = answer.data;
  const reached = STEPS.indexOf(order.status);
  mount(app, h('section', { class: 'tracking' },
    h('h1', null, t('track.title')),
    h('p', { class: 'confirm-number' }, t('confirm.number'), ' ', h('strong', { id: 'order-number' }, order.number), ` · ${when(order.created_at)}`),
    h('p', null, t('track.status'), ' ', h('span', { class: `status status-${order.status}`, id: 'order-status' }, t(`status.${order.status}`))),
    order.status === 'cancelled' ? h('p', { class: 'alert alert-error' }, t('track.cancelled')) : h('ol', { class: 'steps' },
      STEPS.map((s, i) => h('li', { class: i < reached ? 'done' : i === reached ? 'current' : null, 'aria-current': i === reached ? 'step' : null }, t(`status.${s}`)))),
    orderLines(order),
    h('p', { class: 'summary-row summary-total' }, h('span', null, t('cart.total')), h('strong', null, money(order.total, order.currency))),
    order.delivery && order.delivery.address ? h('p', null, h('strong', null, `${t('form.address.label')} : `), order.delivery.address) : h('p', null, t('track.pickup')),
    order.delivery && order.delivery.pickup_number ? h('p', { id: 'order-pickup' }, h('strong', null, `${t('form.pickup.label')} : `), order.delivery.pickup_number) : null,
    h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => trackingView(app, id, token) }, t('action.refresh'))));
  focusHeading(app);
}

/** `#/commandes`: the orders placed from this device, and finding one placed elsewhere. */
export function myOrdersView(app) {
  const orders = myOrders();
  mount(app, h('h1', null, t('nav.orders')),
    orders.length ? h('ul', { class: 'order-list' }, orders.map((o) => h('li', null,
      h('a', { href: trackingHash(o.id, o.token) }, o.number),
      h('span', { class: 'muted' }, when(o.created_at)),
      h('span', null, money(o.total, o.currency)))))
      : h('p', null, t('orders.none')),
    lookupForm());
  focusHeading(app);
}

/** A buyer on another phone or browser: the order number and the phone it was placed with. */
function lookupForm() {
  const number = h('input', { id: 'lookup-number', name: 'number', maxlength: 40, autocomplete: 'off', required: true, 'aria-describedby': 'lookup-number-hint lookup-error' });
  const phone = h('input', { id: 'lookup-phone', name: 'phone', type: 'tel', maxlength: 40, autocomplete: 'tel', required: true, 'aria-describedby': 'lookup-error' });
  const error = h('p', { class: 'field-error', id: 'lookup-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'lookup-submit' }, t('lookup.action'));
  const form = h('form', { class: 'lookup-form', id: 'lookup-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'lookup-number' }, t('lookup.number')), number,
      h('p', { class: 'hint', id: 'lookup-number-hint' }, t('lookup.numberHint'))),
    h('div', { class: 'field' }, h('label', { for: 'lookup-phone' }, t('form.phone.label')), phone),
    error, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!number.value.trim()) { error.textContent = t('lookup.numberRequired'); number.focus(); return; }
    if (!phone.value.trim()) { error.textContent = t('form.phone.required'); phone.focus(); return; }
    button.disabled = true;
    const answer = await api('/api/v1/orders/lookup', { method: 'POST', body: { number: number.value.trim(), phone: phone.value.trim() } });
    button.disabled = false;
    if (answer.ok) {
      rememberFound(answer.data);
      location.hash = trackingHash(answer.data.order.id, answer.data.access_token);
      return;
    }
    error.textContent = answer.status === 404 ? t('lookup.notFound') : answer.data.detail;
  });
  return h('section', { class: 'lookup' },
    h('h2', null, t('lookup.title')),
    h('p', { class: 'muted' }, t('lookup.lead')),
    form);
}

addStrings({
  fr: {
    'prices.changed': 'Des prix ont changé depuis que vous avez rempli votre panier :',
    'prices.feeChanged': 'Le total a changé depuis que vous avez rempli votre panier.',
    'prices.line': '{item} : {before} avant, {after} maintenant',
    'prices.newTotal': 'Nouveau total : {total}.',
    'prices.confirmAgain': 'Votre panier est à jour. Vérifiez le récapitulatif puis confirmez à nouveau la commande.',
    'form.pickup.label': 'Numéro de retrait',
    'form.pickup.hint': 'Le numéro que le service de livraison vous a donné pour retirer votre colis.',
    'form.pickup.required': 'Indiquez votre numéro de retrait.',
    'zones.legend': 'Zone de livraison',
    'zones.required': 'Choisissez une zone de livraison.',
    'zones.free': 'Gratuit',
    'zones.fee': 'Livraison',
    'zones.feeOf': 'Livraison ({zone})',
    'lookup.title': 'Retrouver une commande',
    'lookup.lead': 'Commande passée depuis un autre téléphone ? Indiquez son numéro et le téléphone donné à la commande.',
    'lookup.number': 'Numéro de commande',
    'lookup.numberHint': 'Par exemple SR-1001.',
    'lookup.numberRequired': 'Indiquez le numéro de la commande.',
    'lookup.action': 'Retrouver ma commande',
    'lookup.notFound': 'Aucune commande ne correspond à ce numéro et à ce téléphone. Vérifiez-les et réessayez.',
  },
  en: {
    'prices.changed': 'Some prices changed since you filled your cart:',
    'prices.feeChanged': 'The total changed since you filled your cart.',
    'prices.line': '{item}: {before} before, {after} now',
    'prices.newTotal': 'New total: {total}.',
    'prices.confirmAgain': 'Your cart is up to date. Check the summary, then confirm the order again.',
    'form.pickup.label': 'Pickup number',
    'form.pickup.hint': 'The number the delivery service gave you to collect your parcel.',
    'form.pickup.required': 'Enter your pickup number.',
    'zones.legend': 'Delivery zone',
    'zones.required': 'Choose a delivery zone.',
    'zones.free': 'Free',
    'zones.fee': 'Delivery',
    'zones.feeOf': 'Delivery ({zone})',
    'lookup.title': 'Find an order',
    'lookup.lead': 'Ordered from another phone? Give its number and the phone given with the order.',
    'lookup.number': 'Order number',
    'lookup.numberHint': 'For example SR-1001.',
    'lookup.numberRequired': 'Enter the order number.',
    'lookup.action': 'Find my order',
    'lookup.notFound': 'No order matches this number and this phone. Check them and try again.',
  },
});
