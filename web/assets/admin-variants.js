// Back office, a product's sizes after its creation: add one with its
// opening stock, move them, give one a low-stock threshold of its own,
// open its preorders, retire one (hidden from the shop, kept in the
// history) or sell it again.

import { h, toast } from './common.js';
import { t } from './i18n.js';
import { adminApi, field } from './admin-core.js';
import { preorderSettings } from './admin-preorders.js';

const label = (v) => `${v.size}${v.color ? ` ${v.color}` : ''}`;

/** The sizes section of the edit form of `product`; `reload` draws the form again. */
export function variantsSection(product, reload) {
  const list = h('ol', { class: 'variant-list', id: 'variant-list' },
    product.variants.map((v, i) => variantItem(product, v, i, reload)));
  return h('section', { class: 'variants-edit', 'aria-labelledby': 'sizes-title' },
    h('h2', { id: 'sizes-title' }, t('admin.sizes')),
    h('p', { class: 'muted' }, t('variants.lead')),
    list,
    addForm(product, reload));
}

function variantItem(product, v, index, reload) {
  const last = product.variants.length - 1;
  const name = label(v);
  const threshold = h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', class: 'v-threshold', value: v.low_stock_threshold ?? '', placeholder: t('variants.shopRule') });
  const thresholdId = `threshold-${v.sku}`;
  const save = async (body, done, refused) => {
    const answer = await adminApi(`/api/v1/admin/variants/${encodeURIComponent(v.sku)}`, { method: 'PATCH', body });
    if (!answer.ok) { toast((answer.status === 409 && refused) || answer.data.detail); return; }
    toast(done, 'ok');
    await reload();
  };
  threshold.addEventListener('change', () => {
    const raw = threshold.value.trim();
    const n = raw === '' ? null : Number(raw);
    if (n !== null && (!Number.isInteger(n) || n < 0)) { toast(t('admin.wholeNumber')); threshold.focus(); return; }
    save({ low_stock_threshold: n }, t('variants.thresholdSaved', { size: name }));
  });
  const move = (to, text, arrow, disabled) => h('button', {
    type: 'button', class: 'btn btn-ghost btn-small move', disabled, 'aria-label': t(text, { size: name }),
    onclick: () => save({ position: to }, t('variants.moved', { size: name })),
  }, arrow);
  const retire = h('button', {
    type: 'button', class: `btn btn-small ${v.retired ? 'btn-ghost' : 'btn-danger-ghost'} retire`,
    // A refusal names the size (the server's sentence names its reference).
    onclick: () => save({ retired: !v.retired }, t(v.retired ? 'variants.backOnSale' : 'variants.retiredDone', { size: name }),
      v.available > 0 ? t('variants.holdsStock', { size: name, n: v.available }) : t('variants.lastForSale', { size: name })),
  }, v.retired ? t('variants.sellAgain') : t('variants.retire'));
  return h('li', { class: `variant-item${v.retired ? ' retired' : ''}`, dataset: { sku: v.sku } },
    h('div', { class: 'variant-name' },
      h('strong', null, name),
      h('span', { class: 'muted' }, ` · ${v.sku}`),
      v.retired ? h('span', { class: 'badge badge-muted' }, t('variants.retired')) : null),
    h('p', { class: 'variant-stock' },
      t('variants.inStock', { n: v.available }),
      v.low && !v.retired ? h('span', { class: 'badge badge-low' }, t('audit.low')) : null),
    h('div', { class: 'variant-threshold' },
      h('label', { for: thresholdId }, t('variants.threshold')), Object.assign(threshold, { id: thresholdId })),
    h('div', { class: 'variant-actions' },
      move(index - 1, 'variants.up', '↑', index === 0),
      move(index + 1, 'variants.down', '↓', index === last),
      retire),
    preorderSettings(v, name, reload));
}

function addForm(product, reload) {
  const size = h('input', { type: 'text', maxlength: 32, required: true, autocomplete: 'off' });
  const color = h('input', { type: 'text', maxlength: 32, autocomplete: 'off' });
  const stock = h('input', { type: 'number', min: 0, step: 1, value: 0, inputmode: 'numeric' });
  const error = h('p', { class: 'field-error', role: 'alert', id: 'add-size-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-small', id: 'add-size' }, t('admin.addSize'));
  const form = h('form', { class: 'add-size', novalidate: true, 'aria-labelledby': 'add-size-title' },
    h('h3', { id: 'add-size-title' }, t('variants.addTitle')),
    h('div', { class: 'form-grid' },
      field('new-size', t('admin.size'), size),
      field('new-color', t('admin.color'), color, t('variants.colorHint')),
      field('new-stock', t('admin.initialStock'), stock)),
    error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!size.value.trim()) { error.textContent = t('variants.sizeRequired'); size.focus(); return; }
    const n = stock.value === '' ? 0 : Number(stock.value);
    if (!Number.isInteger(n) || n < 0) { error.textContent = t('admin.wholeNumber'); stock.focus(); return; }
    submit.disabled = true;
    const body = { size: size.value.trim(), color: color.value.trim() || null, stock: n };
    const answer = await adminApi(`/api/v1/admin/products/${encodeURIComponent(product.id)}/variants`, { method: 'POST', body });
    submit.disabled = false;
    if (!answer.ok) {
      const fields = answer.data.errors || [];
      error.textContent = fields.length ? fields.map((f) => f.detail).join(' ') : answer.data.detail;
      return;
    }
    toast(t('variants.added', { size: label(answer.data), n: answer.data.available }), 'ok');
    await reload();
  });
  return form;
}

/** The status choice of the product form. */
export function statusSelect(current) {
  return h('select', { class: 'p-status' },
    ['active', 'draft', 'archived'].map((s) => h('option', { value: s, selected: s === (current || 'active') }, t(`productStatus.${s}`))));
}

/** A product's status as a badge, none for an active one. */
export function productStatusBadge(status) {
  return status && status !== 'active' ? h('span', { class: `badge badge-${status}` }, t(`productStatus.short.${status}`)) : null;
}

