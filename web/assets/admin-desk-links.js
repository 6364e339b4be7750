// Small pieces the orders' list shows from the desk's reports: the tabs of
// the "Commandes" section (the orders, the picking list, the customers) and
// the button that downloads the listed orders as CSV.

import { h } from './common.js';
import { lang, t } from './i18n.js';
import { downloadCsv } from './admin-core.js';
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

/**
 * "Télécharger (CSV)": every order the list's `filters` (the API's
 * parameters, as the list asks them) choose, all pages, one row per line.
 */
export function ordersCsvButton(filters) {
  const download = () => {
    const params = new URLSearchParams(filters);
    params.delete('cursor');
    params.set('lang', lang());
    downloadCsv(`/api/v1/admin/orders.csv?${params}`);
  };
  return h('button', { type: 'button', class: 'btn btn-ghost', id: 'orders-csv', onclick: download }, t('desk.csv'));
}
