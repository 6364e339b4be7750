// Back office, "Import / export" (`#/csv`): the catalog, the stock and the
// movements of a period downloaded as CSV (for Excel if asked); and, for the
// owner, a catalog file checked by a dry run (what it creates, changes, and
// every refused line) before "Appliquer" imports it, all or nothing.

import { h, mount, toast } from './common.js';
import { lang, t } from './i18n.js';
import { adminApi, downloadCsv, field, isOwner, table } from './admin-core.js';

/** The import's body limit (CSV_IMPORT_BYTES_MAX on the server). */
const IMPORT_BYTES_MAX = 5 * 1024 * 1024;

export async function csvView(app) {
  mount(app,
    h('div', { class: 'page-head' }, h('h1', null, t('csv.title'))),
    exportPanel(),
    isOwner() ? importPanel() : h('p', { class: 'muted', id: 'csv-import-owner' }, t('csv.ownerOnly')));
}

function exportPanel() {
  const excel = h('input', { type: 'checkbox', id: 'csv-excel' });
  const stock = h('input', { type: 'checkbox', id: 'csv-stock' });
  const today = new Date().toISOString().slice(0, 10);
  const from = h('input', { type: 'date', name: 'from', max: today });
  const to = h('input', { type: 'date', name: 'to', value: today, max: today });
  const query = (extra = {}) => {
    const q = new URLSearchParams({ lang: lang(), ...extra });
    if (excel.checked) q.set('excel', '1');
    return q;
  };
  const button = (id, label, path) => h('button', { type: 'button', class: 'btn btn-ghost', id, onclick: () => downloadCsv(path()) }, label);
  const movements = h('form', { class: 'filters', id: 'csv-movements' },
    field('csv-from', t('admin.from'), from), field('csv-to', t('admin.toInclusive'), to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-ghost', id: 'export-movements' }, t('csv.movements'))));
  movements.addEventListener('submit', (event) => {
    event.preventDefault();
    if (from.value && to.value && from.value > to.value) { toast(t('csv.badPeriod')); from.focus(); return; }
    const extra = {};
    if (from.value) extra.from = from.value;
    if (to.value) extra.to = to.value;
    downloadCsv(`/api/v1/admin/export/movements.csv?${query(extra)}`);
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'csv-export-title' },
    h('h2', { id: 'csv-export-title' }, t('csv.exportTitle')),
    h('p', { class: 'check' }, excel, ' ', h('label', { for: 'csv-excel' }, t('csv.excel'))),
    h('p', { class: 'hint' }, t('csv.excelHint')),
    h('p', { class: 'check' }, stock, ' ', h('label', { for: 'csv-stock' }, t('csv.withStock'))),
    h('div', { class: 'head-actions csv-buttons' },
      button('export-catalog', t('csv.catalog'), () => `/api/v1/admin/export/catalog.csv?${query(stock.checked ? { stock: '1' } : {})}`),
      button('export-stock', t('csv.stock'), () => `/api/v1/admin/export/stock.csv?${query()}`)),
    h('h3', null, t('csv.movementsTitle')),
    movements);
}

function importPanel() {
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const check = h('button', { type: 'submit', class: 'btn btn-primary', id: 'csv-check' }, t('csv.check'));
  const result = h('div', { id: 'csv-result', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { id: 'csv-import', novalidate: true },
    field('csv-file', t('csv.file'), file, t('csv.fileHint')),
    check);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) { mount(result, h('p', { class: 'field-error' }, t('csv.noFile'))); file.focus(); return; }
    if (chosen.size > IMPORT_BYTES_MAX) { mount(result, h('p', { class: 'alert alert-error' }, t('csv.tooLarge'))); return; }
    check.disabled = true;
    mount(result, h('p', { class: 'muted' }, t('csv.checking')));
    const answer = await send(chosen, true);
    check.disabled = false;
    showDryRun(result, answer, chosen);
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'csv-import-title' },
    h('h2', { id: 'csv-import-title' }, t('csv.importTitle')),
    h('p', null, t('csv.importLead')),
    form, result);
}

/** Sends the file as it is, bytes and all: the server reads its encoding and separator. */
function send(file, dryRun) {
  return adminApi(`/api/v1/admin/import/catalog?dry_run=${dryRun}`, {
    method: 'POST', body: file, headers: { 'Content-Type': 'text/csv' },
  });
}

/** What an answer counts, as a list a person reads. */
function counts(data) {
  return h('ul', { class: 'csv-counts' },
    ['created', 'updated', 'variants_created', 'variants_updated', 'stock_changes'].map((k) =>
      h('li', { dataset: { count: k } }, h('strong', null, String(data[k] ?? 0)), ' ', t(`csv.count.${k}`, { n: data[k] ?? 0 }))));
}

function showDryRun(result, answer, file) {
  const data = answer.data || {};
  if (answer.ok) {
    const nothing = ['created', 'updated', 'variants_created', 'variants_updated', 'stock_changes'].every((k) => !data[k]);
    const apply = h('button', { type: 'button', class: 'btn btn-primary', id: 'csv-apply' }, t('csv.apply'));
    apply.addEventListener('click', async () => {
      apply.disabled = true;
      const applied = await send(file, false);
      if (applied.ok) {
        mount(result, h('p', { class: 'alert alert-ok', id: 'csv-applied' }, t('csv.applied')), counts(applied.data));
        toast(t('csv.applied'), 'ok');
      } else {
        showDryRun(result, applied, file);
      }
    });
    mount(result,
      h('p', { class: 'alert alert-ok', id: 'csv-ready' }, nothing ? t('csv.nothing') : t('csv.ready')),
      counts(data),
      nothing ? null : apply);
    return;
  }
  if (!Array.isArray(data.errors) || !data.errors.length) {
    mount(result, h('p', { class: 'alert alert-error', role: 'alert' }, data.detail));
    return;
  }
  const more = data.errors_total > data.errors.length ? h('p', { class: 'muted' }, t('csv.more', { n: data.errors_total - data.errors.length })) : null;
  mount(result,
    h('p', { class: 'alert alert-error', role: 'alert', id: 'csv-refused' }, data.detail),
    table(t('csv.errorsTitle'), [t('csv.line'), t('csv.column'), t('csv.problem')],
      data.errors.map((e) => h('tr', { dataset: { line: String(e.line) } },
        h('td', { class: 'num' }, String(e.line)), h('td', null, e.field || '—'), h('td', null, e.detail))),
      'csv-errors'),
    more);
}
