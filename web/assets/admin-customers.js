// Back office, customers: one per phone number (`#/clients?q=…`), searched
// like the orders, and a customer's page (`#/clients/{phone}`) with what
// their orders add up to and the orders themselves.

import { h, money, mount, when } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, hashQuery, orderLink, statusBadge, table } from './admin-core.js';
import { deskTabs } from './admin-desk-links.js';
import './admin-desk-i18n.js';

/** The shop's currency, for amounts that come without an order (`GET /api/v1/shop`). */
async function shopCurrency() {
  const answer = await adminApi('/api/v1/shop');
  return answer.ok ? answer.data.currency : 'XOF';
}

const customerHref = (phone) => `#/clients/${encodeURIComponent(phone)}`;

/** "3 commandes, dont 1 annulée". */
function ordersText(count, cancelled) {
  const orders = t('customers.ordersCount', { n: count });
  return cancelled ? `${orders}, ${t('customers.cancelledCount', { n: cancelled })}` : orders;
}

export async function customersView(app) {
  const query = hashQuery();
  const search = h('input', { type: 'search', name: 'q', value: query.get('q') || '', maxlength: 200, autocomplete: 'off' });
  const form = h('form', { class: 'filters customer-search', id: 'customer-search', role: 'search' },
    field('c-q', t('customers.search'), search, t('customers.searchHint')),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('customers.find'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = search.value.trim();
    location.hash = `#/clients${q ? `?${new URLSearchParams({ q })}` : ''}`;
  });
  const params = new URLSearchParams();
  if (query.get('q')) params.set('q', query.get('q'));
  const currency = await shopCurrency();
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('admin.more'));
  const alert = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const load = async (cursor) => {
    if (cursor) params.set('cursor', cursor);
    const answer = await adminApi(`/api/v1/admin/customers?${params}`);
    if (!answer.ok) { alert.textContent = answer.data.detail; alert.hidden = false; return; }
    body.append(...answer.data.customers.map((c) => customerRow(c, currency)));
    if (!body.children.length) {
      body.append(h('tr', null, h('td', { colspan: 5, class: 'muted' }, t(query.get('q') ? 'customers.none' : 'customers.empty'))));
    }
    more.hidden = !answer.data.next_cursor;
    more.onclick = () => load(answer.data.next_cursor);
  };
  const headers = [t('admin.customer'), t('customers.orders'), t('customers.units'), t('customers.spent'), t('customers.last')];
  mount(app, deskTabs('#/clients'),
    h('div', { class: 'page-head' }, h('h1', null, t('customers.title'))),
    h('p', { class: 'muted' }, t('customers.lead')),
    form, alert,
    table(t('customers.title'), headers, body, 'customers', { cards: true }),
    more,
    h('p', { class: 'hint' }, t('customers.rules')));
  await load();
}

function customerRow(c, currency) {
  return h('tr', { dataset: { phone: c.phone } },
    h('td', null,
      h('a', { href: customerHref(c.phone), class: 'strong customer-link' }, c.names[c.names.length - 1] || c.phone),
      h('br'), h('small', { class: 'muted' }, c.phone),
      c.names.length > 1 ? [h('br'), h('small', { class: 'muted' }, c.names.slice(0, -1).join(' · '))] : null),
    h('td', null, ordersText(c.orders, c.cancelled)),
    h('td', { class: 'num' }, String(c.units)),
    h('td', { class: 'num' }, money(c.total_spent, currency)),
    h('td', { class: 'nowrap' }, when(c.last_order_at)));
}

/** `#/clients/{phone}`: the customer's figures and their newest orders. */
export async function customerView(app, phone) {
  const answer = await adminApi(`/api/v1/admin/customers/${encodeURIComponent(phone)}`);
  const back = h('p', { class: 'breadcrumb' }, h('a', { href: '#/clients' }, `‹ ${t('customers.back')}`));
  if (!answer.ok) {
    mount(app, back, h('h1', null, t('customers.customer', { phone })), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
    return;
  }
  const c = answer.data;
  const currency = c.orders[0]?.currency || await shopCurrency();
  const digits = c.phone.replace(/\D/g, '');
  const figure = (label, value, id) => h('div', { class: 'figure', id }, h('dt', null, label), h('dd', null, value));
  const shown = c.orders.length < c.orders_count ? c.orders.length : null;
  mount(app, back,
    h('div', { class: 'page-head' },
      h('h1', { id: 'customer-name' }, c.names[c.names.length - 1] || c.phone),
      h('div', { class: 'head-actions' },
        h('a', { href: `tel:${c.phone}`, class: 'btn btn-ghost btn-small' }, t('customers.call')),
        h('a', { href: `https://wa.me/${digits}`, class: 'btn btn-ghost btn-small', rel: 'noopener noreferrer', target: '_blank' }, t('customers.whatsapp')))),
    h('p', { id: 'customer-phone' }, h('strong', null, c.phone)),
    c.names.length > 1 ? h('p', { class: 'muted' }, t('customers.names', { names: c.names.join(' · ') })) : null,
    h('dl', { class: 'figures panel', id: 'customer-figures' },
      figure(t('customers.orders'), ordersText(c.orders_count, c.cancelled), 'figure-orders'),
      figure(t('customers.units'), String(c.units), 'figure-units'),
      figure(t('customers.spent'), money(c.total_spent, currency), 'figure-spent'),
      figure(t('customers.counted'), String(c.counted_toward_limit), 'figure-counted'),
      figure(t('customers.last'), when(c.last_order_at), 'figure-last')),
    h('p', { class: 'hint' }, t('customers.rules')),
    h('h2', { class: 'section-title' }, t('customers.theirOrders')),
    shown ? h('p', { class: 'muted' }, t('customers.shownNewest', { shown, n: c.orders_count }), ' ',
      h('a', { href: `#/commandes?${new URLSearchParams({ q: c.phone })}` }, t('customers.allOrders'))) : null,
    table(t('customers.theirOrders'), [t('admin.number'), t('admin.date'), t('admin.status'), t('customers.units'), t('cart.total')],
      c.orders.map((o) => h('tr', { dataset: { id: o.id } },
        h('td', null, orderLink(o.id, o.number)),
        h('td', { class: 'nowrap' }, when(o.created_at)),
        h('td', null, statusBadge(o.status)),
        h('td', { class: 'num' }, String(o.lines.reduce((n, l) => n + l.quantity - l.returned, 0))),
        h('td', { class: 'num' }, money(o.total, o.currency)))), 'customer-orders', { cards: true }));
}
