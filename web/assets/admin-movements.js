// Back office, the stock ledger: every movement with its actor and note,
// and the delivery a restock came with, filtered by kind, sku, dates and
// delivery (`#/mouvements?sku=ROBE-ETE-M`, `#/mouvements?receipt=…`).

import { h, mount, when } from './common.js';
import { t } from './i18n.js';
import { adminApi, dayAfter, field, hashQuery, signed, table } from './admin-core.js';

const KINDS = ['initial', 'restock', 'adjustment', 'sale', 'cancellation'];

export async function movementsView(app) {
  const query = hashQuery();
  const kind = h('select', { name: 'kind' }, h('option', { value: '' }, t('admin.allKinds')),
    KINDS.map((k) => h('option', { value: k, selected: query.get('kind') === k }, t(`kind.${k}`))));
  const sku = h('input', { type: 'text', name: 'sku', value: query.get('sku') || '', autocomplete: 'off', maxlength: 64 });
  const from = h('input', { type: 'date', name: 'from', value: query.get('from') || '' });
  const to = h('input', { type: 'date', name: 'to', value: query.get('to') || '' });
  const filters = h('form', { class: 'filters', id: 'movement-filters' },
    field('m-kind', t('admin.kind'), kind), field('m-sku', t('admin.sku'), sku),
    field('m-from', t('admin.from'), from), field('m-to', t('admin.toInclusive'), to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.filter'))));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const input of [kind, sku, from, to]) {
      const value = input.name === 'sku' ? input.value.trim().toUpperCase() : input.value.trim();
      if (value) q.set(input.name, value);
    }
    location.hash = `#/mouvements${q.toString() ? `?${q}` : ''}`;
  });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('admin.more'));
  const alert = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const params = new URLSearchParams();
  if (query.get('kind')) params.set('kind', query.get('kind'));
  if (query.get('sku')) params.set('sku', query.get('sku'));
  if (query.get('from')) params.set('from', query.get('from'));
  if (query.get('to')) params.set('to', dayAfter(query.get('to')));
  if (query.get('receipt')) params.set('receipt', query.get('receipt'));
  const load = async (cursor) => {
    if (cursor) params.set('cursor', cursor);
    const answer = await adminApi(`/api/v1/admin/stock/movements?${params}`);
    if (!answer.ok) { alert.textContent = answer.data.detail; alert.hidden = false; return; }
    body.append(...answer.data.movements.map(movementRow));
    if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 8, class: 'muted' }, t('admin.noMovement'))));
    more.hidden = !answer.data.next_cursor;
    more.onclick = () => load(answer.data.next_cursor);
  };
  mount(app, h('h1', null, t('admin.movements')), filters, alert,
    table(t('admin.movements'), [t('admin.date'), t('admin.sku'), t('admin.kind'), t('admin.quantity'), t('admin.after'), t('admin.actor'), t('admin.noteCol'), t('admin.order')], body, 'movements', { cards: true }),
    more);
  await load();
}

function movementRow(m) {
  return h('tr', { dataset: { kind: m.kind, sku: m.sku } },
    h('td', { class: 'nowrap' }, when(m.created_at)),
    h('td', { class: 'nowrap' }, h('code', null, m.sku)),
    h('td', null, h('span', { class: `kind kind-${m.kind}` }, t(`kind.${m.kind}`))),
    h('td', { class: `num ${m.quantity < 0 ? 'neg' : 'pos'}` }, signed(m.quantity)),
    h('td', { class: 'num' }, String(m.available_after)),
    h('td', null, m.actor || '—'),
    h('td', null, m.receipt_id
      ? h('a', { href: `#/receptions/${encodeURIComponent(m.receipt_id)}`, class: 'receipt-link' }, t('receiving.receipt', { reference: m.receipt_reference }))
      : m.note || ''),
    h('td', null, m.order_id ? h('a', { href: `#/commandes/${encodeURIComponent(m.order_id)}` }, t('admin.see')) : ''));
}
