// Back office, one order (`#/commandes/{id}`): its customer and delivery
// (edited in a dialog), its status with the next moves and one step back
// with a reason, its payment, its lines with the units returned, a return
// or exchange, its history with the staff's notes, and the links that
// print its packing slip and receipt.

import { confirmDialog, h, money, mount, toast, when } from './common.js';
import { t } from './i18n.js';
import './admin-orders-i18n.js';
import { adminApi, statusBadge, table, variantCell } from './admin-core.js';
import { preorderNote } from './admin-preorders.js';
import { paymentBadge, paymentPanel } from './admin-order-payment.js';
import { historyPanel } from './admin-order-history.js';
import { editDeliveryDialog, stepBackDialog } from './admin-order-dialogs.js';
import { returnDialog } from './admin-order-return.js';

/** The moves of `OrderStatus::transition_to`, for the buttons offered. */
const NEXT = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
  returned: [],
};
/** The one step back each status allows, with a reason. */
const BACK = { confirmed: 'pending', processing: 'confirmed', shipped: 'processing', delivered: 'shipped' };
/** Only what left the shop can come back. */
const RETURNABLE = ['shipped', 'delivered'];
const BEFORE_SHIPPING = ['pending', 'confirmed', 'processing'];

/** `#/commandes/{id}`: the order and its history, read together. */
export async function orderView(app, id) {
  const path = `/api/v1/admin/orders/${encodeURIComponent(id)}`;
  const [order, history] = await Promise.all([adminApi(path), adminApi(`${path}/history`)]);
  if (!order.ok) {
    mount(app, h('p', { class: 'breadcrumb' }, h('a', { href: '#/commandes' }, `‹ ${t('admin.orders')}`)),
      h('h1', null, t('admin.order')), h('p', { class: 'alert alert-error', role: 'alert' }, order.data.detail));
    return;
  }
  drawOrder(app, order.data, history.ok ? history.data.events : null, history.ok ? null : history.data.detail);
}

/**
 * Draws the page again after a change, says what was done, and puts the
 * focus on `focusId` (the part of the page the change was made from).
 */
async function redraw(app, o, message, focusId) {
  await orderView(app, o.id);
  toast(message, 'ok');
  const target = document.getElementById(focusId);
  if (target) {
    if (!target.matches('input, select, textarea, button, a')) target.setAttribute('tabindex', '-1');
    target.focus();
  }
}

function drawOrder(app, o, events, historyError) {
  mount(app,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/commandes' }, `‹ ${t('admin.orders')}`)),
    h('div', { class: 'page-head' },
      h('div', { class: 'order-heading' },
        h('h1', { id: 'order-title' }, `${t('admin.order')} ${o.number}`),
        h('p', { class: 'order-badges' }, h('span', { id: 'order-status' }, statusBadge(o.status)), ' ',
          o.payment ? h('span', { id: 'order-payment-badge' }, paymentBadge(o.payment)) : null)),
      printLinks(o)),
    h('div', { class: 'order-desk' },
      customerPanel(app, o),
      h('div', { class: 'order-side' },
        statusPanel(app, o),
        paymentPanel(o, (order) => redraw(app, order, t('desk.paymentSaved', { number: o.number }), 'order-payment-title'))),
      linesPanel(o),
      events
        ? historyPanel(o, events, () => redraw(app, o, t('desk.noteAdded', { number: o.number }), 'note-text'))
        : h('p', { class: 'alert alert-error', role: 'alert' }, historyError)));
}

/**
 * Where the order is printed from: its packing slip and its receipt, each
 * a page of its own made for the printer.
 */
function printLinks(o) {
  const base = `#/commandes/${encodeURIComponent(o.id)}`;
  return h('nav', { class: 'print-links', id: 'order-print', 'aria-label': t('desk.print').replace(/\s*:\s*$/, '') },
    h('span', { class: 'muted' }, t('desk.print')), ' ',
    h('a', { href: `${base}/bordereau`, class: 'btn btn-ghost btn-small', id: 'print-slip' }, t('desk.printSlip')), ' ',
    h('a', { href: `${base}/recu`, class: 'btn btn-ghost btn-small', id: 'print-receipt' }, t('desk.printReceipt')));
}

