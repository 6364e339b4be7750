// Back office, products: stock per size with low and sold-out sizes marked,
// restock ("+") and adjustment dialogs, and the create / edit form (ETag)
// with the product's photos and sizes.

import { h, money, mount, thumbnailOf, toast } from './common.js';
import { t } from './i18n.js';
import { adminApi, showProblem, field, foldedFilters, hashQuery, variantName } from './admin-core.js';
import { photosSection } from './admin-photos.js';
import { productStatusBadge, statusSelect, variantsSection } from './admin-variants.js';

/** `#/produits`: the products the filters keep, each size with its stock and its buttons. */
export async function productsView(app) {
  const query = hashQuery();
  const filters = { q: query.get('q') || '', status: query.get('status') || '', stock: query.get('stock') || '' };
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const products = await adminApi(`/api/v1/admin/products${params.size ? `?${params}` : ''}`);
  if (!products.ok) { mount(app, h('h1', null, t('admin.products')), h('p', { class: 'alert alert-error', role: 'alert' }, products.data.detail)); return; }
  const list = products.data.products;
  const forSale = list.flatMap((p) => p.variants.filter((v) => !v.retired));
  const low = forSale.filter((v) => v.low).length;
  const out = forSale.filter((v) => v.available <= 0).length;
  mount(app,
    h('div', { class: 'page-head' },
      h('h1', null, t('admin.products')),
      h('a', { class: 'btn btn-primary', href: '#/produits/nouveau', id: 'new-product' }, t('admin.newProduct'))),
    foldedFilters(filterBar(filters), Object.values(filters).filter(Boolean).length),
    h('p', { class: 'legend' },
      h('span', { class: 'stock-chip-demo low' }, t('admin.lowCount', { n: low })), ' ',
      h('span', { class: 'stock-chip-demo out' }, t('admin.outCount', { n: out })), ' ',
      h('span', { class: 'muted' }, t('admin.stockLegend'))),
    list.length ? null : h('p', { class: 'empty', id: 'no-products' }, t('catalog.none')),
    h('ul', { class: 'admin-products', id: 'admin-products' }, list.map((p) => productRow(app, p))));
}

/** Search, status and stock: kept in the address, so a reload or a link keeps them. */
function filterBar(filters) {
  const q = h('input', { type: 'search', id: 'product-search', value: filters.q, maxlength: 200, autocomplete: 'off', placeholder: t('catalog.searchHint') });
  const status = h('select', { id: 'product-status' },
    h('option', { value: '' }, t('catalog.allStatuses')),
    ['active', 'draft', 'archived'].map((s) => h('option', { value: s, selected: filters.status === s }, t(`productStatus.short.${s}`))));
  const stock = h('select', { id: 'product-stock' },
    h('option', { value: '' }, t('catalog.allStock')),
    h('option', { value: 'low', selected: filters.stock === 'low' }, t('catalog.lowOnly')),
    h('option', { value: 'sold_out', selected: filters.stock === 'sold_out' }, t('catalog.soldOutOnly')));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('catalog.filters') },
    h('div', { class: 'field field-grow' }, h('label', { for: 'product-search' }, t('catalog.search')), q),
    h('div', { class: 'field' }, h('label', { for: 'product-status' }, t('catalog.status')), status),
    h('div', { class: 'field' }, h('label', { for: 'product-stock' }, t('catalog.stock')), stock),
    h('button', { type: 'submit', class: 'btn btn-ghost' }, t('catalog.apply')));
  const go = () => {
    const next = new URLSearchParams(Object.entries({ q: q.value.trim(), status: status.value, stock: stock.value }).filter(([, v]) => v));
    location.hash = `#/produits${next.size ? `?${next}` : ''}`;
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); go(); });
  status.addEventListener('change', go);
  stock.addEventListener('change', go);
  return form;
}

