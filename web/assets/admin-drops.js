// Back office, drops ("ventes flash"): the list (`#/ventes-flash`) and a
// drop followed live (`#/ventes-flash/{id}`): units left per line, orders
// per minute, refusals per reason, read again every few seconds while it
// runs; the owner ends it early from there, after a confirmation.

import { confirmDialog, h, money, mount, period, toast } from './common.js';
import { lang, t } from './i18n.js';
import { adminApi, isOwner, sizeAndColor, table } from './admin-core.js';
import './admin-drops-i18n.js';

/** How often a drop's live page reads its figures again, in ms. */
const LIVE_REFRESH_MS = 5000;

let liveTimer = null;

/** Stops a live page's refreshes: the back office moved to another view. */
export function stopDropRefresh() {
  clearTimeout(liveTimer);
  liveTimer = null;
}

export const dropHref = (id) => `#/ventes-flash/${encodeURIComponent(id)}`;

function statusBadge(status) {
  return h('span', { class: `drop-badge drop-badge-${status}`, dataset: { status } }, t(`drops.status.${status}`));
}

function windowText(drop) {
  return period(drop.starts_at, drop.ends_at);
}

/** `18:03` in the page's language. */
function clockTime(iso, seconds = false) {
  const locale = lang() === 'en' ? 'en-GB' : 'fr-FR';
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined });
}

/** The shop's currency (`GET /api/v1/shop`). */
async function shopCurrency() {
  const answer = await adminApi('/api/v1/shop');
  return answer.ok ? answer.data.currency : 'XOF';
}

