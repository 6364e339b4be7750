// Back office, deliveries: a delivery received in one form (`#/reception`),
// the receipts (`#/receptions`, `#/receptions/{id}`); and the helpers the
// count (`admin-count.js`) shares with them.

import { h, mount, toast, when } from './common.js';
import { lang, t } from './i18n.js';
import { adminApi, field, table } from './admin-core.js';

const QUANTITY_MAX = 1000000;
const SEARCH_RESULTS_MAX = 8;

/** `t` for a sentence about `n` things: `key.one` or `key.other` (French: 0 and 1 are singular). */
export function tn(key, n, vars = {}) {
  const one = lang() === 'fr' ? n <= 1 : n === 1;
  return t(`${key}.${one ? 'one' : 'other'}`, { n, ...vars });
}

/** A whole number from 0 to `max` typed in `input`; null when empty, NaN when not one. */
export function typedNumber(input, max) {
  const raw = input.value.trim();
  if (raw === '') return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= max ? n : NaN;
}

/** Marks the inputs a 422 names (`lines[3].quantity`), `sent[i]` being the input of line i. */
export function markErrors(problem, sent) {
  for (const error of problem.errors || []) {
    const match = /^lines\[(\d+)\]/.exec(error.field);
    const input = match && sent[Number(match[1])];
    if (input) input.setAttribute('aria-invalid', 'true');
  }
}

/** `#/reception`: reference, supplier, note, then the sizes × colours of the products chosen. */
export async function receptionView(app) {
  const reference = h('input', { type: 'text', maxlength: 100, required: true, autocomplete: 'off' });
  const supplier = h('input', { type: 'text', maxlength: 100, autocomplete: 'off' });
  const note = h('textarea', { rows: 2, maxlength: 500 });
  const search = h('input', { type: 'search', maxlength: 200, autocomplete: 'off', placeholder: t('catalog.searchHint') });
  const results = h('ul', { class: 'pick-results', id: 'r-results', 'aria-live': 'polite' });
  const grids = h('div', { id: 'r-grids' });
  const total = h('p', { class: 'receipt-total', id: 'r-total', 'aria-live': 'polite' });
  const error = h('p', { class: 'alert alert-error', id: 'r-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'r-submit' }, t('receiving.submit'));
  const chosen = new Map();

  const inputs = () => [...grids.querySelectorAll('input[data-sku]')];
  const refreshTotal = () => {
    const units = inputs().map((i) => typedNumber(i, QUANTITY_MAX)).filter((n) => n > 0).reduce((a, b) => a + b, 0);
    total.textContent = tn('receiving.total', units);
  };
  const showResults = async () => {
    const q = search.value.trim();
    const answer = await adminApi(`/api/v1/admin/products${q ? `?q=${encodeURIComponent(q)}` : ''}`);
    if (!answer.ok) { mount(results, h('li', { class: 'muted' }, answer.data.detail)); return; }
    const found = answer.data.products.filter((p) => p.variants.some((v) => !v.retired)).slice(0, SEARCH_RESULTS_MAX);
    mount(results, found.length ? found.map((p) => h('li', null,
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { slug: p.slug }, disabled: chosen.has(p.id),
        onclick: (event) => { add(p); event.currentTarget.disabled = true; event.currentTarget.textContent = t('receiving.added', { title: p.title }); } },
      t(chosen.has(p.id) ? 'receiving.added' : 'receiving.add', { title: p.title })))) : h('li', { class: 'muted' }, t('catalog.none')));
    // Which search the list answers (the browser tests wait for it).
    results.dataset.q = q;
  };
  const add = (product) => {
    if (chosen.has(product.id)) return;
    const section = productGrid(product, refreshTotal, () => {
      chosen.delete(product.id);
      section.remove();
      refreshTotal();
      showResults();
    });
    chosen.set(product.id, section);
    grids.append(section);
    section.querySelector('input')?.focus();
    refreshTotal();
  };
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(showResults, 250); });

  const form = h('form', { class: 'receipt-form', id: 'receipt-form', novalidate: true },
    h('div', { class: 'panel' },
      h('div', { class: 'form-grid' },
        field('r-reference', t('receiving.reference'), reference, t('receiving.referenceHint')),
        field('r-supplier', t('receiving.supplier'), supplier)),
      field('r-note', t('admin.note'), note)),
    h('div', { class: 'panel' },
      h('h2', null, t('receiving.products')),
      field('r-search', t('receiving.search'), search),
      results),
    grids,
    h('div', { class: 'panel receipt-submit' }, total, error, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    inputs().forEach((i) => i.removeAttribute('aria-invalid'));
    reference.removeAttribute('aria-invalid');
    const fail = (message, input) => {
      error.textContent = message;
      error.hidden = false;
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    };
    if (!reference.value.trim()) { fail(t('receiving.referenceRequired'), reference); return; }
    const bad = inputs().find((i) => Number.isNaN(typedNumber(i, QUANTITY_MAX)));
    if (bad) { fail(t('receiving.badQuantity', { max: QUANTITY_MAX }), bad); return; }
    const sent = inputs().filter((i) => typedNumber(i, QUANTITY_MAX) > 0);
    if (!sent.length) { fail(t('receiving.nothing'), inputs()[0] || search); return; }
    submit.disabled = true;
    const answer = await adminApi('/api/v1/admin/receipts', {
      method: 'POST',
      body: {
        reference: reference.value.trim(),
        supplier: supplier.value.trim() || null,
        note: note.value.trim() || null,
        lines: sent.map((i) => ({ sku: i.dataset.sku, quantity: typedNumber(i, QUANTITY_MAX) })),
      },
    });
    submit.disabled = false;
    if (!answer.ok) {
      markErrors(answer.data, sent);
      fail(answer.data.detail, sent.find((i) => i.getAttribute('aria-invalid') === 'true'));
      return;
    }
    toast(tn('receiving.saved', answer.data.total, { reference: answer.data.reference }), 'ok');
    location.hash = `#/receptions/${encodeURIComponent(answer.data.id)}`;
  });
  mount(app,
    h('div', { class: 'page-head' },
      h('h1', null, t('receiving.title')),
      h('a', { class: 'btn btn-ghost', href: '#/receptions' }, t('receiving.all'))),
    h('p', { class: 'muted' }, t('receiving.lead')),
    form);
  refreshTotal();
  await showResults();
}

