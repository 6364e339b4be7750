// Back office, "Liste de préparation" (`#/preparation?status=confirmed`):
// what to take off the shelves for the orders of one status, product by
// product and size by size, with the orders each item goes to; printable.

import { h, mount, when } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, hashQuery, table } from './admin-core.js';
import { deskTabs } from './admin-desk-links.js';
import './admin-desk-i18n.js';

const CHOICES = ['confirmed', 'to_handle', 'pending', 'processing'];

export async function pickingView(app) {
  const query = hashQuery();
  const current = query.get('status') || 'confirmed';
  const status = h('select', { name: 'status' },
    CHOICES.map((s) => h('option', { value: s, selected: s === current }, t(`picking.${s}`))));
  const form = h('form', { class: 'filters no-print', id: 'picking-filters' },
    field('p-status', t('picking.status'), status, t('picking.statusHint')),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('picking.show'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/preparation?${new URLSearchParams({ status: status.value })}`;
  });
  const print = h('button', { type: 'button', class: 'btn btn-primary', id: 'picking-print', onclick: () => window.print() }, t('paper.print'));
  const head = h('div', { class: 'page-head' }, h('h1', null, t('picking.title')), h('div', { class: 'head-actions no-print' }, print));
  const answer = await adminApi(`/api/v1/admin/picking?${new URLSearchParams({ status: current })}`);
  if (!answer.ok) {
    mount(app, deskTabs('#/preparation'), head, form, h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
    return;
  }
  const list = answer.data;
  const chosen = CHOICES.includes(current) ? t(`picking.${current}`) : t(`status.${current}`);
  mount(app, deskTabs('#/preparation'), head,
    h('p', { class: 'muted no-print' }, t('picking.lead')),
    form,
    h('p', { class: 'picking-summary', id: 'picking-summary' },
      h('strong', null, t('picking.summary', { status: chosen, units: t('picking.units', { n: list.units }), orders: t('picking.forOrders', { n: list.order_count }) })),
      h('span', { class: 'print-only' }, ` · ${t('picking.printedAt', { date: when(new Date().toISOString()) })}`)),
    list.lines.length ? pickingTable(list.lines) : h('p', { class: 'panel muted', id: 'picking-none' }, t('picking.none')));
}

function pickingTable(lines) {
  const headers = [t('picking.product'), t('picking.size'), t('picking.color'), t('picking.quantity'), t('picking.orders')];
  return table(t('picking.title'), headers, lines.map((l, i) => {
    // A product's title heads its first size; the next sizes stay under it.
    const first = !i || lines[i - 1].title !== l.title;
    return h('tr', { class: first ? 'first-of-product' : null, dataset: { sku: l.sku } },
      h('td', null, h(first ? 'strong' : 'span', { class: first ? null : 'muted' }, l.title), h('br'), h('small', { class: 'muted sku' }, l.sku)),
      h('td', null, l.size),
      h('td', null, l.color || '—'),
      h('td', { class: 'num picking-qty' }, String(l.quantity)),
      h('td', { class: 'picking-orders' }, l.orders.join(', ')));
  }), 'picking', { cards: true });
}
