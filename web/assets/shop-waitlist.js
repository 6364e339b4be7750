// "Me prévenir": on a product's page, a buyer leaves a phone or an e-mail
// for a sold-out size and is told once when it comes back
// (`POST /api/v1/products/{slug}/waitlist`); the message's link opens
// `#/desinscription/{token}`, where a button, not the visit, ends it
// (link previewers open links).

import { api, h, mount } from './common.js';
import { addStrings, t } from './i18n.js';

addStrings({
  fr: {
    'notify.titleOne': 'La taille {size} est épuisée ?',
    'notify.titleMany': 'Une taille est épuisée ?',
    'notify.titleAll': 'Tout est épuisé pour l’instant',
    'notify.leadAll': 'Choisissez votre taille et laissez votre numéro ou votre e-mail : nous vous prévenons quand elle revient.',
    'notify.lead': 'Laissez votre numéro ou votre e-mail : nous vous prévenons quand elle revient.',
    'notify.open': 'Me prévenir',
    'notify.which': 'Quelle taille ?',
    'notify.by': 'Me prévenir par',
    'notify.bySms': 'SMS',
    'notify.byEmail': 'E-mail',
    'notify.phone': 'Votre numéro de téléphone',
    'notify.phoneHint': 'Par exemple 07 08 09 10 11.',
    'notify.email': 'Votre adresse e-mail',
    'notify.emailHint': 'Par exemple awa@exemple.ci.',
    'notify.once': 'Nous vous prévenons une seule fois quand la taille {size} revient. Ce message ne réserve pas d’article : les premiers à commander sont servis.',
    'notify.submit': 'Me prévenir',
    'notify.phoneRequired': 'Indiquez votre numéro de téléphone.',
    'notify.emailRequired': 'Indiquez votre adresse e-mail.',
    'notify.doneSms': 'C’est noté : nous vous prévenons une seule fois, par SMS au {contact}, quand la taille {size} revient.',
    'notify.doneEmail': 'C’est noté : nous vous prévenons une seule fois, par e-mail à {contact}, quand la taille {size} revient.',
    'notify.another': 'Me prévenir pour une autre taille',
    'notify.sizeColor': '{size} ({color})',
    'unsubscribe.title': 'Ne plus recevoir d’alerte',
    'unsubscribe.lead': 'Vous aviez demandé un message quand une taille revient en stock. Appuyez sur le bouton pour ne plus rien recevoir pour cette taille.',
    'unsubscribe.button': 'Ne plus me prévenir',
    'unsubscribe.done': 'C’est fait : vous ne recevrez plus de message pour cette taille.',
    'unsubscribe.missing': 'Ce lien est incomplet : ouvrez le lien reçu en entier.',
  },
  en: {
    'notify.titleOne': 'Size {size} sold out?',
    'notify.titleMany': 'A size sold out?',
    'notify.titleAll': 'All sold out for now',
    'notify.leadAll': 'Choose your size and leave your number or your e-mail: we tell you when it is back.',
    'notify.lead': 'Leave your number or your e-mail: we tell you when it is back.',
    'notify.open': 'Tell me',
    'notify.which': 'Which size?',
    'notify.by': 'Tell me by',
    'notify.bySms': 'Text message',
    'notify.byEmail': 'E-mail',
    'notify.phone': 'Your phone number',
    'notify.phoneHint': 'For example 07 08 09 10 11.',
    'notify.email': 'Your e-mail address',
    'notify.emailHint': 'For example awa@example.ci.',
    'notify.once': 'We tell you once, when size {size} is back. This message holds no item for you: the first to order are served.',
    'notify.submit': 'Tell me',
    'notify.phoneRequired': 'Enter your phone number.',
    'notify.emailRequired': 'Enter your e-mail address.',
    'notify.doneSms': 'Noted: we tell you once, by text message to {contact}, when size {size} is back.',
    'notify.doneEmail': 'Noted: we tell you once, by e-mail to {contact}, when size {size} is back.',
    'notify.another': 'Tell me about another size',
    'notify.sizeColor': '{size} ({color})',
    'unsubscribe.title': 'Stop the alert',
    'unsubscribe.lead': 'You asked to be told when a size is back in stock. Press the button to get no message about this size.',
    'unsubscribe.button': 'Stop telling me',
    'unsubscribe.done': 'Done: you will get no message about this size.',
    'unsubscribe.missing': 'This link is incomplete: open the whole link you received.',
  },
});

/** "M", or "M (Bleu)" when the product comes in colours. */
function sizeName(v) {
  return v.color ? t('notify.sizeColor', { size: v.size, color: v.color }) : v.size;
}

/** A row of radio buttons drawn as chips, like the size picker. */
function chips(name, legend, options, checked, onChange) {
  return h('fieldset', { class: 'picker' }, h('legend', null, legend),
    h('div', { class: 'options' }, options.map((o) => h('span', { class: 'option' },
      h('input', { type: 'radio', name, id: `${name}-${o.value}`, value: o.value, checked: o.value === checked, onchange: () => onChange(o.value) }),
      h('label', { for: `${name}-${o.value}` }, o.label)))));
}

/**
 * The "Me prévenir" box of product `p`; `draw(variants)` shows it for the
 * sold-out ones among `variants` (the colour picked), and hides it when
 * none is.
 */
