// Back office, the count (`#/inventaire`): every size's stock, what she
// counted sent with the figure the page showed (`expected_available`), and
// the lines a sale changed meanwhile flagged with the new figure to count
// again; nothing is applied until every line is right.

import { h, mount, toast } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, variantName } from './admin-core.js';
import { markErrors, tn, typedNumber } from './admin-receiving.js';

/** The largest count of one size (`STOCK_LEVEL_MAX`). */
const COUNT_MAX = 1000000000;

/** `#/inventaire`: every size for sale with its stock and a "counted" input. */
export async function countView(app) {
  const answer = await adminApi('/api/v1/admin/products');
  if (!answer.ok) { mount(app, h('h1', null, t('count.title')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
  const reason = h('input', { type: 'text', maxlength: 500, value: t('admin.reasonCount'), required: true });
  const filter = h('input', { type: 'search', maxlength: 200, autocomplete: 'off' });
  const error = h('div', { class: 'alert alert-error', id: 'c-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'c-submit' }, t('count.submit'));
  const rows = [];
  const sections = answer.data.products
    .filter((p) => p.variants.some((v) => !v.retired))
    .map((p) => h('section', { class: 'count-product', dataset: { slug: p.slug } },
      h('h2', null, p.title),
      p.variants.filter((v) => !v.retired).map((v) => {
        const row = countRow(p, v);
        rows.push(row);
        return row.element;
      })));
  filter.addEventListener('input', () => {
    const words = filter.value.trim().toLowerCase();
    for (const section of sections) {
      section.hidden = words !== '' && !section.textContent.toLowerCase().includes(words);
    }
  });
  const form = h('form', { class: 'count-form', id: 'count-form', novalidate: true },
    h('div', { class: 'panel form-grid' }, field('c-reason', t('count.reason'), reason), field('c-filter', t('count.filter'), filter)),
    sections.length ? h('div', { class: 'count-grid', id: 'count-grid' },
      h('div', { class: 'count-row count-head', 'aria-hidden': 'true' },
        h('span', null, t('receiving.size')), h('span', null, t('admin.sku')), h('span', null, t('count.expected')), h('span', null, t('count.counted'))),
      sections) : h('p', { class: 'empty' }, t('catalog.none')),
    h('div', { class: 'panel receipt-submit' }, error, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    rows.forEach((r) => r.input.removeAttribute('aria-invalid'));
    reason.removeAttribute('aria-invalid');
    const fail = (message, input) => {
      mount(error, h('p', null, message));
      error.hidden = false;
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    };
    if (!reason.value.trim()) { fail(t('admin.reasonRequired'), reason); return; }
    const bad = rows.find((r) => Number.isNaN(typedNumber(r.input, COUNT_MAX)));
    if (bad) { fail(t('admin.wholeNumber'), bad.input); return; }
    const sent = rows.filter((r) => typedNumber(r.input, COUNT_MAX) !== null);
    if (!sent.length) { fail(t('count.nothing'), rows[0]?.input); return; }
    submit.disabled = true;
    const result = await adminApi('/api/v1/admin/stock/adjustments', {
      method: 'POST',
      body: {
        reason: reason.value.trim(),
        lines: sent.map((r) => ({ sku: r.sku, set: typedNumber(r.input, COUNT_MAX), expected_available: r.expected })),
      },
    });
    submit.disabled = false;
    if (result.ok) {
      toast(tn('count.saved', result.data.movements.length, { counted: sent.length }), 'ok');
      await countView(app);
      document.body.dataset.ready = 'inventaire/saved';
      return;
    }
    if (result.data.code === 'stale_stock') {
      const stale = result.data.lines || [];
      for (const line of stale) rows.find((r) => r.sku === line.sku)?.markStale(line.available);
      // Said with the sizes' names; the server's sentence names references.
      const named = stale.map((line) => rows.find((r) => r.sku === line.sku)?.name || line.sku);
      fail(tn('count.stale', named.length, { names: named.join(', ') }));
      error.append(h('p', { class: 'strong' }, tn('count.recount', stale.length)));
      rows.find((r) => r.sku === stale[0]?.sku)?.input.focus();
      document.body.dataset.ready = 'inventaire/stale';
      return;
    }
    markErrors(result.data, sent.map((r) => r.input));
    fail(result.data.detail, sent.map((r) => r.input).find((i) => i.getAttribute('aria-invalid') === 'true'));
  });
  mount(app, h('h1', null, t('count.title')), h('p', { class: 'muted' }, t('count.lead')), form);
}

/** One size in the count: the stock the page shows (sent as `expected_available`) and what she counted. */
function countRow(product, v) {
  const id = `c-${v.sku}`;
  const input = h('input', { type: 'number', id, min: 0, step: 1, inputmode: 'numeric', dataset: { sku: v.sku } });
  const stock = h('span', { class: 'count-stock' }, String(v.available));
  const note = h('span', { class: 'count-note', id: `${id}-note` });
  input.setAttribute('aria-describedby', `${id}-stock ${id}-note`);
  stock.id = `${id}-stock`;
  const element = h('div', { class: 'count-row', dataset: { sku: v.sku } },
    h('label', { for: id, class: 'count-size' },
      h('span', { class: 'sr-only' }, `${product.title}, ${t('count.counted').toLowerCase()} — `),
      v.color ? `${v.size} · ${v.color}` : v.size),
    h('code', null, v.sku),
    h('span', { class: 'count-expected' }, h('span', { class: 'count-label' }, `${t('count.expected')} : `), stock),
    h('span', { class: 'count-input' }, input),
    note);
  const row = {
    sku: v.sku,
    name: variantName({ title: product.title, size: v.size, color: v.color }),
    expected: v.available,
    input,
    element,
    markStale(available) {
      note.textContent = t('count.changed', { before: row.expected, now: available });
      row.expected = available;
      stock.textContent = String(available);
      element.classList.add('stale');
      input.setAttribute('aria-invalid', 'true');
    },
  };
  return row;
}