/** `#/ventes-flash`: every drop, newest first. */
export async function dropsView(app) {
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, t('admin.more'));
  const alert = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const load = async (cursor) => {
    const answer = await adminApi(`/api/v1/admin/drops${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (!answer.ok) { alert.textContent = answer.data.detail; alert.hidden = false; return; }
    body.append(...answer.data.drops.map(dropRow));
    if (!body.children.length) body.append(h('tr', null, h('td', { colspan: 4, class: 'muted' }, t('drops.empty'))));
    more.hidden = !answer.data.next_cursor;
    more.onclick = () => load(answer.data.next_cursor);
  };
  const headers = [t('drops.name'), t('drops.window'), t('drops.status'), t('drops.units')];
  mount(app,
    h('div', { class: 'page-head' }, h('h1', null, t('drops.title')),
      isOwner() ? h('a', { class: 'btn btn-primary', href: '#/ventes-flash/nouvelle', id: 'drop-new' }, t('drops.new')) : null),
    h('p', { class: 'page-lead muted' }, t('drops.lead')),
    alert,
    table(t('drops.title'), headers, body, 'drops', { cards: true }),
    more);
  await load();
}

function dropRow(drop) {
  const units = drop.lines.reduce((n, l) => n + l.units, 0);
  const left = drop.lines.reduce((n, l) => n + l.remaining, 0);
  return h('tr', { dataset: { id: drop.id } },
    h('td', null, h('a', { href: dropHref(drop.id), class: 'strong' }, drop.name), h('br'), h('small', { class: 'muted' }, `/drop/${drop.slug}`)),
    h('td', null, windowText(drop)),
    h('td', null, statusBadge(drop.status)),
    h('td', { class: 'num' }, t('drops.unitsOf', { left, units })));
}

/** `#/ventes-flash/{id}`: the drop and its live figures. */
export async function dropLiveView(app, id) {
  stopDropRefresh();
  const back = h('p', { class: 'breadcrumb' }, h('a', { href: '#/ventes-flash' }, `‹ ${t('drops.back')}`));
  const answer = await adminApi(`/api/v1/admin/drops/${encodeURIComponent(id)}/live`);
  if (!answer.ok) {
    mount(app, back, h('h1', null, t('drops.title')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
    return;
  }
  const currency = await shopCurrency();
  const parts = {
    badge: h('span', { id: 'drop-status' }),
    actions: h('div', { class: 'head-actions' }),
    lines: h('tbody'),
    minutes: h('tbody'),
    total: h('p', { class: 'muted', id: 'drop-orders' }),
    refusals: h('div', { id: 'drop-refusals' }),
    updated: h('p', { class: 'hint', id: 'drop-updated' }),
  };
  const { drop } = answer.data;
  const page = `${location.origin}/drop/${drop.slug}`;
  mount(app, back,
    h('div', { class: 'page-head' }, h('h1', null, drop.name, ' ', parts.badge), parts.actions),
    h('div', { class: 'panel drop-facts' },
      h('p', null, windowText(drop)),
      h('p', null, drop.hidden_until_start ? t('drops.hidden') : t('drops.visible'), ' · ',
        drop.max_units_per_customer ? t('drops.cap', { n: drop.max_units_per_customer }) : t('drops.noCap')),
      h('p', null, h('a', { href: `/drop/${encodeURIComponent(drop.slug)}`, target: '_blank', rel: 'noopener' }, t('drops.openPage')),
        ' ', h('small', { class: 'muted wrap-anywhere' }, page))),
    h('section', { class: 'panel', 'aria-labelledby': 'drop-lines-title' },
      h('h2', { id: 'drop-lines-title' }, t('drops.lines')),
      table(t('drops.lines'), [t('drops.article'), t('drops.price'), t('drops.offered'), t('drops.left'), t('drops.sold')], parts.lines, 'drop-lines', { cards: true })),
    h('div', { class: 'drop-live-grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'drop-minutes-title' },
        h('h2', { id: 'drop-minutes-title' }, t('drops.perMinute')), parts.total,
        table(t('drops.perMinute'), [t('drops.minute'), t('drops.orders')], parts.minutes, 'drop-minutes')),
      h('section', { class: 'panel', 'aria-labelledby': 'drop-refusals-title' },
        h('h2', { id: 'drop-refusals-title' }, t('drops.refusals')), parts.refusals)),
    parts.updated);
  const hash = location.hash;
  const refresh = async () => {
    if (location.hash !== hash) return;
    const again = await adminApi(`/api/v1/admin/drops/${encodeURIComponent(id)}/live`);
    if (location.hash !== hash) return;
    if (again.ok) fill(parts, again.data, currency, () => dropLiveView(app, id));
    if (!again.ok || ['upcoming', 'live', 'sold_out'].includes(again.data.drop.status)) {
      liveTimer = setTimeout(refresh, LIVE_REFRESH_MS);
    }
  };
  fill(parts, answer.data, currency, () => dropLiveView(app, id));
  if (drop.status !== 'ended') liveTimer = setTimeout(refresh, LIVE_REFRESH_MS);
}

/** Writes the live figures into the page's parts. */
function fill(parts, live, currency, reload) {
  const { drop } = live;
  mount(parts.badge, statusBadge(drop.status));
  mount(parts.actions, actions(drop, reload));
  mount(parts.lines, drop.lines.map((l) => h('tr', { dataset: { sku: l.sku } },
    h('td', { class: 'variant-cell' }, h('strong', null, l.title), h('br'), h('span', null, sizeAndColor(l)), ' ', h('small', { class: 'muted sku' }, l.sku)),
    h('td', { class: 'num' }, money(l.unit_price, currency),
      l.unit_price < l.product_price ? [h('br'), h('s', { class: 'muted' }, money(l.product_price, currency))] : null),
    h('td', { class: 'num' }, String(l.units)),
    h('td', { class: 'num strong', dataset: { remaining: l.remaining } }, String(l.remaining)),
    h('td', { class: 'num' }, String(l.sold)))));
  const most = Math.max(1, ...live.orders_per_minute.map((m) => m.orders));
  mount(parts.minutes, live.orders_per_minute.map((m) => h('tr', null,
    h('td', { class: 'nowrap' }, clockTime(m.minute)),
    h('td', { class: 'drop-bar-cell' },
      h('span', { class: 'drop-bar', dataset: { share: Math.round((100 * m.orders) / most) } }),
      h('span', { class: 'drop-bar-count' }, String(m.orders))))));
  // Widths set from script, not an inline style attribute (the pages' policy allows none).
  parts.minutes.querySelectorAll('.drop-bar').forEach((bar) => { bar.style.width = `${bar.dataset.share}%`; });
  parts.total.textContent = t('drops.ordersTotal', { n: live.orders });
  mount(parts.refusals, live.refusals.length
    ? table(t('drops.refusals'), [t('drops.reason'), t('drops.count')], live.refusals.map((r) => h('tr', { dataset: { code: r.code } },
      h('td', null, refusalLabel(r.code)), h('td', { class: 'num' }, String(r.count)))), 'drop-refusal-table')
    : h('p', { class: 'muted' }, t('drops.noRefusal')));
  parts.updated.textContent = t('drops.updated', { at: clockTime(live.server_time, true) });
}

function refusalLabel(code) {
  const key = `drops.refusal.${code}`;
  const label = t(key);
  return label === key ? code : label;
}

/** The owner's buttons: edit before the start, end while it may still sell. */
function actions(drop, reload) {
  if (!isOwner()) return h('p', { class: 'hint' }, t('drops.ownerOnly'));
  const buttons = [];
  if (drop.status === 'upcoming') {
    buttons.push(h('a', { class: 'btn btn-ghost', id: 'drop-edit', href: `${dropHref(drop.id)}/modifier` }, t('drops.edit')));
  }
  if (drop.status !== 'ended') {
    const end = h('button', { type: 'button', class: 'btn btn-danger', id: 'drop-end' }, t('drops.end'));
    end.addEventListener('click', async () => {
      if (!(await confirmDialog(t('drops.endConfirm', { name: drop.name }), t('drops.endYes')))) return;
      end.disabled = true;
      const answer = await adminApi(`/api/v1/admin/drops/${encodeURIComponent(drop.id)}/end`, { method: 'POST' });
      end.disabled = false;
      if (!answer.ok) { toast(answer.data.detail); return; }
      toast(t('drops.ended', { name: drop.name }), 'ok');
      reload();
    });
    buttons.push(end);
  }
  return buttons;
}
