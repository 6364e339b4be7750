// Back office, "Réglages" → "Notifications" (owner): the e-mail (SMTP) and
// SMS gateway channels, each with its form, the events it sends, a test
// message and its recent deliveries. Secrets come back as "********"; sent
// back as they are, the server keeps the stored ones.

import { confirmDialog, h, mount, toast } from './common.js';
import { t } from './i18n.js';
import './admin-notifications-i18n.js';
import { adminApi, showProblem } from './admin-core.js';
import { oneErrorPerControl, settleErrors } from './admin-notify-fields.js';
import { settingsTabs } from './admin-settings-tabs.js';
import { deliveriesTable } from './admin-deliveries.js';
import { emailForm } from './admin-notify-email.js';
import { smsForm } from './admin-notify-sms.js';

const PATH = '/api/v1/admin/notifications';

/** `#/reglages/notifications`: both channels, each in its own form. */
export async function notificationsView(app) {
  const answer = await adminApi(PATH);
  if (!answer.ok) {
    mount(app, settingsTabs('notifications'), h('h1', null, t('reglages.notifications')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
    return;
  }
  mount(app, settingsTabs('notifications'),
    h('h1', null, t('reglages.notifications')),
    h('p', { class: 'muted page-lead' }, t('notif.lead')),
    channelSection('email', answer.data.email, emailForm),
    channelSection('sms', answer.data.sms, smsForm));
}

/**
 * One channel: its form (`makeForm(settings)` → `{fields, collect(),
 * locate(field), summary(settings)}`), "Enregistrer", the test, "Ne plus
 * envoyer", and its deliveries. Saving sends this channel only: the other
 * one stays as it is.
 */
function channelSection(channel, settings, makeForm) {
  const section = h('section', { class: 'channel', id: `channel-${channel}`, 'aria-labelledby': `channel-${channel}-title` });
  const deliveries = deliveriesTable(`${channel}-deliveries`, t(`notif.deliveries.${channel}`),
    () => adminApi(`${PATH}/deliveries?channel=${channel}`));
  const draw = (current, focus = false) => {
    const parts = makeForm(current);
    const alert = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
    const state = h('p', { class: `channel-state ${current ? 'on' : 'off'}`, id: `${channel}-state` }, current ? parts.summary(current) : t('notif.off'));
    const form = h('form', { class: 'panel settings-form channel-form', id: `${channel}-form`, novalidate: true },
      h('h2', { id: `channel-${channel}-title`, tabindex: '-1' }, t(`${channel}.title`)),
      state,
      parts.fields,
      alert,
      h('div', { class: 'form-actions' },
        current ? h('button', { type: 'button', class: 'btn btn-danger-ghost disable', onclick: () => disable() }, t(`notif.disable.${channel}`)) : null,
        h('button', { type: 'button', class: 'btn btn-ghost test', onclick: () => test() }, t('notif.test')),
        h('button', { type: 'submit', class: 'btn btn-primary save' }, t('notif.save'))));
    let dirty = false;
    form.addEventListener('input', () => { dirty = true; });
    form.addEventListener('change', () => { dirty = true; });
    /** Saves this channel; answers whether it was accepted. */
    const save = async () => {
      const saved = await adminApi(PATH, { method: 'PUT', body: { [channel]: parts.collect() } });
      if (!saved.ok) {
        const first = showProblem(oneErrorPerControl(saved.data, parts.locate), parts.locate, alert);
        settleErrors(form);
        (first || alert).focus?.();
        return false;
      }
      draw(saved.data[channel], true);
      return true;
    };
    const test = async () => {
      if ((dirty || !current) && !(await save())) return;
      const sent = await adminApi(`${PATH}/test`, { method: 'POST', body: { channel } });
      if (!sent.ok) { toast(sent.data.detail); return; }
      toast(t(`notif.tested.${channel}`), 'ok');
      await deliveries.refresh();
      deliveries.follow();
    };
    const disable = async () => {
      if (!(await confirmDialog(t(`notif.disableConfirm.${channel}`), t(`notif.disable.${channel}`)))) return;
      const saved = await adminApi(PATH, { method: 'PUT', body: { [channel]: null } });
      if (!saved.ok) { toast(saved.data.detail); return; }
      draw(null, true);
      toast(t(`notif.disabled.${channel}`), 'ok');
    };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (await save()) toast(t(`notif.saved.${channel}`), 'ok');
    });
    mount(section, form,
      h('h3', { class: 'section-title' }, t(`notif.deliveries.${channel}`)),
      deliveries.element);
    // The form was drawn anew: the reader goes on from its title.
    if (focus) section.querySelector('h2').focus();
  };
  draw(settings);
  deliveries.refresh();
  return section;
}
