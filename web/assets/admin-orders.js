// Back office, the orders list: one search box (a number, a phone, a name,
// a pick-up number), the statuses as chips with their counts, "À traiter"
// (pending, confirmed, processing) where the list opens, and the payment
// and the dates folded under "Filtres". One order's page is admin-order.js.

import { h, money, mount, when } from './common.js';
import { t } from './i18n.js';
import './admin-orders-i18n.js';
import { adminApi, dayAfter, field, foldedFilters, hashQuery, showProblem, statusBadge, table } from './admin-core.js';
import { PAYMENT_STATUSES, paymentBadge } from './admin-order-payment.js';
import { deskTabs, ordersCsvButton } from './admin-desk-links.js';

export { orderView } from './admin-order.js';

/** Every status an order can have, in the order of its life. */
const STATUSES = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'returned'];
/** The chips: "À traiter" first, every status, then every order. */
const VIEWS = ['to_handle', ...STATUSES, 'all'];
/** As `SEARCH_CHARS_MAX` of the server's limits. */
const SEARCH_CHARS_MAX = 200;

/**
 * The view the hash asks for: its `status`, else every order while
 * searching (a search looks everywhere), else "À traiter".
 */
function chosenView(query) {
  const asked = query.get('status');
  if (VIEWS.includes(asked)) return asked;
  return query.get('q') ? 'all' : 'to_handle';
}

/** `#/commandes` with `params`, without the empty ones. */
function listHash(params) {
  const kept = new URLSearchParams([...params].filter(([, value]) => value));
  return `#/commandes${kept.size ? `?${kept}` : ''}`;
}

export async function ordersView(app) {
  const query = hashQuery();
  const view = chosenView(query);
  const payment = PAYMENT_STATUSES.includes(query.get('payment')) ? query.get('payment') : '';
  const alert = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });

  const q = h('input', { type: 'search', name: 'q', value: query.get('q') || '', maxlength: SEARCH_CHARS_MAX, autocomplete: 'off', enterkeyhint: 'search' });
  const searchField = field('order-q', t('desk.search'), q, t('desk.searchHint'));
  searchField.classList.add('field-grow');
  const search = h('form', { class: 'order-search', id: 'order-search', role: 'search', 'aria-label': t('desk.search') },
    searchField, h('button', { type: 'submit', class: 'btn btn-primary', id: 'order-search-submit' }, t('desk.searchButton')));
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    // A search looks in every order; the chips narrow it afterwards.
    const next = new URLSearchParams(query);
    next.delete('status');
    next.set('q', q.value.trim());
    location.hash = listHash(next);
  });

  const paymentSelect = h('select', { name: 'payment' }, h('option', { value: '' }, t('desk.allPayments')),
    PAYMENT_STATUSES.map((p) => h('option', { value: p, selected: payment === p }, t(`payment.${p}`))));
  const from = h('input', { type: 'date', name: 'from', value: query.get('from') || '' });
  const to = h('input', { type: 'date', name: 'to', value: query.get('to') || '' });
  const filters = h('form', { class: 'filters', id: 'order-filters' },
    field('o-payment', t('desk.payment'), paymentSelect), field('o-from', t('admin.from'), from), field('o-to', t('admin.toInclusive'), to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.filter'))));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams(query);
    for (const input of [paymentSelect, from, to]) next.set(input.name, input.value);
    location.hash = listHash(next);
  });
  const active = [payment, query.get('from'), query.get('to')].filter(Boolean).length;

  const params = new URLSearchParams();
  if (query.get('q')) params.set('q', query.get('q'));
  if (view !== 'all') params.set('status', view);
  if (payment) params.set('payment', payment);
  if (query.get('from')) params.set('from', query.get('from'));
  if (query.get('to')) params.set('to', dayAfter(query.get('to')));

  const chips = h('nav', { class: 'status-chips', id: 'status-chips', 'aria-label': t('desk.views') });
  drawChips(chips, query, view, null);
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('admin.more'));
  const scope = query.get('q')
    ? h('p', { class: 'scope', id: 'order-search-scope' }, searchScope(query.get('q'), view), ' ',
      h('a', { href: listHash(new URLSearchParams([...query].filter(([k]) => k !== 'q' && k !== 'status'))) }, t('desk.clearSearch')))
    : null;
  const empty = view === 'to_handle' && !query.get('q') && !active ? t('desk.nothingToHandle') : t('admin.noOrder');
  const load = async (cursor) => {
    if (cursor) params.set('cursor', cursor);
    const answer = await adminApi(`/api/v1/admin/orders?${params}`);
    if (!answer.ok) {
      const first = showProblem(answer.data, (name) => (name === 'q' ? { input: q, label: t('desk.search') } : null), alert);
      first?.focus();
      return;
    }
    body.append(...answer.data.orders.map(orderRow));
    if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 7, class: 'muted' }, empty)));
    more.hidden = !answer.data.next_cursor;
    more.onclick = () => load(answer.data.next_cursor);
  };
  const counts = adminApi('/api/v1/admin/orders/counts').then((answer) => {
    if (answer.ok) drawChips(chips, query, view, answer.data);
  });

  mount(app, deskTabs('#/commandes'), h('div', { class: 'page-head' }, h('h1', null, t('admin.orders')), ordersCsvButton(new URLSearchParams(params))), search, chips, foldedFilters(filters, active), scope, alert,
    table(t('admin.orders'), [t('admin.number'), t('admin.date'), t('admin.customer'), t('admin.items'), t('cart.total'), t('desk.payment'), t('admin.status')], body, 'orders', { cards: true }),
    more);
  await Promise.all([load(), counts]);
}

