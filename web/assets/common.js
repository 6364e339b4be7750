// Shared by the storefront and the back office: the API client, the DOM
// helper, money and dates, toasts. No framework, no build step.

import { lang, t } from './i18n.js';

/**
 * Calls the API. Always answers `{ok, status, data, headers}`; a network
 * failure is status 0 with a `detail` of our own, so every caller can show
 * `data.detail` whatever went wrong.
 */
export async function api(path, { method = 'GET', body, token, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', 'Accept-Language': lang(), ...headers } };
  if (body instanceof FormData || body instanceof Blob) {
    // A form (the browser writes the multipart type with its boundary) or a
    // file sent as it is, with the type the caller gives in `headers`.
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  if (token) init.headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, data: { detail: t('error.network') }, headers: new Headers() };
  }
  let data = null;
  const type = response.headers.get('content-type') || '';
  if (type.includes('json')) {
    try { data = await response.json(); } catch { data = null; }
  }
  if (!response.ok && !(data && data.detail)) {
    data = { ...(data || {}), detail: t('error.status', { status: response.status }) };
  }
  return { ok: response.ok, status: response.status, data, headers: response.headers };
}

/** `h('a', {href, class}, 'text', child…)`: builds elements; text is never parsed as HTML. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (['value', 'checked', 'disabled', 'selected'].includes(key)) {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

const NBSP = '\u00a0';

/** `15000, 'XOF'` → "15 000 FCFA" (French) or "15,000 FCFA" (English). */
export function money(amount, currency = 'XOF') {
  const locale = lang() === 'en' ? 'en-GB' : 'fr-FR';
  if (currency === 'XOF' || currency === 'XAF') {
    const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, lang() === 'en' ? ',' : NBSP);
    return `${amount < 0 ? '-' : ''}${digits}${NBSP}FCFA`;
  }
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const decimals = format.resolvedOptions().maximumFractionDigits;
  return format.format(amount / 10 ** decimals).replace(/\u202f/g, NBSP);
}

/** How prices in `currency` are labelled: "FCFA" for the CFA francs, else the code. */
export function currencyLabel(currency = 'XOF') {
  return currency === 'XOF' || currency === 'XAF' ? 'FCFA' : currency;
}

/** An RFC 3339 time in the reader's language and time zone. */
export function when(iso) {
  if (!iso) return '';
  const locale = lang() === 'en' ? 'en-GB' : 'fr-FR';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** An RFC 3339 time as a day and an hour: "mercredi 24 décembre 2026 à 18:00". */
export function moment(iso) {
  const locale = lang() === 'en' ? 'en-GB' : 'fr-FR';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * A window of time in the reader's language and time zone, its day said
 * once when it starts and ends on the same one: "Mercredi 24 décembre
 * 2026, de 18:00 à 20:00", else "Du … au …".
 */
export function period(startIso, endIso) {
  const locale = lang() === 'en' ? 'en-GB' : 'fr-FR';
  const [start, end] = [new Date(startIso), new Date(endIso)];
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'full' });
  const hour = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const text = day.format(start) === day.format(end)
    ? t('period.sameDay', { day: day.format(start), start: hour.format(start), end: hour.format(end) })
    : t('period.days', { start: moment(startIso), end: moment(endIso) });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A random UUID, also where `crypto.randomUUID` is missing (plain http on a LAN). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The picture lists show of a product: its first photo's thumbnail, else its drawing (`image_url`). */
export function thumbnailOf(p) {
  return p.images?.[0]?.thumbnail_url || p.image_url || null;
}

/**
 * A short message just under the sticky header, away from the header's
 * links and the buttons at the bottom of a form; errors are announced at once. The same message shown again replaces
 * itself; every message goes when the reader moves to another page.
 */
export function toast(message, kind = 'error') {
  const region = document.getElementById('toasts');
  // Just under the sticky header: its links and buttons stay reachable.
  const header = document.querySelector('.site-header');
  region.style.top = `${Math.max(0, header ? header.getBoundingClientRect().bottom : 0) + 8}px`;
  for (const old of [...region.children]) {
    if (old.dataset.message === message) old.remove();
  }
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': t('action.close') }, '×');
  const item = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { message, at: String(Date.now()) } },
    h('span', { class: 'toast-text' }, message), close);
  const remove = () => item.remove();
  close.addEventListener('click', remove);
  region.append(item);
  while (region.children.length > 2) region.firstElementChild.remove();
  setTimeout(remove, kind === 'error' ? 6000 : 3500);
  return item;
}

// A message about the page being left goes with it; one about the move
// itself (shown as it happens) stays.
window.addEventListener('hashchange', () => {
  const now = Date.now();
  for (const old of [...(document.getElementById('toasts')?.children || [])]) {
    if (now - Number(old.dataset.at) > 500) old.remove();
  }
});

/** A yes/no question in a modal dialog; resolves true on confirmation. */
export function confirmDialog(message, confirmLabel) {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: 'btn btn-danger', 'data-confirm': 'yes' }, confirmLabel);
    const no = h('button', { type: 'button', class: 'btn btn-ghost' }, t('action.back'));
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'confirm-text' },
      h('p', { id: 'confirm-text' }, message), h('div', { class: 'dialog-actions' }, no, yes));
    const done = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** Moves the focus to the new view's heading, so screen readers follow. */
export function focusHeading(root) {
  const heading = root.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}
