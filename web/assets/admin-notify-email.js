// The e-mail channel's form: the SMTP server, how its connection is
// protected (said in plain words), the account, the sender, the recipients
// and the events sent.

import { h } from './common.js';
import { t } from './i18n.js';
import { field } from './admin-core.js';
import { eventChecks, linesOf } from './admin-notify-fields.js';

const SECRET_MASK = '********';
const TLS_MODES = ['starttls', 'tls', 'none'];

/** The connection's protection as three choices, each explained in one line. */
function tlsChoices(current) {
  const radios = TLS_MODES.map((mode) => h('input', { type: 'radio', name: 'email-tls', id: `email-tls-${mode}`, value: mode, checked: mode === current }));
  const element = h('fieldset', { class: 'choices', id: 'email-tls' },
    h('legend', null, t('email.tls')),
    radios.map((radio, i) => {
      const mode = TLS_MODES[i];
      radio.setAttribute('aria-describedby', `email-tls-${mode}-hint`);
      return h('div', { class: 'check check-explained' }, radio,
        h('label', { for: radio.id }, t(`email.tls.${mode}`)),
        h('p', { class: 'hint', id: `email-tls-${mode}-hint` }, t(`email.tls.${mode}Hint`)));
    }));
  return { element, value: () => radios.find((r) => r.checked)?.value || 'starttls', first: radios[0] };
}

/** The form's parts for `channelSection`, filled with `s` (or empty). */
export function emailForm(s) {
  const host = h('input', { type: 'text', required: true, maxlength: 253, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', value: s?.host || '' });
  const tls = tlsChoices(s?.tls || 'starttls');
  const port = h('input', { type: 'number', min: 1, max: 65535, step: 1, inputmode: 'numeric', value: s?.port ?? '' });
  const user = h('input', { type: 'text', maxlength: 254, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', value: s?.user || '' });
  const password = h('input', { type: 'password', maxlength: 256, autocomplete: 'new-password', value: s?.password || '' });
  const from = h('input', { type: 'text', required: true, maxlength: 320, autocomplete: 'off', spellcheck: 'false', value: s?.from || '' });
  const to = h('textarea', { rows: 3, required: true, autocapitalize: 'none', spellcheck: 'false' });
  to.value = (s?.to || []).join('\n');
  const events = eventChecks('email-events', t('notif.events.email'), s?.events || ['order.created']);
  const kept = s?.password === SECRET_MASK;
  const fields = [
    h('p', { class: 'hint channel-intro' }, t('email.intro')),
    field('email-host', t('email.host'), host, t('email.hostHint')),
    tls.element,
    field('email-port', t('email.port'), port, t('email.portHint')),
    field('email-user', t('email.user'), user, t('email.userHint')),
    field('email-password', t('email.password'), password, kept ? t('notif.secretKept') : t('email.passwordHint')),
    field('email-from', t('email.from'), from, t('email.fromHint')),
    field('email-to', t('email.to'), to, t('email.toHint')),
    events.element,
  ];
  const controls = { host, port, user, password, from, to };
  return {
    fields,
    summary: (settings) => t('email.on', { host: settings.host }),
    collect: () => ({
      host: host.value.trim(),
      port: port.value === '' ? null : Number(port.value),
      tls: tls.value(),
      user: user.value.trim() || null,
      password: password.value || null,
      from: from.value.trim(),
      to: linesOf(to.value),
      events: events.values(),
    }),
    /** `email.to[2]` → the recipients' box, with its label for the message. */
    locate: (name) => {
      const key = name.replace(/^email\.?/, '').replace(/\[\d+\]$/, '').split('.')[0];
      if (key === 'tls') return { input: tls.first, label: t('email.tls') };
      if (key === 'events') return events.locate();
      const input = controls[key];
      return input ? { input, label: t(`email.${key}`) } : null;
    },
  };
}