/** "Résultats pour « Awa » dans toutes les commandes", or among one view's. */
function searchScope(q, view) {
  if (view === 'all') return t('desk.searchScope', { q });
  return t('desk.searchScopeIn', { q, view: view === 'to_handle' ? t('desk.toHandle') : t(`status.${view}`) });
}

/** The chips, one link per view with its count once `counts` is known; the current one marked. */
function drawChips(nav, query, current, counts) {
  const count = (view) => {
    if (!counts) return null;
    return view === 'all' ? STATUSES.reduce((sum, s) => sum + (counts[s] || 0), 0) : counts[view] ?? 0;
  };
  mount(nav, h('ul', null, VIEWS.map((view) => {
    const next = new URLSearchParams(query);
    next.set('status', view);
    const n = count(view);
    return h('li', null, h('a', {
      href: listHash(next), class: `view-chip view-${view}`, dataset: { view }, 'aria-current': view === current ? 'true' : null,
    }, view === 'to_handle' ? t('desk.toHandle') : view === 'all' ? t('desk.all') : t(`status.${view}`),
    n === null ? null : h('span', { class: 'view-count' }, ` ${n}`)));
  })));
  // On a phone the chips are one row that scrolls: the current one is brought into sight.
  const list = nav.firstElementChild;
  const chosen = list.querySelector('[aria-current]');
  if (chosen && list.scrollWidth > list.clientWidth) list.scrollLeft = chosen.parentElement.offsetLeft - list.offsetLeft - 12;
}

function orderRow(o) {
  return h('tr', { dataset: { id: o.id, number: o.number } },
    h('td', null, h('a', { href: `#/commandes/${encodeURIComponent(o.id)}`, class: 'strong' }, o.number),
      o.delivery?.pickup_number ? [h('br'), h('small', { class: 'muted' }, t('desk.pickupShort', { n: o.delivery.pickup_number }))] : null),
    h('td', { class: 'nowrap' }, when(o.created_at)),
    h('td', null, o.customer.name, h('br'), h('small', { class: 'muted' }, o.customer.phone)),
    h('td', { class: 'num' }, String(o.lines.reduce((n, l) => n + l.quantity, 0))),
    h('td', { class: 'num' }, money(o.total, o.currency)),
    h('td', null, o.payment ? paymentBadge(o.payment) : ''),
    h('td', null, statusBadge(o.status)));
}
