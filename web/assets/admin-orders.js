// Back office, orders: the list with its filters, one order, and the status
// changes the shop allows (cancelling returns the units to stock).

import { confirmDialog, h, money, mount, toast, when } from './common.js';
import { t } from './i18n.js';
import { adminApi, dayAfter, field, foldedFilters, hashQuery, statusBadge, table, variantCell } from './admin-core.js';
import { deskTabs, ordersCsvButton, printLinks } from './admin-desk-links.js';

const STATUSES = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled'];

/** The moves of `OrderStatus::transition_to`, for the buttons offered. */
const NEXT = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export async function ordersView(app) {
  const query = hashQuery();
  const status = h('select', { name: 'status' }, h('option', { value: '' }, t('admin.allStatuses')),
    STATUSES.map((s) => h('option', { value: s, selected: query.get('status') === s }, t(`status.${s}`))));
  const from = h('input', { type: 'date', name: 'from', value: query.get('from') || '' });
  const to = h('input', { type: 'date', name: 'to', value: query.get('to') || '' });
  const filters = h('form', { class: 'filters', id: 'order-filters' },
    field('o-status', t('admin.status'), status), field('o-from', t('admin.from'), from), field('o-to', t('admin.toInclusive'), to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.filter'))));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const input of [status, from, to]) if (input.value) q.set(input.name, input.value);
    location.hash = `#/commandes${q.toString() ? `?${q}` : ''}`;
  });
  const params = new URLSearchParams();
  for (const key of ['status', 'from']) if (query.get(key)) params.set(key, query.get(key));
  if (query.get('to')) params.set('to', dayAfter(query.get('to')));
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('admin.more'));
  const alert = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const load = async (cursor) => {
    if (cursor) params.set('cursor', cursor);
    const answer = await adminApi(`/api/v1/admin/orders?${params}`);
    if (!answer.ok) { alert.textContent = answer.data.detail; alert.hidden = false; return; }
    body.append(...answer.data.orders.map(orderRow));
    if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 6, class: 'muted' }, t('admin.noOrder'))));
    more.hidden = !answer.data.next_cursor;
    more.onclick = () => load(answer.data.next_cursor);
  };
  const active = ['status', 'from', 'to'].filter((k) => query.get(k)).length;
  mount(app, deskTabs('#/commandes'), h('div', { class: 'page-head' }, h('h1', null, t('admin.orders')), ordersCsvButton()), foldedFilters(filters, active), alert,
    table(t('admin.orders'), [t('admin.number'), t('admin.date'), t('admin.customer'), t('admin.items'), t('cart.total'), t('admin.status')], body, 'orders', { cards: true }),
    more);
  await load();
}

function orderRow(o) {
  return h('tr', { dataset: { id: o.id, number: o.number } },
    h('td', null, h('a', { href: `#/commandes/${encodeURIComponent(o.id)}`, class: 'strong' }, o.number)),
    h('td', { class: 'nowrap' }, when(o.created_at)),
    h('td', null, o.customer.name, h('br'), h('small', { class: 'muted' }, o.customer.phone)),
    h('td', { class: 'num' }, String(o.lines.reduce((n, l) => n + l.quantity, 0))),
    h('td', { class: 'num' }, money(o.total, o.currency)),
    h('td', null, statusBadge(o.status)));
}

/** `#/commandes/{id}`: the order, its lines, and the buttons for the next statuses. */
export async function orderView(app, id) {
  const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(id)}`);
  if (!answer.ok) { mount(app, h('h1', null, t('admin.order')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
  drawOrder(app, answer.data);
}

function drawOrder(app, o) {
  const change = async (next) => {
    if (next === 'cancelled' && !(await confirmDialog(t('admin.cancelConfirm', { number: o.number }), t('admin.cancelOrder')))) return;
    const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(o.id)}/status`, { method: 'POST', body: { status: next } });
    if (!answer.ok) { toast(answer.data.detail); return; }
    toast(next === 'cancelled' ? t('admin.cancelled', { number: o.number }) : t('admin.statusNow', { number: o.number, status: t(`status.${next}`) }), 'ok');
    drawOrder(app, answer.data);
    app.querySelector('h1')?.focus();
  };
  const buttons = NEXT[o.status].map((next) => h('button', {
    type: 'button', class: `btn ${next === 'cancelled' ? 'btn-danger' : 'btn-primary'} btn-small`,
    dataset: { status: next }, onclick: () => change(next),
  }, next === 'cancelled' ? t('admin.cancelOrder') : t('admin.moveTo', { status: t(`status.${next}`) })));
  mount(app,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/commandes' }, `‹ ${t('admin.orders')}`)),
    h('div', { class: 'page-head' }, h('h1', { id: 'order-title' }, `${t('admin.order')} ${o.number}`), h('span', { id: 'order-status' }, statusBadge(o.status))),
    h('div', { class: 'order-grid' },
      h('section', { class: 'panel' },
        h('h2', null, t('admin.customer')),
        h('p', null, h('strong', null, o.customer.name)),
        h('p', null, h('a', { href: `tel:${o.customer.phone}` }, o.customer.phone)),
        o.customer.email ? h('p', null, o.customer.email) : null,
        h('h2', null, t('form.address.label')),
        h('p', null, o.delivery.address || t('track.pickup')),
        o.delivery.pickup_number ? h('p', null, `${t('admin.pickup')} ${o.delivery.pickup_number}`) : null,
        o.notes ? [h('h2', null, t('form.notes.label')), h('p', { class: 'notes' }, o.notes)] : null,
        h('p', { class: 'muted' }, when(o.created_at))),
      h('section', { class: 'panel' },
        h('h2', null, t('admin.actions')),
        buttons.length ? h('div', { class: 'status-actions' }, buttons) : h('p', { class: 'muted' }, t('admin.noMove')),
        printLinks(o))),
    table(t('admin.lines'), [t('admin.article'), t('admin.unitPrice'), t('admin.quantity'), t('cart.total')],
      o.lines.map((l) => h('tr', { dataset: { sku: l.sku } },
        variantCell(l),
        h('td', { class: 'num' }, money(l.unit_price, o.currency)), h('td', { class: 'num' }, String(l.quantity)),
        h('td', { class: 'num' }, money(l.line_total, o.currency)))), 'order-lines', { cards: true }),
    o.delivery_fee ? h('p', { class: 'summary-row order-total', id: 'order-delivery-fee' }, h('span', null, t('admin.deliveryFee')), h('span', null, money(o.delivery_fee, o.currency))) : null,
    h('p', { class: 'summary-row summary-total order-total' }, h('span', null, t('cart.total')), h('strong', null, money(o.total, o.currency))));
}
