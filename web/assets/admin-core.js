// What every back-office view uses: who is signed in (the session is an
// HttpOnly cookie; its CSRF token is kept in memory only), the API with
// that session, labels, and small table helpers.

import { api, h, toast } from './common.js';
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

/** A table that scrolls sideways on a phone instead of breaking the page; `rows` is a list of rows or a tbody to fill later. */
export function table(caption, headers, rows, id) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table', { class: 'data', id },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      rows instanceof HTMLTableSectionElement ? rows : h('tbody', null, rows)));
}

/** The labelled field used by every admin form. */
export function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' },
    h('label', { for: id }, label), control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
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
