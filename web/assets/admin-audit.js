// Back office, "Vérification": per size, ledger = stock = orders; the global
// banner, the CSV export, the reference date; and the shop's settings.

import { confirmDialog, h, mount, toast, when } from './common.js';
import { lang, t } from './i18n.js';
import { adminApi, downloadCsv, field, isOwner, signed, table, variantName } from './admin-core.js';
import { shopSection } from './admin-shop.js';
import './admin-desk-i18n.js';
import './admin-preorders-i18n.js';

const COLUMNS = ['initial', 'restocked', 'adjusted', 'sold', 'returned', 'allocated', 'expected', 'available', 'difference'];

export async function auditView(app) {
  const answer = await adminApi('/api/v1/admin/audit');
  if (!answer.ok) { mount(app, h('h1', null, t('audit.title')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
  const report = answer.data;
  const counts = { ok: 0, low: 0, sold_out: 0, anomaly: 0 };
  report.variants.forEach((v) => { counts[v.status] += 1; });
  const refresh = h('button', { type: 'button', class: 'btn btn-ghost', id: 'audit-refresh', onclick: () => auditView(app).then(() => toast(t('audit.refreshed'), 'ok')) }, t('action.refresh'));
  const csv = h('button', { type: 'button', class: 'btn btn-ghost', id: 'audit-csv', onclick: () => downloadCsv(`/api/v1/admin/audit.csv?lang=${lang()}`) }, t('audit.csv'));
  const reference = isOwner() ? h('button', { type: 'button', class: 'btn btn-ghost', id: 'audit-reference', onclick: () => resetReference(app) }, t('audit.setReference')) : null;
  mount(app,
    h('div', { class: 'page-head' }, h('h1', null, t('audit.title')), h('div', { class: 'head-actions' }, refresh, csv, reference)),
    h('div', { class: `banner ${report.consistent ? 'banner-ok' : 'banner-bad'}`, id: 'audit-banner', role: 'status' },
      h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, report.consistent ? '✓' : '!'),
      h('div', null,
        h('p', { class: 'banner-title' }, report.consistent ? t('audit.consistent') : t('audit.anomalies')),
        h('p', null, report.consistent ? t('audit.consistentLead') : t('audit.anomaliesLead', { n: counts.anomaly + report.negative_stock.length + report.customer_counts.length })))),
    h('p', { class: 'muted', id: 'reference-date' }, since(report.reference_date)),
    h('ul', { class: 'counters' }, Object.entries(counts).map(([k, n]) => h('li', { class: `counter counter-${k}` }, h('strong', null, String(n)), ' ', t(`audit.${k}`)))),
    report.negative_stock.length ? h('div', { class: 'alert alert-error', role: 'alert' },
      h('p', null, t('audit.negative')),
      h('ul', null, report.negative_stock.map((n) => {
        const named = report.variants.find((v) => v.sku === n.sku);
        return h('li', null, `${named ? variantName(named) : n.sku} : ${n.available}`);
      }))) : null,
    report.customer_counts.length ? h('div', { class: 'alert alert-error', role: 'alert', id: 'customer-counts' },
      h('p', null, t('audit.customerCounts')),
      h('ul', null, report.customer_counts.map((c) => h('li', null, t('audit.customerCount', c))))) : null,
    preorderMismatches(report),
    h('p', { class: 'muted', id: 'audit-legend' }, t('audit.legend')),
    table(t('audit.title'), [t('admin.article'), t('admin.size'), ...COLUMNS.map((c) => t(`audit.col.${c}`)), t('admin.status')],
      report.variants.map((v, i) => {
        // A product's title heads its first size in bold; the next sizes
        // name it again, quieter, so no row is a bare reference.
        const first = !i || report.variants[i - 1].product_id !== v.product_id;
        return h('tr', { class: `row-${v.status}${first ? ' first-of-product' : ''}`, dataset: { sku: v.sku } },
        h('td', null, h(first ? 'strong' : 'span', { class: first ? null : 'muted' }, v.title), h('br'), h('small', { class: 'muted sku' }, v.sku)),
        h('td', null, [v.size, v.color].filter(Boolean).join(' · ')),
        COLUMNS.map((c) => h('td', { class: `num${c === 'difference' && v.difference !== 0 ? ' neg' : ''}` }, c === 'adjusted' || c === 'difference' ? signed(v[c]) : String(v[c]))),
        h('td', null, h('span', { class: `audit-status audit-${v.status}` }, t(`audit.${v.status}`))));
      }), 'audit-table'));
}

/**
 * The sizes whose preorder figures disagree: places taken on the stock
 * against the orders waiting, units given in the ledger against the lines.
 */
function preorderMismatches(report) {
  const off = (report.preorders && report.preorders.mismatches) || [];
  if (!off.length) return null;
  const nameOf = (sku) => {
    const named = report.variants.find((v) => v.sku === sku);
    return named ? variantName(named) : sku;
  };
  return h('div', { class: 'alert alert-error', role: 'alert', id: 'preorder-mismatches' },
    h('p', null, t('audit.preorderMismatches')),
    h('ul', null, off.map((m) => h('li', null, t('audit.preorderMismatch', { ...m, name: nameOf(m.sku) })))));
}

/** The reference date in words; the default one (1970) means "since the shop opened". */
function since(date) {
  return date && date < '2000' ? t('audit.sinceStart') : t('audit.since', { date: when(date) });
}

async function resetReference(app) {
  if (!(await confirmDialog(t('audit.referenceConfirm'), t('audit.setReferenceYes')))) return;
  const answer = await adminApi('/api/v1/admin/settings', { method: 'PUT', body: { reference_date: new Date().toISOString() } });
  if (!answer.ok) { toast(answer.data.detail); return; }
  await auditView(app);
  toast(t('audit.referenceSet'), 'ok');
}

/** `#/reglages`: the per-customer order limit, the low-stock percent, the shop's country. */
export async function settingsView(app) {
  const answer = await adminApi('/api/v1/admin/settings');
  if (!answer.ok) { mount(app, h('h1', null, t('admin.settings')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
  const s = answer.data;
  const limit = h('input', { type: 'number', min: 1, step: 1, value: s.order_limit_per_customer ?? '', inputmode: 'numeric' });
  const units = h('input', { type: 'number', min: 0, step: 1, value: s.low_stock_units ?? '', inputmode: 'numeric' });
  const percent = h('input', { type: 'number', min: 0, max: 100, step: 1, value: s.low_stock_percent, required: true, inputmode: 'numeric' });
  const country = h('input', { type: 'text', value: s.default_country, maxlength: 2, required: true, autocapitalize: 'characters' });
  const pickup = h('input', { type: 'checkbox', id: 's-pickup', checked: s.pickup_number_required, 'aria-describedby': 's-pickup-hint' });
  const error = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  // Staff read the settings; only the owner changes them.
  const owner = isOwner();
  for (const input of [limit, units, percent, country, pickup]) input.disabled = !owner;
  const form = h('form', { class: 'panel settings-form', id: 'settings-form', novalidate: true },
    owner ? null : h('p', { class: 'alert alert-warn', id: 'settings-read-only' }, t('settings.ownerOnly')),
    field('s-limit', t('settings.limit'), limit, t('settings.limitHint')),
    field('s-units', t('settings.units'), units, t('settings.unitsHint')),
    field('s-percent', t('settings.percent'), percent, t('settings.percentHint')),
    field('s-country', t('settings.country'), country, t('settings.countryHint')),
    h('div', { class: 'field' },
      h('div', { class: 'check' }, pickup, h('label', { for: 's-pickup' }, t('settings.pickup'))),
      h('p', { class: 'hint', id: 's-pickup-hint' }, t('settings.pickupHint'))),
    h('p', { class: 'muted' }, since(s.reference_date), ' · ', h('a', { href: '#/verification' }, t('audit.title'))),
    error,
    owner ? h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.save'))) : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      order_limit_per_customer: limit.value === '' ? null : Number(limit.value),
      low_stock_units: units.value === '' ? null : Number(units.value),
      low_stock_percent: percent.value === '' ? undefined : Number(percent.value),
      default_country: country.value.trim(),
      pickup_number_required: pickup.checked,
    };
    const saved = await adminApi('/api/v1/admin/settings', { method: 'PUT', body });
    if (!saved.ok) { error.textContent = saved.data.detail; error.hidden = false; return; }
    error.hidden = true;
    toast(t('settings.saved'), 'ok');
  });
  mount(app, h('h1', null, t('admin.settings')), await shopSection(), h('h2', { class: 'section-title' }, t('settings.rules')), form);
}
