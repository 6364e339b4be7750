// Two questions the order page asks in a dialog: the reason for a step
// back in the order's status, and the new delivery address or pick-up
// number. Each answers the order the API sends back.

import { h } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, showProblem } from './admin-core.js';
import { formDialog, say } from './admin-dialog.js';

/** As the server's limits on an order's address and pick-up number. */
const ADDRESS_CHARS_MAX = 500;
const PICKUP_NUMBER_CHARS_MAX = 64;
const REASON_CHARS_MAX = 500;

/** Asks why order `o` goes back to `to`, then moves it; `saved(order)` gets the API's order. */
export function stepBackDialog(o, to, saved) {
  const reason = h('textarea', { rows: 2, maxlength: REASON_CHARS_MAX, required: true });
  const locate = (name) => (name === 'reason' ? { input: reason, label: t('desk.reason') } : null);
  formDialog({
    id: 'step-back-dialog',
    title: t('desk.stepBackTitle', { status: t(`status.${to}`) }),
    lead: t('desk.stepBackLead', { number: o.number, from: t(`status.${o.status}`), to: t(`status.${to}`) }),
    fields: [field('step-back-reason', t('desk.reason'), reason, t('desk.reasonHint'))],
    submitLabel: t('desk.stepBackTitle', { status: t(`status.${to}`) }),
    first: reason,
    send: async (alert) => {
      if (!reason.value.trim()) {
        showProblem({ errors: [{ field: 'reason', detail: t('desk.reasonRequired') }] }, locate, alert)?.focus();
        return false;
      }
      const body = { status: to, reason: reason.value.trim() };
      const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(o.id)}/status`, { method: 'POST', body });
      if (!answer.ok) { showProblem(answer.data, locate, alert)?.focus(); return false; }
      saved(answer.data);
      return true;
    },
  });
}

/** Edits order `o`'s delivery address and pick-up number; `saved(order)` gets the API's order. */
export function editDeliveryDialog(o, saved) {
  const address = h('textarea', { rows: 2, maxlength: ADDRESS_CHARS_MAX, autocomplete: 'off' }, o.delivery?.address || '');
  const pickup = h('input', { type: 'text', maxlength: PICKUP_NUMBER_CHARS_MAX, autocomplete: 'off', value: o.delivery?.pickup_number || '' });
  const locate = (name) => ({
    pickup_number: { input: pickup, label: t('desk.pickupNumber') },
    'delivery.address': { input: address, label: t('form.address.label') },
    address: { input: address, label: t('form.address.label') },
  })[name] || null;
  formDialog({
    id: 'edit-delivery-dialog',
    title: t('desk.editTitle', { number: o.number }),
    fields: [
      field('edit-address', t('form.address.label'), address, t('desk.addressHint')),
      field('edit-pickup', t('desk.pickupNumber'), pickup, t('desk.pickupHint')),
    ],
    submitLabel: t('admin.save'),
    first: address,
    send: async (alert) => {
      // Only what changed is sent: each change is one line of the history.
      const body = {};
      const typed = (input) => input.value.trim() || null;
      if (typed(pickup) !== (o.delivery?.pickup_number || null)) body.pickup_number = typed(pickup);
      if (typed(address) !== (o.delivery?.address || null)) body.delivery = { address: typed(address) };
      if (!Object.keys(body).length) { say(alert, t('desk.nothingChanged')); return false; }
      const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(o.id)}`, { method: 'PATCH', body });
      if (!answer.ok) { showProblem(answer.data, locate, alert)?.focus(); return false; }
      saved(answer.data);
      return true;
    },
  });
}
