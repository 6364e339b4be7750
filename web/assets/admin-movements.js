// Back office, the stock ledger: every movement with the variant it moved
// (product, size, colour), its actor and note, the delivery or the order it
// came with; searched by product name (`#/mouvements?q=robe`), filtered by
// kind, dates and delivery, or one variant's history (`?sku=ROBE-ETE-M`).

import { h, mount, when } from './common.js';
import { t } from './i18n.js';
import { adminApi, dayAfter, field, foldedFilters, hashQuery, orderLink, signed, table, variantCell, variantName } from './admin-core.js';

const KINDS = ['initial', 'restock', 'adjustment', 'sale', 'cancellation', 'return'];

export async function movementsView(app) {
  const query = hashQuery();
  const kind = h('select', { name: 'kind' }, h('option', { value: '' }, t('admin.allKinds')),
    KINDS.map((k) => h('option', { value: k, selected: query.get('kind') === k }, t(`kind.${k}`))));
  const q = h('input', { type: 'search', name: 'q', value: query.get('q') || '', autocomplete: 'off', maxlength: 200 });
  const from = h('input', { type: 'date', name: 'from', value: query.get('from') || '' });
  const to = h('input', { type: 'date', name: 'to', value: query.get('to') || '' });
  const search = field('m-q', t('movements.search'), q, t('movements.searchHint'));
  search.classList.add('field-grow');
  const form = h('form', { class: 'filters', id: 'movement-filters', role: 'search', 'aria-label': t('movements.filters') },
    search,
    field('m-kind', t('admin.kind'), kind),
    field('m-from', t('admin.from'), from), field('m-to', t('admin.toInclusive'), to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.filter'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    // One variant's history stays one variant's history while she narrows it.
    for (const kept of ['sku', 'receipt']) if (query.get(kept)) next.set(kept, query.get(kept));
    for (const input of [q, kind, from, to]) if (input.value.trim()) next.set(input.name, input.value.trim());
    location.hash = `#/mouvements${next.size ? `?${next}` : ''}`;
  });
  const active = ['q', 'kind', 'from', 'to'].filter((k) => query.get(k)).length;
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('admin.more'));
  const alert = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const scope = h('p', { class: 'scope', id: 'movement-scope', hidden: true });
  const params = new URLSearchParams();
  for (const key of ['q', 'kind', 'sku', 'from', 'receipt']) if (query.get(key)) params.set(key, query.get(key));
  if (query.get('to')) params.set('to', dayAfter(query.get('to')));
  const load = async (cursor) => {
    if (cursor) params.set('cursor', cursor);
    const answer = await adminApi(`/api/v1/admin/stock/movements?${params}`);
    if (!answer.ok) { alert.textContent = answer.data.detail; alert.hidden = false; return; }
    const movements = answer.data.movements;
    if (!cursor) drawScope(scope, query, movements[0]);
    body.append(...movements.map(movementRow));
    if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 8, class: 'muted' }, t('admin.noMovement'))));
    more.hidden = !answer.data.next_cursor;
    more.onclick = () => load(answer.data.next_cursor);
  };
  mount(app, h('h1', null, t('admin.movements')), foldedFilters(form, active), scope, alert,
    table(t('admin.movements'), [t('admin.date'), t('admin.article'), t('admin.kind'), t('admin.quantity'), t('admin.after'), t('admin.actor'), t('admin.noteCol'), t('admin.order')], body, 'movements', { cards: true }),
    more);
  await load();
}

/** Says whose history this is (one variant, one delivery) with a way back to the whole ledger. */
function drawScope(scope, query, first) {
  const sku = query.get('sku');
  const receipt = query.get('receipt');
  if (!sku && !receipt) return;
  const whose = sku
    ? t('movements.ofVariant', { name: first && first.sku === sku ? variantName(first) : sku })
    : t('movements.ofReceipt', { reference: first?.receipt_reference || '' });
  mount(scope, whose, ' ', h('a', { href: '#/mouvements' }, t('movements.all')));
  scope.hidden = false;
}

function movementRow(m) {
  return h('tr', { dataset: { kind: m.kind, sku: m.sku } },
    h('td', { class: 'nowrap' }, when(m.created_at)),
    variantCell(m),
    h('td', null, h('span', { class: `kind kind-${m.kind}` }, t(`kind.${m.kind}`))),
    h('td', { class: `num ${m.quantity < 0 ? 'neg' : 'pos'}` }, signed(m.quantity)),
    h('td', { class: 'num' }, String(m.available_after)),
    h('td', null, m.actor || t('movements.byBuyer')),
    h('td', null, m.receipt_id
      ? h('a', { href: `#/receptions/${encodeURIComponent(m.receipt_id)}`, class: 'receipt-link' }, t('receiving.receipt', { reference: m.receipt_reference }))
      : m.note || ''),
    h('td', null, m.order_id ? orderLink(m.order_id, m.order_number) : ''));
}