/** One product's sizes, a row per colour, each with its quantity received. */
function productGrid(product, changed, remove) {
  const forSale = product.variants.filter((v) => !v.retired);
  const colors = [...new Set(forSale.map((v) => v.color || ''))];
  const rows = colors.map((color) => h('div', { class: 'grid-row' },
    color ? h('p', { class: 'grid-row-head' }, color) : null,
    h('div', { class: 'grid-cells' }, forSale.filter((v) => (v.color || '') === color).map((v) => {
      const id = `q-${v.sku}`;
      const input = h('input', { type: 'number', id, min: 0, max: QUANTITY_MAX, step: 1, inputmode: 'numeric', dataset: { sku: v.sku } });
      input.addEventListener('input', changed);
      return h('div', { class: 'grid-cell', dataset: { sku: v.sku } },
        h('label', { for: id }, h('span', { class: 'sr-only' }, `${product.title}${v.color ? ` ${v.color}` : ''}, ${t('receiving.size').toLowerCase()} `), v.size),
        input,
        h('span', { class: 'grid-stock' }, t('receiving.inStock', { n: v.available })));
    }))));
  return h('fieldset', { class: 'panel receipt-product', dataset: { slug: product.slug } },
    h('legend', null, product.title),
    rows,
    h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: remove }, t('receiving.remove', { title: product.title })));
}

/** `#/receptions`: every receipt, newest first, with its total. */
export async function receiptsView(app) {
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('admin.more'));
  const alert = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const load = async (cursor) => {
    const answer = await adminApi(`/api/v1/admin/receipts${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (!answer.ok) { alert.textContent = answer.data.detail; alert.hidden = false; return; }
    body.append(...answer.data.receipts.map((r) => h('tr', { dataset: { id: r.id } },
      h('td', { class: 'nowrap' }, when(r.created_at)),
      h('td', null, h('a', { href: `#/receptions/${encodeURIComponent(r.id)}` }, r.reference)),
      h('td', null, r.supplier || '—'),
      h('td', { class: 'num' }, String(r.line_count)),
      h('td', { class: 'num strong' }, String(r.total)),
      h('td', null, r.actor))));
    if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 6, class: 'muted' }, t('receiving.none'))));
    more.hidden = !answer.data.next_cursor;
    more.onclick = () => load(answer.data.next_cursor);
  };
  mount(app,
    h('div', { class: 'page-head' },
      h('h1', null, t('receiving.list')),
      h('a', { class: 'btn btn-primary', href: '#/reception', id: 'new-receipt' }, t('receiving.new'))),
    alert,
    table(t('receiving.list'), [t('admin.date'), t('receiving.reference'), t('receiving.supplier'), t('receiving.lines'), t('receiving.units'), t('admin.actor')], body, 'receipts', { cards: true }),
    more);
  await load();
}

/** `#/receptions/{id}`: one receipt and its lines. */
export async function receiptView(app, id) {
  const answer = await adminApi(`/api/v1/admin/receipts/${encodeURIComponent(id)}`);
  if (!answer.ok) {
    mount(app, h('h1', null, t('receiving.list')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail),
      h('a', { href: '#/receptions' }, t('receiving.all')));
    return;
  }
  const r = answer.data;
  mount(app,
    h('div', { class: 'page-head' },
      h('h1', null, t('receiving.one', { reference: r.reference })),
      h('div', { class: 'head-actions' },
        h('a', { class: 'btn btn-ghost', href: `#/mouvements?receipt=${encodeURIComponent(r.id)}` }, t('receiving.movements')),
        h('a', { class: 'btn btn-primary', href: '#/reception' }, t('receiving.new')))),
    h('div', { class: 'panel', id: 'receipt-summary' },
      h('p', { class: 'strong' }, tn('receiving.total', r.total)),
      h('p', null, `${t('receiving.supplier')} : `, r.supplier || '—'),
      h('p', null, `${t('admin.date')} : `, when(r.created_at), ' · ', t('receiving.by', { name: r.actor })),
      r.note ? h('p', { class: 'notes' }, r.note) : null),
    table(t('receiving.linesOf', { reference: r.reference }),
      [t('receiving.product'), t('receiving.size'), t('receiving.color'), t('admin.sku'), t('receiving.received'), t('admin.after')],
      r.lines.map((l) => h('tr', { dataset: { sku: l.sku } },
        h('td', null, l.title),
        h('td', null, l.size),
        h('td', null, l.color || '—'),
        h('td', null, h('code', null, l.sku)),
        h('td', { class: 'num pos' }, `+${l.quantity}`),
        h('td', { class: 'num' }, String(l.available)))),
      'receipt-lines', { cards: true }));
}