function productRow(app, p) {
  const forSale = p.variants.filter((v) => !v.retired);
  const retired = p.variants.length - forSale.length;
  return h('li', { class: `admin-product${p.status !== 'active' ? ' not-public' : ''}`, dataset: { slug: p.slug } },
    h('div', { class: 'admin-product-head' },
      thumbnailOf(p) ? h('img', { src: thumbnailOf(p), alt: '', width: 56, height: 56 }) : h('span', { class: 'thumb' }),
      h('div', { class: 'admin-product-title' },
        h('h2', null, p.title, ' ', productStatusBadge(p.status)),
        h('p', { class: 'muted' }, `${p.category || '—'} · ${money(p.price, p.currency)}`,
          p.old_price ? h('s', { class: 'price-old' }, ` ${money(p.old_price, p.currency)}`) : null,
          p.in_stock ? null : [' · ', h('strong', { class: 'text-danger' }, t('product.soldOut'))],
          retired ? ` · ${t('variants.retiredCount', { n: retired })}` : null)),
      h('a', { class: 'btn btn-ghost btn-small', href: `#/produits/${encodeURIComponent(p.id)}` }, t('admin.edit'))),
    h('ul', { class: 'stock-chips', 'aria-label': t('admin.stockOf', { title: p.title }) },
      forSale.map((v) => stockChip(app, p, v))));
}

function stockChip(app, p, v) {
  const label = variantName({ title: p.title, size: v.size, color: v.color });
  const state = v.low ? 'low' : '';
  const cls = v.available <= 0 ? 'out' : state;
  return h('li', { class: `stock-chip ${cls}`, dataset: { sku: v.sku } },
    h('span', { class: 'chip-size' }, v.size, v.color ? h('small', null, ` ${v.color}`) : null),
    h('span', { class: 'chip-qty' }, String(v.available)),
    h('span', { class: 'chip-state' }, v.available <= 0 ? t('audit.sold_out') : state === 'low' ? t('audit.low') : ''),
    h('button', { type: 'button', class: 'chip-btn restock', 'aria-label': t('admin.restockOf', { label }), title: t('admin.restock'), onclick: () => stockDialog(app, p, v, 'restock') }, '+'),
    h('button', { type: 'button', class: 'chip-btn adjust', 'aria-label': t('admin.adjustOf', { label }), title: t('admin.adjust'), onclick: () => stockDialog(app, p, v, 'adjust') }, '±'),
    h('a', { class: 'chip-link', href: `#/mouvements?sku=${encodeURIComponent(v.sku)}`, 'aria-label': t('admin.historyOf', { label }) }, t('admin.history')));
}

/** The restock or adjustment dialog of one size. */
function stockDialog(app, p, v, kind) {
  const name = variantName({ title: p.title, size: v.size, color: v.color });
  const quantity = h('input', { type: 'number', min: kind === 'restock' ? 1 : undefined, max: 1000000, step: 1, value: kind === 'restock' ? 1 : '', required: true, inputmode: 'numeric' });
  const note = h('input', { type: 'text', maxlength: 500, required: kind === 'adjust', list: kind === 'adjust' ? 'reasons' : undefined });
  const mode = h('select', null,
    h('option', { value: 'delta' }, t('admin.adjustDelta')), h('option', { value: 'set' }, t('admin.adjustSet')));
  const error = h('p', { class: 'field-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, kind === 'restock' ? t('admin.restockSubmit') : t('admin.adjustSubmit'));
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, t('action.cancel'));
  const form = h('form', { method: 'dialog', novalidate: true },
    h('h2', { id: 'stock-dialog-title' }, `${kind === 'restock' ? t('admin.restock') : t('admin.adjust')} — ${name}`),
    h('p', { class: 'muted' }, t('admin.currentStock', { n: v.available })),
    kind === 'adjust' ? field('stock-mode', t('admin.adjustMode'), mode) : null,
    field('stock-quantity', kind === 'restock' ? t('admin.unitsAdded') : t('admin.units'), quantity, kind === 'adjust' ? t('admin.adjustHint') : null),
    field('stock-note', kind === 'restock' ? t('admin.note') : t('admin.reason'), note),
    h('datalist', { id: 'reasons' }, [t('admin.reasonCount'), t('admin.reasonDamaged'), t('admin.reasonLost'), t('admin.reasonFound')].map((r) => h('option', { value: r }))),
    error,
    h('div', { class: 'dialog-actions' }, cancel, submit));
  const dialog = h('dialog', { class: 'dialog', id: 'stock-dialog', 'aria-labelledby': 'stock-dialog-title' }, form);
  const close = () => { dialog.close(); dialog.remove(); };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const n = Number(quantity.value);
    if (quantity.value === '' || !Number.isInteger(n)) { error.textContent = t('admin.wholeNumber'); quantity.focus(); return; }
    if (kind === 'adjust' && !note.value.trim()) { error.textContent = t('admin.reasonRequired'); note.focus(); return; }
    const body = kind === 'restock'
      ? { quantity: n, note: note.value.trim() || null }
      : { [mode.value]: n, reason: note.value.trim() };
    submit.disabled = true;
    const answer = await adminApi(`/api/v1/admin/stock/${encodeURIComponent(v.sku)}/${kind}`, { method: 'POST', body });
    submit.disabled = false;
    if (!answer.ok) {
      // Below zero: said with the size's name rather than its reference.
      const short = answer.data.code === 'insufficient_stock' ? answer.data.lines?.[0] : null;
      error.textContent = short ? t('admin.belowZero', { name, n: short.available }) : answer.data.detail;
      return;
    }
    close();
    toast(t('admin.stockNow', { name, n: answer.data.available }), 'ok');
    await productsView(app);
  });
  document.body.append(dialog);
  dialog.showModal();
  quantity.focus();
  quantity.select?.();
}