function customerPanel(app, o) {
  const delivery = o.delivery || {};
  const edit = h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', id: 'edit-delivery',
    onclick: () => editDeliveryDialog(o, (order) => redraw(app, order, t('desk.edited', { number: o.number }), 'order-customer-title')),
  }, t('desk.editDelivery'));
  return h('section', { class: 'panel order-customer', id: 'order-customer', 'aria-labelledby': 'order-customer-title' },
    h('h2', { id: 'order-customer-title' }, t('desk.customerAndDelivery')),
    h('div', { class: 'customer-grid' },
      h('div', null,
        h('p', null, h('strong', null, o.customer.name)),
        h('p', null, h('a', { href: `tel:${o.customer.phone}` }, o.customer.phone)),
        o.customer.email ? h('p', { class: 'wrap-anywhere' }, o.customer.email) : null,
        h('p', { class: 'muted' }, when(o.created_at))),
      h('div', null,
        h('h3', null, t('form.address.label')),
        h('p', { id: 'order-address', class: 'notes' }, delivery.address || t('track.pickup')),
        delivery.zone_name ? h('p', { class: 'muted' }, t('desk.zone', { zone: delivery.zone_name })) : null,
        h('h3', null, t('desk.pickupNumber')),
        h('p', { id: 'order-pickup' }, delivery.pickup_number || t('desk.noPickupNumber')),
        edit)),
    o.notes ? [h('h3', null, t('desk.buyerNotes')), h('p', { class: 'notes' }, o.notes)] : null);
}

function statusPanel(app, o) {
  const change = async (next) => {
    if (next === 'cancelled' && !(await confirmDialog(t('admin.cancelConfirm', { number: o.number }), t('admin.cancelOrder')))) return;
    const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(o.id)}/status`, { method: 'POST', body: { status: next } });
    if (!answer.ok) { toast(answer.data.detail); return; }
    const message = next === 'cancelled' ? t('admin.cancelled', { number: o.number }) : t('admin.statusNow', { number: o.number, status: t(`status.${next}`) });
    redraw(app, answer.data, message, 'order-title');
  };
  const forward = NEXT[o.status] || [];
  const buttons = forward.map((next) => h('button', {
    type: 'button', class: `btn ${next === 'cancelled' ? 'btn-danger' : 'btn-primary'} btn-small`,
    dataset: { status: next }, onclick: () => change(next),
  }, next === 'cancelled' ? t('admin.cancelOrder') : t('admin.moveTo', { status: t(`status.${next}`) })));
  const back = BACK[o.status];
  const stepBack = back ? h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', id: 'step-back', dataset: { back },
    onclick: () => stepBackDialog(o, back, (order) => redraw(app, order, t('desk.steppedBack', { number: o.number, status: t(`status.${back}`) }), 'order-title')),
  }, t('desk.stepBack', { status: t(`status.${back}`) })) : null;
  const returnable = RETURNABLE.includes(o.status);
  const returnButton = returnable ? h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', id: 'return-open',
    onclick: () => returnDialog(o, (order) => redraw(app, order, t('desk.returnSaved', { number: o.number }), 'order-lines-title')),
  }, t('desk.returnButton')) : null;
  return h('section', { class: 'panel', id: 'order-actions', 'aria-labelledby': 'order-actions-title' },
    h('h2', { id: 'order-actions-title' }, t('admin.actions')),
    buttons.length ? h('div', { class: 'status-actions' }, buttons) : h('p', { class: 'muted' }, t('admin.noMove')),
    stepBack || returnButton ? h('div', { class: 'status-actions status-more' }, stepBack, returnButton) : null,
    BEFORE_SHIPPING.includes(o.status) ? h('p', { class: 'hint' }, t('desk.returnWhen')) : null);
}

/** "2, dont 1 remis en stock": what came back of a line. */
function returnedText(l) {
  const back = l.returned || 0;
  if (!back) return '';
  const restocked = l.restocked || 0;
  if (restocked === back) return t('desk.returnedAll', { n: back });
  if (!restocked) return t('desk.returnedNone', { n: back });
  return t('desk.returnedSome', { n: back, restocked });
}

/** A line's cell, with its preorder's state when it is one. */
function withPreorder(cell, line) {
  const note = preorderNote(line);
  if (note) cell.append(h('br'), note);
  return cell;
}

function linesPanel(o) {
  return h('section', { class: 'order-lines-section', 'aria-labelledby': 'order-lines-title' },
    h('h2', { id: 'order-lines-title', class: 'section-head' }, t('admin.lines')),
    table(t('admin.lines'), [t('admin.article'), t('admin.unitPrice'), t('admin.quantity'), t('desk.returnedCol'), t('cart.total')],
      o.lines.map((l) => h('tr', { dataset: { sku: l.sku, returned: String(l.returned || 0) } },
        withPreorder(variantCell(l), l),
        h('td', { class: 'num' }, money(l.unit_price, o.currency)), h('td', { class: 'num' }, String(l.quantity)),
        h('td', { class: 'returned-cell' }, returnedText(l)),
        h('td', { class: 'num' }, money(l.line_total, o.currency)))), 'order-lines', { cards: true }),
    o.delivery_fee ? h('p', { class: 'summary-row order-total', id: 'order-delivery-fee' }, h('span', null, t('admin.deliveryFee')), h('span', null, money(o.delivery_fee, o.currency))) : null,
    h('p', { class: 'summary-row summary-total order-total', id: 'order-total' }, h('span', null, t('cart.total')), h('strong', null, money(o.total, o.currency))));
}