export function notifyMe(p) {
  const box = h('section', { class: 'notify-me', id: 'notify-me', 'aria-labelledby': 'notify-title', hidden: true });
  const draw = (variants) => {
    const out = variants.filter((v) => v.available <= 0);
    box.hidden = !out.length;
    if (!out.length) { mount(box); return; }
    const pick = { sku: out[0].sku, by: 'phone' };
    const form = h('form', { class: 'notify-form', id: 'notify-form', novalidate: true, hidden: true });
    const open = h('button', { type: 'button', class: 'btn btn-ghost', id: 'notify-open', 'aria-expanded': 'false', 'aria-controls': 'notify-form' }, t('notify.open'));
    const done = h('p', { class: 'alert alert-ok', id: 'notify-done', tabindex: '-1', hidden: true });
    const contact = h('input', { id: 'notify-contact', 'aria-describedby': 'notify-error notify-hint notify-once' });
    const label = h('label', { for: 'notify-contact' });
    const hint = h('p', { class: 'hint', id: 'notify-hint' });
    const once = h('p', { class: 'notify-once', id: 'notify-once' });
    const error = h('p', { class: 'field-error', id: 'notify-error' });
    const variant = () => out.find((v) => v.sku === pick.sku);
    const drawContact = () => {
      const phone = pick.by === 'phone';
      Object.assign(contact, phone
        ? { type: 'tel', autocomplete: 'tel', inputMode: 'tel', maxLength: 32 }
        : { type: 'email', autocomplete: 'email', inputMode: 'email', maxLength: 254 });
      contact.value = '';
      label.textContent = t(phone ? 'notify.phone' : 'notify.email');
      hint.textContent = t(phone ? 'notify.phoneHint' : 'notify.emailHint');
      error.textContent = '';
      contact.removeAttribute('aria-invalid');
    };
    const drawOnce = () => { once.textContent = t('notify.once', { size: sizeName(variant()) }); };
    mount(form,
      out.length > 1 ? chips('notify-size', t('notify.which'), out.map((v) => ({ value: v.sku, label: sizeName(v) })), pick.sku, (sku) => { pick.sku = sku; drawOnce(); }) : null,
      chips('notify-by', t('notify.by'), [{ value: 'phone', label: t('notify.bySms') }, { value: 'email', label: t('notify.byEmail') }], pick.by, (by) => { pick.by = by; drawContact(); contact.focus(); }),
      h('div', { class: 'field' }, label, contact, hint, error),
      once,
      h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'notify-submit' }, t('notify.submit')));
    drawContact();
    drawOnce();
    // Once open, the form's own button is the one to press: no second "Me prévenir".
    const show = (focus) => {
      form.hidden = false;
      open.hidden = true;
      open.setAttribute('aria-expanded', 'true');
      if (focus) form.querySelector('input')?.focus();
    };
    open.addEventListener('click', () => show(true));
    contact.addEventListener('input', () => {
      error.textContent = '';
      contact.removeAttribute('aria-invalid');
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = contact.value.trim();
      const fail = (message, invalid = true) => {
        error.textContent = message;
        if (invalid) contact.setAttribute('aria-invalid', 'true');
        else contact.removeAttribute('aria-invalid');
        contact.focus();
      };
      if (!value) { fail(t(pick.by === 'phone' ? 'notify.phoneRequired' : 'notify.emailRequired')); return; }
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      const answer = await api(`/api/v1/products/${encodeURIComponent(p.slug)}/waitlist`, { method: 'POST', body: { sku: pick.sku, [pick.by]: value } });
      button.disabled = false;
      if (!answer.ok) {
        // Every refusal is said next to the field: what was typed, the size
        // (back in stock meanwhile), too many signups.
        const errors = answer.data.errors || [];
        fail(errors.map((e) => e.detail).join(' ') || answer.data.detail, errors.some((e) => e.field === 'phone' || e.field === 'email'));
        return;
      }
      form.hidden = true;
      open.hidden = true;
      done.textContent = t(pick.by === 'phone' ? 'notify.doneSms' : 'notify.doneEmail', { contact: value, size: sizeName(variant()) });
      done.hidden = false;
      done.append(' ', h('button', { type: 'button', class: 'btn btn-ghost btn-small', id: 'notify-another', onclick: () => { draw(variants); document.getElementById('notify-open')?.click(); document.getElementById('notify-contact')?.focus(); } }, t('notify.another')));
      done.focus();
    });
    mount(box,
      h('h2', { id: 'notify-title' }, !p.in_stock ? t('notify.titleAll') : out.length === 1 ? t('notify.titleOne', { size: sizeName(out[0]) }) : t('notify.titleMany')),
      h('p', { class: 'muted' }, t(p.in_stock ? 'notify.lead' : 'notify.leadAll')),
      open, form, done);
    // Nothing left to buy: the form is what the page offers, open at once.
    if (!p.in_stock) show(false);
  };
  return { element: box, draw };
}

/** `#/desinscription/{token}`: a button ends the alert; opening the page changes nothing. */
export function unsubscribeView(app, token) {
  const status = h('div', { id: 'unsubscribe-status', tabindex: '-1' });
  const button = h('button', { type: 'button', class: 'btn btn-primary', id: 'unsubscribe', disabled: !token }, t('unsubscribe.button'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    const answer = await api('/api/v1/waitlist/unsubscribe', { method: 'POST', body: { token } });
    if (!answer.ok) {
      button.disabled = false;
      mount(status, h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
      return;
    }
    button.hidden = true;
    mount(status, h('p', { class: 'alert alert-ok' }, t('unsubscribe.done')), h('a', { class: 'btn btn-ghost', href: '#/' }, t('cart.browse')));
    status.focus();
  });
  mount(app, h('div', { class: 'unsubscribe' },
    h('h1', null, t('unsubscribe.title')),
    h('p', null, t('unsubscribe.lead')),
    token ? null : h('p', { class: 'alert alert-error', role: 'alert' }, t('unsubscribe.missing')),
    button, status));
}
