// Small pieces the orders' pages show from the desk's reports: the tabs of
// the "Commandes" section (the orders, the picking list, the customers),
// the button that downloads the listed orders as CSV, and the links to an
// order's packing slip and receipt.

import { h } from './common.js';
import { lang, t } from './i18n.js';
import { dayAfter, downloadCsv, hashQuery } from './admin-core.js';
import './admin-desk-i18n.js';

/** The pages of the "Commandes" section, each under its tab. */
const DESK_PAGES = [
  { hash: '#/commandes', key: 'admin.orders' },
  { hash: '#/preparation', key: 'picking.title' },
  { hash: '#/clients', key: 'customers.title' },
];

/** The section's tabs, `current` (a hash of `DESK_PAGES`) marked. */
export function deskTabs(current) {
  return h('nav', { class: 'settings-tabs desk-tabs no-print', 'aria-label': t('desk.tabs') },
    h('ul', null, DESK_PAGES.map((p) => h('li', null,
      h('a', { href: p.hash, 'aria-current': p.hash === current ? 'page' : null }, t(p.key))))));
}

/** The list's filters as the API reads them, from the hash (`#/commandes?status=…&to=<day included>`). */
export function listFilters(query = hashQuery()) {
  const params = new URLSearchParams();
  for (const key of ['status', 'payment', 'q', 'from']) if (query.get(key)) params.set(key, query.get(key));
  if (query.get('to')) params.set('to', dayAfter(query.get('to')));
  return params;
}

/**
 * "Télécharger (CSV)": every order the list's filters choose (all pages),
 * one row per line. `filters` are the API's parameters; by default the
 * ones in the hash, read as the list reads them.
 */
export function ordersCsvButton(filters = listFilters()) {
  const download = () => {
    const params = new URLSearchParams(filters);
    params.set('lang', lang());
    downloadCsv(`/api/v1/admin/orders.csv?${params}`);
  };
  return h('button', { type: 'button', class: 'btn btn-ghost', id: 'orders-csv', onclick: download }, t('desk.csv'));
}

/** The links to the order's packing slip and receipt, each a page made for printing. */
export function printLinks(order) {
  const base = `#/commandes/${encodeURIComponent(order.id)}`;
  return h('nav', { class: 'print-links', 'aria-label': t('desk.printLinks') },
    h('a', { href: `${base}/bordereau`, class: 'btn btn-ghost btn-small', id: 'print-slip' }, t('desk.slip')),
    h('a', { href: `${base}/recu`, class: 'btn btn-ghost btn-small', id: 'print-receipt' }, t('desk.receipt')));
}
