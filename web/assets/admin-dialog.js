// A form in a modal dialog, the way the order desk asks for a reason, an
// edit or a return: a title, the fields, a message where a refusal is
// said, "Annuler" and the action's button. The dialog is removed when it
// closes, so a page holds at most the one being answered.

import { h } from './common.js';
import { t } from './i18n.js';

/**
 * Opens the dialog `id` titled `title` with `fields` (nodes). `send(alert)`
 * runs on submit with the dialog's message box; it answers true when the
 * work is done (the dialog closes) and false to keep it open, the reason
 * said in `alert` or beside a field. `first` gets the focus.
 */
export function formDialog({ id, title, lead, fields, submitLabel, send, first, wide = false }) {
  const alert = h('div', { class: 'alert alert-error', id: `${id}-alert`, role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: `${id}-submit` }, submitLabel);
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost', id: `${id}-cancel` }, t('action.cancel'));
  const form = h('form', { method: 'dialog', novalidate: true },
    h('h2', { id: `${id}-title` }, title),
    lead ? h('p', { class: 'muted', id: `${id}-lead` }, lead) : null,
    fields, alert,
    h('div', { class: 'dialog-actions' }, cancel, submit));
  const dialog = h('dialog', {
    class: `dialog${wide ? ' dialog-wide' : ''}`, id, 'aria-labelledby': `${id}-title`,
    'aria-describedby': lead ? `${id}-lead` : null,
  }, form);
  const close = () => { dialog.close(); dialog.remove(); };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.hidden = true;
    submit.disabled = true;
    const done = await send(alert);
    submit.disabled = false;
    if (done) close();
  });
  document.body.append(dialog);
  dialog.showModal();
  (first || form.querySelector('input, select, textarea') || cancel).focus();
  return dialog;
}

/** Says `message` in a dialog's message box. */
export function say(alert, message) {
  alert.replaceChildren(h('p', null, message));
  alert.hidden = false;
}
