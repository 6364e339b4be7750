// What every back-office view uses: who is signed in (the session is an
// HttpOnly cookie; its CSRF token is kept in memory only), the API with
// that session, labels, and small table helpers.

import { api, h, mount, toast } from './common.js';
import { lang, t } from './i18n.js';

let session = null;
let signedOut = () => {};

/** The signed-in person, `{name, role, csrf_token}`, or null. */
export function me() {
  return session;
}

export function isOwner() {
  return session?.role === 'owner';
}

/** Asks the server who is signed in (the cookie decides); null if nobody. */
export async function loadSession() {
  const answer = await api('/api/v1/auth/me');
  session = answer.ok ? answer.data : null;
  return session;
}

export function forgetSession() {
  session = null;
}

/** Called with the API's detail when the session stops being accepted. */
export function onSignedOut(fn) {
  signedOut = fn;
}

/** The API with the session: writes carry its CSRF token; a 401 signs out with the server's message. */
export async function adminApi(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  const method = options.method || 'GET';
  if (method !== 'GET' && session?.csrf_token) headers['X-CSRF-Token'] = session.csrf_token;
  const answer = await api(path, { ...options, headers });
  if (answer.status === 401) {
    session = null;
    signedOut(answer.data.detail);
    // The sign-in form replaced the view: the view that asked must not go on
    // and draw over it, so its answer never comes.
    return new Promise(() => {});
  }
  return answer;
}

/** The query part of the hash: `#/mouvements?sku=X` → URLSearchParams. */
export function hashQuery() {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1));
}

/** `2026-11-28` (a day, inclusive) → the next day, since `to` is exclusive. */
export function dayAfter(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function statusBadge(status) {
  return h('span', { class: `status status-${status}` }, t(`status.${status}`));
}

export function signed(n) {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

/**
 * A table; `rows` is a list of rows or a tbody to fill later. With `cards`,
 * each row becomes a card on a phone, every cell labelled with its column;
 * without, the table scrolls sideways there instead of breaking the page.
 */
export function table(caption, headers, rows, id, { cards = false } = {}) {
  const body = rows instanceof HTMLTableSectionElement ? rows : h('tbody', null, rows);
  const label = () => body.querySelectorAll('tr').forEach((tr) => {
    [...tr.children].forEach((cell, i) => { if (headers[i] && !cell.dataset.label) cell.dataset.label = headers[i]; });
  });
  if (cards) {
    label();
    new MutationObserver(label).observe(body, { childList: true, subtree: true });
  }
  return h('div', { class: `table-wrap${cards ? ' has-cards' : ''}`, role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table', { class: `data${cards ? ' cards' : ''}`, id },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      body));
}

/** The labelled field used by every admin form. */
export function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' },
    // A required field is marked; the control's `required` tells screen readers.
    h('label', { for: id }, label, control.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null), control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

/**
 * A refused form's problem shown where it belongs: each `errors[]` entry
 * next to its field (found by `locate(apiField)` → `{input, label}`), the
 * API's field name replaced by the form's own label; what has no field
 * goes in `alert`. Returns the first field in error, to focus.
 */
export function showProblem(problem, locate, alert) {
  const form = alert.closest('form') || document;
  form.querySelectorAll('.field-error.from-server').forEach((p) => p.remove());
  form.querySelectorAll('[aria-invalid="true"]').forEach((input) => input.removeAttribute('aria-invalid'));
  const rest = [];
  let first = null;
  for (const e of problem.errors || []) {
    const target = locate(e.field);
    const detail = target ? relabel(e.detail, e.field, target.label) : e.detail;
    if (!target) { rest.push(detail); continue; }
    const id = `${target.input.id || target.input.name || 'field'}-server-error`;
    const message = h('p', { class: 'field-error from-server', id }, detail);
    target.input.setAttribute('aria-invalid', 'true');
    const described = (target.input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-server-error'));
    target.input.setAttribute('aria-describedby', [...described, id].join(' '));
    target.input.insertAdjacentElement('afterend', message);
    first = first || target.input;
  }
  const summary = rest.length ? rest.join(' ') : problem.errors?.length ? t('form.fixFields') : problem.detail;
  mount(alert, h('p', null, summary));
  alert.hidden = false;
  return first;
}

/** "Le champ « price » …" → "Le champ « Prix » …". */
function relabel(detail, field, label) {
  const last = field.split('.').pop().replace(/\[\d+\]/g, '');
  return detail.replaceAll(`« ${field} »`, `« ${label} »`).replaceAll(`« ${last} »`, `« ${label} »`)
    .replaceAll(`\`${field}\``, `“${label}”`).replaceAll(`\`${last}\``, `“${label}”`);
}

/** A CSV behind the session, fetched and handed to the browser as a file named as the server names it. */
export async function downloadCsv(path) {
  let response;
  try {
    response = await fetch(path, { headers: { 'Accept-Language': lang() } });
  } catch {
    toast(t('error.network'));
    return;
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    toast(problem.detail || t('error.status', { status: response.status }));
    return;
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') || '');
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: named ? named[1] : 'export.csv', hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  toast(t('csv.downloaded'), 'ok');
}

/** A variant as people name it: "Robe d'été (taille M)", "Chemise (taille L, bleu nuit)". */
export function variantName({ title, size, color }) {
  return t(color ? 'variant.nameColor' : 'variant.name', { title, size, color });
}

/** The size and colour alone, for a row under its product: "Taille M · Bleu nuit". */
export function sizeAndColor({ size, color }) {
  return [t('variant.size', { size }), color].filter(Boolean).join(' · ');
}

/**
 * A table cell naming a variant: the product's title, its size and colour,
 * and its reference in small print (for labels and scripts).
 */
export function variantCell(v, { title = true } = {}) {
  return h('td', { class: 'variant-cell' },
    title ? h('strong', null, v.title) : null, title ? h('br') : null,
    h('span', null, sizeAndColor(v)), ' ',
    h('small', { class: 'muted sku' }, v.sku));
}

/** The link to an order, its number as the link's text. */
export function orderLink(id, number) {
  return h('a', { href: `#/commandes/${encodeURIComponent(id)}`, class: 'order-link' }, number || t('admin.see'));
}

/** Wide enough for a list's filters to stand open; they follow the screen as it turns. */
const WIDE = window.matchMedia('(min-width: 721px)');
WIDE.addEventListener('change', () => {
  document.querySelectorAll('details.filters-fold').forEach((d) => { d.open = WIDE.matches; });
});

/**
 * A list's filters folded under "Filtres": open on a wide screen, closed
 * on a phone so the list comes first; `active` filters are counted in the
 * summary so a folded bar still says the list is filtered.
 */
export function foldedFilters(form, active = 0) {
  return h('details', { class: 'filters-fold', open: WIDE.matches },
    h('summary', null, h('span', null, t('filters.title')),
      active ? h('span', { class: 'filters-count' }, ` (${t('filters.active', { n: active })})`) : null),
    form);
}
