// The SMS channel's form: the gateway's address and method, its headers
// (a key, most often), the body with {to} and {message}, an example of a
// common gateway, the numbers to text and the events sent.

import { h, mount } from './common.js';
import { t } from './i18n.js';
import { field } from './admin-core.js';
import { eventChecks, linesOf } from './admin-notify-fields.js';

/** The owner may add at most this many headers (`SMS_HEADERS_MAX`). */
const HEADERS_MAX = 16;

/** What most gateways expect, filled in by "Remplir le formulaire avec cet exemple". */
const EXAMPLE = {
  url: 'https://sms.exemple.ci/api/messages',
  headers: [['Authorization', 'Bearer VOTRE_CLE']],
  body: '{"to": "{to}", "text": "{message}", "sender": "MABOUTIQUE"}',
};

/** `{to}` and `{message}` are the gateway's words, not ours to fill. */
function words(key) {
  return t(key, { to: '{to}', message: '{message}' });
}

/** The list of headers, a row (name, value, remove) each. */
function headerRows(initial) {
  const rows = initial.map(([name, value]) => ({ name, value }));
  const list = h('ul', { class: 'header-rows', id: 'sms-headers' });
  const add = h('button', { type: 'button', class: 'btn btn-ghost btn-small', id: 'sms-header-add' }, t('sms.headerAdd'));
  const draw = (focus) => {
    mount(list, rows.map((row, i) => {
      const n = i + 1;
      const name = h('input', { type: 'text', id: `sms-header-name-${i}`, maxlength: 64, autocomplete: 'off', spellcheck: 'false', value: row.name, 'aria-label': t('sms.headerName', { n }) });
      const value = h('input', { type: 'text', id: `sms-header-value-${i}`, maxlength: 4096, autocomplete: 'off', spellcheck: 'false', value: row.value, 'aria-label': t('sms.headerValue', { n }) });
      name.addEventListener('input', () => { row.name = name.value; });
      value.addEventListener('input', () => { row.value = value.value; });
      const remove = h('button', { type: 'button', class: 'btn btn-danger-ghost btn-small', 'aria-label': t('sms.headerRemove', { n }) }, '×');
      remove.addEventListener('click', () => {
        rows.splice(i, 1);
        // The focus goes to the row that took its place, else to "Ajouter".
        draw(rows.length ? Math.min(i, rows.length - 1) : null);
      });
      return h('li', { class: 'header-row' }, name, value, remove);
    }));
    add.hidden = rows.length >= HEADERS_MAX;
    if (focus !== null && focus !== undefined) list.querySelector(`#sms-header-name-${focus}`)?.focus();
    else if (focus === null) add.focus();
  };
  add.addEventListener('click', () => { rows.push({ name: '', value: '' }); draw(rows.length - 1); });
  draw();
  return {
    element: h('fieldset', { class: 'choices', id: 'sms-headers-group' },
      h('legend', null, t('sms.headers')),
      h('p', { class: 'hint' }, t('sms.headersHint')),
      list, add),
    set: (pairs) => { rows.splice(0, rows.length, ...pairs.map(([name, value]) => ({ name, value }))); draw(); },
    value: () => Object.fromEntries(rows.filter((r) => r.name.trim() || r.value.trim()).map((r) => [r.name.trim(), r.value])),
    /** The value of the header `name`, else its name, else the add button's neighbour. */
    locate: (name) => {
      const i = rows.findIndex((r) => r.name.trim() === name);
      const input = list.querySelector(i >= 0 ? `#sms-header-value-${i}` : '#sms-header-name-0');
      return input ? { input, label: name || t('sms.headers') } : null;
    },
  };
}

/** The form's parts for `channelSection`, filled with `s` (or empty). */
export function smsForm(s) {
  const url = h('input', { type: 'text', inputmode: 'url', required: true, maxlength: 2000, autocomplete: 'off', spellcheck: 'false', value: s?.url || '' });
  const methods = ['POST', 'GET'].map((m) => h('input', { type: 'radio', name: 'sms-method', id: `sms-method-${m}`, value: m, checked: (s?.method || 'POST') === m }));
  const method = h('fieldset', { class: 'choices', id: 'sms-method' }, h('legend', null, t('sms.method')),
    methods.map((radio) => h('div', { class: 'check' }, radio, h('label', { for: radio.id }, t(`sms.method.${radio.value}`)))));
  const headers = headerRows(Object.entries(s?.headers || {}));
  const body = h('textarea', { rows: 3, maxlength: 2000, spellcheck: 'false', class: 'code' });
  body.value = s?.body || '';
  const to = h('textarea', { rows: 3, required: true, inputmode: 'tel' });
  to.value = (s?.to || []).join('\n');
  const events = eventChecks('sms-events', t('notif.events.sms'), s?.events || ['order.created']);
  const fill = () => {
    url.value = EXAMPLE.url;
    methods[0].checked = true;
    headers.set(EXAMPLE.headers);
    body.value = EXAMPLE.body;
    url.dispatchEvent(new Event('input', { bubbles: true }));
    // Said here rather than in a toast, which would cover the field it names.
    filled.textContent = t('sms.exampleFilled');
    url.focus();
  };
  const filled = h('p', { role: 'status', class: 'example-filled' });
  const example = h('details', { class: 'example', id: 'sms-example' },
    h('summary', null, t('sms.example')),
    h('p', null, t('sms.exampleLead')),
    h('pre', { class: 'code' }, `POST ${EXAMPLE.url}\nAuthorization: ${EXAMPLE.headers[0][1]}\n\n${EXAMPLE.body}`),
    h('p', null, words('sms.exampleGet')),
    h('button', { type: 'button', class: 'btn btn-ghost btn-small', id: 'sms-example-fill', onclick: fill }, t('sms.exampleFill')),
    filled);
  const fields = [
    h('p', { class: 'hint channel-intro' }, t('sms.intro')),
    example,
    field('sms-url', t('sms.url'), url, words('sms.urlHint')),
    method,
    headers.element,
    field('sms-body', t('sms.body'), body, words('sms.bodyHint')),
    field('sms-to', t('sms.to'), to, t('sms.toHint')),
    events.element,
  ];
  const controls = { url, body, to };
  return {
    fields,
    summary: (settings) => t('sms.on', { host: hostOf(settings.url) }),
    collect: () => ({
      url: url.value.trim(),
      method: methods.find((r) => r.checked)?.value || 'POST',
      headers: headers.value(),
      body: body.value,
      to: linesOf(to.value),
      events: events.values(),
    }),
    /** `sms.headers.Authorization` → that header's value; `sms.to[1]` → the numbers. */
    locate: (name) => {
      const rest = name.replace(/^sms\.?/, '');
      if (rest.startsWith('headers')) return headers.locate(rest.slice('headers.'.length));
      const key = rest.replace(/\[\d+\]$/, '');
      if (key === 'method') return { input: methods[0], label: t('sms.method') };
      if (key === 'events') return events.locate();
      const input = controls[key];
      return input ? { input, label: t(`sms.${key}`) } : null;
    },
  };
}

/** "sms.exemple.ci" out of the gateway's address, for the channel's state line. */
function hostOf(template) {
  try {
    return new URL(template.replaceAll('{to}', '0').replaceAll('{message}', 'x')).host;
  } catch {
    return template;
  }
}
