// Back office, preorders: the page `#/precommandes` (per size, the orders
// waiting for stock, oldest first, with how long they have waited and what
// restocks gave them), a size's preorder settings on the product's form,
// and a preorder line's state on an order.

import { h, mount, toast, when } from './common.js';
import { lang, t } from './i18n.js';
import { adminApi, field, orderLink, showProblem, table, variantName } from './admin-core.js';
import './admin-preorders-i18n.js';

/** "24 décembre 2026" from `2026-12-24`, in the reader's language. */
export function shipsBy(date) {
  if (!date) return '';
  const locale = lang() === 'en' ? 'en-GB' : 'fr-FR';
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${date}T00:00:00Z`));
}

/** How long ago `iso` was, in days or hours: "depuis 3 jours". */
function waitedFor(iso) {
  const hours = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 3_600_000));
  return hours < 24 ? t('preorders.waitedHours', { n: hours }) : t('preorders.waitedDays', { n: Math.floor(hours / 24) });
}

/** `#/precommandes`: every size with orders waiting, the one waiting longest first. */
export async function preordersView(app) {
  const answer = await adminApi('/api/v1/admin/preorders');
  const head = h('div', { class: 'page-head' }, h('h1', null, t('preorders.title')));
  if (!answer.ok) {
    mount(app, head, h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
    return;
  }
  const { variants } = answer.data;
  const waiting = variants.filter((v) => v.lines.length || v.waiting);
  const open = variants.filter((v) => !v.lines.length && !v.waiting);
  mount(app, head,
    h('p', { class: 'muted' }, t('preorders.lead')),
    waiting.length ? waiting.map(variantPanel)
      : h('p', { class: 'panel muted', id: 'preorders-none' }, t('preorders.none')),
    open.length ? h('section', { class: 'panel', 'aria-labelledby': 'preorders-open-title', id: 'preorders-open' },
      h('h2', { id: 'preorders-open-title' }, t('preorders.openTitle')),
      h('ul', { class: 'plain-list' }, open.map((v) => h('li', { dataset: { sku: v.sku } },
        h('a', { href: `#/produits/${encodeURIComponent(v.product_id)}` }, variantName(v)), ' — ',
        places(v))))) : null);
}

/** "2 places restantes sur 10 · livraison promise avant le 24 décembre 2026". */
function places(v) {
  return [
    v.enabled ? t('preorders.placesLeft', { n: v.places_left, cap: v.cap }) : t('preorders.closed'),
    v.ships_by ? t('preorders.shipsBy', { date: shipsBy(v.ships_by) }) : null,
  ].filter(Boolean).join(' · ');
}

function variantPanel(v) {
  const id = `preorders-${v.sku}`;
  const headers = [t('preorders.order'), t('preorders.customer'), t('preorders.quantity'), t('preorders.received'), t('preorders.since')];
  const rows = v.lines.map((l) => h('tr', { dataset: { order: l.number } },
    h('td', null, orderLink(l.order_id, l.number)),
    h('td', null, l.customer_name, h('br'), h('small', { class: 'muted' }, l.customer_phone)),
    h('td', { class: 'num' }, String(l.quantity)),
    h('td', { class: 'num' }, t('preorders.receivedOf', { n: l.allocated, of: l.quantity })),
    h('td', null, when(l.created_at), h('br'), h('small', { class: 'muted' }, waitedFor(l.created_at)))));
  return h('section', { class: 'panel preorder-variant', 'aria-labelledby': `${id}-title`, dataset: { sku: v.sku } },
    h('h2', { id: `${id}-title` },
      h('a', { href: `#/produits/${encodeURIComponent(v.product_id)}` }, variantName(v))),
    h('p', { class: 'preorder-facts' },
      h('strong', null, t('preorders.waiting', { n: v.waiting })), ' · ', places(v),
      v.available > 0 ? [' · ', t('preorders.inStock', { n: v.available })] : null),
    table(t('preorders.linesOf', { name: variantName(v) }), headers, rows, `${id}-lines`, { cards: true }),
    v.lines_not_shown > 0 ? h('p', { class: 'muted' }, t('preorders.more', { n: v.lines_not_shown })) : null);
}

/**
 * A size's preorder settings on the product's form, folded under a
 * summary of where they stand; `saved` draws the form again.
 */
export function preorderSettings(v, name, saved) {
  const p = v.preorder || { enabled: false, cap: 0, ships_by: null, waiting: 0, places_left: 0 };
  const key = v.sku.replace(/[^A-Za-z0-9_-]/g, '_');
  const enabled = h('input', { type: 'checkbox', id: `po-enabled-${key}`, checked: p.enabled, 'aria-describedby': `po-enabled-${key}-hint` });
  const cap = h('input', { type: 'number', min: 0, max: 10000, step: 1, inputmode: 'numeric', value: p.cap, class: 'po-cap' });
  const date = h('input', { type: 'date', value: p.ships_by || '', class: 'po-date' });
  const alert = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-ghost btn-small' }, t('preorders.save'));
  const form = h('form', { class: 'preorder-form', novalidate: true },
    h('div', { class: 'check-explained' }, enabled,
      h('label', { for: enabled.id }, t('preorders.accept')),
      h('p', { class: 'hint', id: `${enabled.id}-hint` }, t('preorders.acceptHint'))),
    h('div', { class: 'form-grid' },
      field(`po-cap-${key}`, t('preorders.cap'), cap, t('preorders.capHint')),
      field(`po-date-${key}`, t('preorders.date'), date, t('preorders.dateHint'))),
    alert, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const n = cap.value.trim() === '' ? 0 : Number(cap.value);
    if (!Number.isInteger(n) || n < 0) { mount(alert, t('admin.wholeNumber')); alert.hidden = false; cap.focus(); return; }
    const body = { preorder: { enabled: enabled.checked, cap: n, ships_by: date.value || null } };
    submit.disabled = true;
    const answer = await adminApi(`/api/v1/admin/variants/${encodeURIComponent(v.sku)}`, { method: 'PATCH', body });
    submit.disabled = false;
    if (!answer.ok) {
      const inputs = { 'preorder.cap': { input: cap, label: t('preorders.cap') }, 'preorder.ships_by': { input: date, label: t('preorders.date') } };
      const first = showProblem(answer.data, (f) => inputs[f], alert);
      (first || alert).focus?.();
      return;
    }
    toast(t('preorders.saved', { size: name }), 'ok');
    await saved();
  });
  const summary = [
    p.enabled ? t('preorders.open') : t('preorders.closed'),
    p.waiting ? t('preorders.waiting', { n: p.waiting }) : null,
    p.enabled ? t('preorders.placesShort', { n: p.places_left }) : null,
    p.enabled && p.ships_by ? t('preorders.shipsBy', { date: shipsBy(p.ships_by) }) : null,
  ].filter(Boolean).join(' · ');
  return h('details', { class: 'variant-preorder', open: Boolean(p.waiting) || undefined },
    h('summary', null, h('span', null, t('preorders.settingsOf', { size: name })), ' ', h('span', { class: 'muted' }, summary)),
    form);
}

/** A preorder line's state on an order: waiting, in part or wholly received. */
export function preorderNote(line) {
  if (!line.preorder) return null;
  const state = line.allocated >= line.quantity ? t('preorders.lineArrived')
    : line.allocated > 0 ? t('preorders.linePart', { n: line.allocated, of: line.quantity })
      : t('preorders.lineWaiting');
  return h('span', { class: 'preorder-note' }, h('span', { class: 'badge badge-preorder' }, t('preorders.badge')), ' ', state);
}