const EDITABLE = ['title', 'slug', 'category', 'description', 'image_url', 'price', 'old_price'];

/** `#/produits/nouveau` and `#/produits/{id}`: the product's fields; sizes and initial stock on creation. */
export async function productFormView(app, id) {
  let product = null;
  let etag = null;
  if (id) {
    const answer = await adminApi(`/api/v1/admin/products/${encodeURIComponent(id)}`);
    if (!answer.ok) { mount(app, h('h1', null, t('admin.editProduct')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
    product = answer.data;
    etag = answer.headers.get('etag');
  }
  const inputs = {
    title: h('input', { type: 'text', maxlength: 200, required: true }),
    slug: h('input', { type: 'text', maxlength: 100, pattern: '[a-z0-9]+(-[a-z0-9]+)*' }),
    category: h('input', { type: 'text', maxlength: 100 }),
    description: h('textarea', { rows: 4, maxlength: 5000 }),
    image_url: h('input', { type: 'text', maxlength: 2000 }),
    price: h('input', { type: 'number', min: 0, step: 1, required: true, inputmode: 'numeric' }),
    old_price: h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric' }),
  };
  for (const key of EDITABLE) inputs[key].value = product && product[key] != null ? product[key] : '';
  const status = statusSelect(product?.status);
  const variants = h('tbody', { id: 'variant-rows' });
  const addVariant = (size = '', color = '', stock = 0) => variants.append(variantRow(size, color, stock));
  if (!product) { addVariant('S'); addVariant('M'); addVariant('L'); }
  const alert = h('div', { class: 'alert alert-error', id: 'product-alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'save-product' }, t('admin.save'));
  const form = h('form', { class: 'panel product-form', id: 'product-form', novalidate: true },
    h('div', { class: 'form-grid' },
      field('p-title', t('admin.fTitle'), inputs.title),
      field('p-slug', t('admin.fSlug'), inputs.slug, t('admin.fSlugHint')),
      field('p-category', t('admin.fCategory'), inputs.category),
      field('p-image', t('admin.fImage'), inputs.image_url, t('admin.fImageHint')),
      field('p-price', t('admin.fPrice'), inputs.price),
      field('p-old-price', t('admin.fOldPrice'), inputs.old_price, t('admin.fOldPriceHint')),
      field('p-status', t('catalog.status'), status, t('productStatus.hint'))),
    field('p-description', t('admin.fDescription'), inputs.description),
    product ? null
      : h('div', null, h('h2', null, t('admin.sizes')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
          // The last column holds the "remove" buttons: its header is for screen readers only.
          h('thead', null, h('tr', null, [t('admin.size'), t('admin.color'), t('admin.initialStock'), h('span', { class: 'sr-only' }, t('cart.remove'))].map((x) => h('th', { scope: 'col' }, x)))),
          variants)),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => addVariant() }, t('admin.addSize'))),
    alert,
    h('div', { class: 'form-actions' }, h('a', { class: 'btn btn-ghost', href: '#/produits' }, t('action.back')), submit));
  const labels = {
    title: t('admin.fTitle'), slug: t('admin.fSlug'), category: t('admin.fCategory'), description: t('admin.fDescription'),
    image_url: t('admin.fImage'), price: t('admin.fPrice'), old_price: t('admin.fOldPrice'), status: t('catalog.status'),
  };
  // The API's field names, as this form shows them: `variants[2].size` is the third row's size.
  const locate = (apiField) => {
    if (inputs[apiField]) return { input: inputs[apiField], label: labels[apiField] };
    if (apiField === 'status') return { input: status, label: labels.status };
    const row = /^variants\[(\d+)\]\.(size|color|stock)$/.exec(apiField);
    const cell = row && variants.querySelectorAll('tr')[Number(row[1])]?.querySelector(`.v-${row[2]}`);
    const names = { size: t('admin.size'), color: t('admin.color'), stock: t('admin.initialStock') };
    return cell ? { input: cell, label: names[row[2]] } : null;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {};
    for (const key of ['title', 'slug', 'category', 'description', 'image_url']) {
      const v = inputs[key].value.trim();
      // Empty means "none": left out on creation; on an edit, cleared.
      if (v) body[key] = v;
      else if (product && key === 'image_url') body[key] = null;
      else if (product && (key === 'category' || key === 'description')) body[key] = '';
    }
    body.price = inputs.price.value === '' ? undefined : Number(inputs.price.value);
    body.old_price = inputs.old_price.value === '' ? null : Number(inputs.old_price.value);
    body.status = status.value;
    if (!product) body.variants = [...variants.querySelectorAll('tr')].map(readVariant).filter((v) => v.size);
    submit.disabled = true;
    const answer = product
      ? await adminApi(`/api/v1/admin/products/${encodeURIComponent(product.id)}`, { method: 'PATCH', body, headers: { 'If-Match': etag || '' } })
      : await adminApi('/api/v1/admin/products', { method: 'POST', body });
    submit.disabled = false;
    if (!answer.ok) {
      const first = showProblem(answer.data, locate, alert);
      if (answer.status === 412) alert.append(h('button', { type: 'button', class: 'btn btn-ghost', id: 'reload-product', onclick: () => productFormView(app, id) }, t('admin.reload')));
      if (first) first.focus();
      else alert.scrollIntoView({ block: 'center' });
      return;
    }
    toast(product ? t('admin.saved') : t('admin.created', { title: answer.data.title }), 'ok');
    location.hash = '#/produits';
  });
  // The sizes of a product that exists are changed one at a time, apart
  // from the form's fields (which keep their ETag).
  const sizes = product ? h('div', { class: 'panel', id: 'sizes-panel' }) : null;
  const drawSizes = async (current) => {
    const fresh = current || await adminApi(`/api/v1/admin/products/${encodeURIComponent(product.id)}`);
    if (fresh.ok) mount(sizes, variantsSection(fresh.data, () => drawSizes()));
    else toast(fresh.data.detail);
  };
  if (product) await drawSizes({ ok: true, data: product });
  // Photos too, each change on its own.
  const photos = product ? h('div', { class: 'panel', id: 'photos-panel' }) : null;
  const drawPhotos = async (current) => {
    const fresh = current || await adminApi(`/api/v1/admin/products/${encodeURIComponent(product.id)}`);
    if (fresh.ok) mount(photos, photosSection(fresh.data, () => drawPhotos()));
    else toast(fresh.data.detail);
  };
  if (product) await drawPhotos({ ok: true, data: product });
  mount(app, h('p', { class: 'breadcrumb' }, h('a', { href: '#/produits' }, `‹ ${t('admin.products')}`)),
    h('h1', null, product ? t('admin.editTitle', { title: product.title }) : t('admin.newProduct')), form, photos, sizes);
}

function variantRow(size, color, stock) {
  const row = h('tr', null,
    h('td', null, h('input', { type: 'text', class: 'v-size', value: size, maxlength: 32, 'aria-label': t('admin.size') })),
    h('td', null, h('input', { type: 'text', class: 'v-color', value: color, maxlength: 32, 'aria-label': t('admin.color') })),
    h('td', null, h('input', { type: 'number', class: 'v-stock', value: stock, min: 0, step: 1, 'aria-label': t('admin.initialStock') })),
    h('td', null, h('button', { type: 'button', class: 'link-button', onclick: () => row.remove() }, t('cart.remove'))));
  return row;
}

function readVariant(row) {
  const value = (cls) => row.querySelector(cls).value.trim();
  return { size: value('.v-size'), color: value('.v-color') || null, stock: value('.v-stock') === '' ? 0 : Number(value('.v-stock')) };
}
