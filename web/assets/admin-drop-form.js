// Back office: the form that schedules a drop (`#/ventes-flash/nouvelle`)
// or edits one before it opens (`#/ventes-flash/{id}/modifier`): its name
// and page address, its window in this device's time, whether its items
// hide until the opening, the cap per customer, and its lines, each a
// size picked from a product with the units offered and a price or a
// percentage off. The server checks everything again (stock, overlaps).

import { h, money, mount, toast } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, showProblem, variantName } from './admin-core.js';
import { dropHref } from './admin-drops.js';
import './admin-drops-i18n.js';

const SEARCH_RESULTS_MAX = 8;
/** Numbers the lines' fields, so that no two ever share an id. */
let lineIds = 0;
const NAME_MAX = 100;
const SLUG_MAX = 100;

/** `Capsule de Noël` → `capsule-de-noel`, as the server's slugs read. */
export function slugOf(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, SLUG_MAX).replace(/-+$/, '');
}

/** An RFC 3339 time as a `datetime-local` value, in this device's time. */
function localValue(iso) {
  const at = new Date(iso);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

/** The next whole hour from now, plus `hours`. */
function wholeHour(hours) {
  const at = new Date();
  at.setMinutes(0, 0, 0);
  at.setHours(at.getHours() + 1 + hours);
  return at.toISOString();
}

/** `#/ventes-flash/nouvelle`, or with `id` the edit of a drop not started. */
export async function dropFormView(app, id) {
  let drop = null;
  if (id) {
    const answer = await adminApi(`/api/v1/admin/drops/${encodeURIComponent(id)}`);
    if (!answer.ok) { mount(app, h('h1', null, t('drops.form.edit')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
    drop = answer.data;
  }
  const shop = await adminApi('/api/v1/shop');
  const currency = shop.ok ? shop.data.currency : 'XOF';
  const name = h('input', { type: 'text', maxlength: NAME_MAX, required: true, autocomplete: 'off', value: drop?.name || '' });
  const slug = h('input', { type: 'text', maxlength: SLUG_MAX, required: true, autocomplete: 'off', spellcheck: 'false', value: drop?.slug || '' });
  const starts = h('input', { type: 'datetime-local', required: true, value: localValue(drop?.starts_at || wholeHour(0)) });
  const ends = h('input', { type: 'datetime-local', required: true, value: localValue(drop?.ends_at || wholeHour(2)) });
  const hidden = h('input', { type: 'checkbox', id: 'd-hidden', checked: drop ? drop.hidden_until_start : true, 'aria-describedby': 'd-hidden-hint' });
  const cap = h('input', { type: 'number', min: 1, step: 1, inputmode: 'numeric', value: drop?.max_units_per_customer ?? 2 });
  const search = h('input', { type: 'search', maxlength: 200, autocomplete: 'off' });
  const results = h('div', { id: 'd-results', 'aria-live': 'polite' });
  const lineList = h('ul', { class: 'drop-form-lines', id: 'd-lines' });
  const alert = h('div', { class: 'alert alert-error', id: 'd-alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'd-submit' }, t(drop ? 'drops.form.save' : 'drops.form.submit'));
  /** The lines as rows: `{sku, inputs: {units, price, percent}, row}`. */
  const rows = [];

  let slugTouched = Boolean(drop);
  slug.addEventListener('input', () => { slugTouched = true; });
  name.addEventListener('input', () => { if (!slugTouched) slug.value = slugOf(name.value); });

  const addLine = (variant, stock) => {
    if (rows.some((r) => r.sku === variant.sku)) { toast(t('drops.form.added', { item: variantName(variant) })); return; }
    lineIds += 1;
    const n = lineIds;
    const units = h('input', { type: 'number', min: 1, step: 1, inputmode: 'numeric', required: true, value: variant.units ?? (Math.min(stock ?? 1, 10) || 1) });
    const price = h('input', { type: 'number', min: 1, step: 1, inputmode: 'numeric', value: variant.price ?? '' });
    const percent = h('input', { type: 'number', min: 1, max: 90, step: 1, inputmode: 'numeric', value: variant.percent_off ?? '' });
    const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('drops.form.removeLine', { item: variantName(variant) }) }, t('drops.form.remove'));
    const row = h('li', { class: 'drop-form-line', dataset: { sku: variant.sku } },
      h('p', { class: 'drop-form-item' }, h('strong', null, variantName(variant)), ' ', h('small', { class: 'muted sku' }, variant.sku),
        stock === undefined ? null : [h('br'), h('small', { class: 'muted' }, t('drops.form.stock', { n: stock }))]),
      h('div', { class: 'drop-form-fields' },
        field(`d-units-${n}`, t('drops.form.units'), units),
        field(`d-price-${n}`, `${t('drops.form.price')} (${currency === 'XOF' ? 'FCFA' : currency})`, price),
        field(`d-percent-${n}`, t('drops.form.percent'), percent)),
      h('p', { class: 'hint' }, t('drops.form.priceHint', { price: money(variant.product_price ?? 0, currency) })),
      remove);
    const entry = { sku: variant.sku, inputs: { units, price, percent }, row };
    remove.addEventListener('click', () => { rows.splice(rows.indexOf(entry), 1); row.remove(); search.focus(); });
    rows.push(entry);
    lineList.append(row);
  };
  for (const line of drop?.lines || []) addLine(line, undefined);

  const pickSizes = (product) => {
    mount(results, h('fieldset', { class: 'drop-pick' },
      h('legend', null, t('drops.form.pick', { title: product.title })),
      h('div', { class: 'pick-results' }, product.variants.filter((v) => !v.retired).map((v) => h('button', {
        type: 'button', class: 'btn btn-ghost btn-small', dataset: { sku: v.sku },
        onclick: () => addLine({ ...v, title: product.title, product_price: product.price }, v.available),
      }, `${v.size}${v.color ? ` · ${v.color}` : ''} (${v.available})`)))));
    results.querySelector('button')?.focus();
  };
  const showResults = async () => {
    const q = search.value.trim();
    if (!q) { mount(results); return; }
    const answer = await adminApi(`/api/v1/admin/products?q=${encodeURIComponent(q)}`);
    if (!answer.ok) { mount(results, h('p', { class: 'muted' }, answer.data.detail)); return; }
    const found = answer.data.products.slice(0, SEARCH_RESULTS_MAX);
    mount(results, found.length ? h('ul', { class: 'pick-results' }, found.map((p) => h('li', null,
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { slug: p.slug }, onclick: () => pickSizes(p) }, p.title))))
      : h('p', { class: 'muted' }, t('drops.form.none')));
    results.dataset.q = q;
  };
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(showResults, 250); });

  const form = h('form', { class: 'drop-form', id: 'drop-form', novalidate: true },
    h('div', { class: 'panel' },
      h('div', { class: 'form-grid' },
        field('d-name', t('drops.form.name'), name, t('drops.form.nameHint')),
        field('d-slug', t('drops.form.slug'), slug, t('drops.form.slugHint'))),
      h('div', { class: 'form-grid' },
        field('d-starts', t('drops.form.starts'), starts, t('drops.form.timeHint')),
        field('d-ends', t('drops.form.ends'), ends, t('drops.form.timeHint'))),
      h('div', { class: 'check-explained drop-hidden-choice' }, hidden, h('label', { for: 'd-hidden' }, t('drops.form.hidden')),
        h('p', { class: 'hint', id: 'd-hidden-hint' }, t('drops.form.hiddenHint'))),
      field('d-cap', t('drops.form.cap'), cap, t('drops.form.capHint'))),
    h('div', { class: 'panel' },
      h('h2', null, t('drops.lines')),
      lineList,
      field('d-search', t('drops.form.search'), search, t('drops.form.searchHint')),
      results),
    h('div', { class: 'panel form-actions' }, alert, submit));

  const locate = (apiField) => {
    const own = { name: [name, t('drops.form.name')], slug: [slug, t('drops.form.slug')], starts_at: [starts, t('drops.form.starts')],
      ends_at: [ends, t('drops.form.ends')], max_units_per_customer: [cap, t('drops.form.cap')] }[apiField];
    if (own) return { input: own[0], label: own[1] };
    const match = /^lines\[(\d+)\](?:\.(\w+))?$/.exec(apiField);
    const row = match && rows[Number(match[1])];
    if (!row) return apiField === 'lines' ? { input: search, label: t('drops.form.search') } : null;
    const input = { units: row.inputs.units, price: row.inputs.price, percent_off: row.inputs.percent }[match[2]] || row.inputs.price;
    return { input, label: { units: t('drops.form.units'), percent_off: t('drops.form.percent') }[match[2]] || t('drops.form.price') };
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = collect();
    if (!body) return;
    submit.disabled = true;
    const answer = drop
      ? await adminApi(`/api/v1/admin/drops/${encodeURIComponent(drop.id)}`, { method: 'PATCH', body })
      : await adminApi('/api/v1/admin/drops', { method: 'POST', body });
    submit.disabled = false;
    if (!answer.ok) {
      const first = showProblem(answer.data, locate, alert);
      (first || alert).focus?.();
      return;
    }
    toast(t(drop ? 'drops.saved' : 'drops.created', { name: answer.data.name }), 'ok');
    location.hash = dropHref(answer.data.id);
  });

  /** The body to send, or null with the first mistake the page can see said. */
  const collect = () => {
    const fail = (message, input) => {
      mount(alert, h('p', null, message));
      alert.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return null;
    };
    form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
    alert.hidden = true;
    if (!name.value.trim()) return fail(t('drops.form.required', { what: t('drops.form.name').toLowerCase() }), name);
    if (!slug.value.trim()) return fail(t('drops.form.required', { what: t('drops.form.slug').toLowerCase() }), slug);
    for (const input of [starts, ends]) if (!input.value) return fail(t('drops.form.badTime'), input);
    if (!rows.length) return fail(t('drops.form.noLine'), search);
    const number = (input) => (input.value.trim() === '' ? null : Number(input.value));
    for (const input of [cap, ...rows.flatMap((r) => Object.values(r.inputs))]) {
      const n = number(input);
      if (n !== null && !Number.isInteger(n)) return fail(t('drops.form.badNumber'), input);
    }
    return {
      name: name.value.trim(),
      slug: slug.value.trim(),
      starts_at: new Date(starts.value).toISOString(),
      ends_at: new Date(ends.value).toISOString(),
      hidden_until_start: hidden.checked,
      max_units_per_customer: number(cap),
      lines: rows.map((r) => ({ sku: r.sku, units: number(r.inputs.units), price: number(r.inputs.price), percent_off: number(r.inputs.percent) })),
    };
  };

  mount(app,
    h('p', { class: 'breadcrumb' }, h('a', { href: drop ? dropHref(drop.id) : '#/ventes-flash' }, `‹ ${drop ? drop.name : t('drops.back')}`)),
    h('h1', null, t(drop ? 'drops.form.edit' : 'drops.form.new')),
    form);
}
