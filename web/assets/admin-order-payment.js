// An order's payment: what was recorded (unpaid, paid or refunded, how,
// how much, the transaction's reference) and the form that records it, the
// amount proposed as the order's total and a warning while a paid amount
// is not that total.

import { currencyLabel, h, money } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, showProblem } from './admin-core.js';

export const PAYMENT_STATUSES = ['unpaid', 'paid', 'refunded'];
/** The ways a shop in Abidjan is paid, as the API names them. */
export const METHODS = ['cash', 'wave', 'orange_money', 'mtn_momo', 'moov_money', 'card', 'other'];
const REFERENCE_CHARS_MAX = 100;

/** An order's payment before anything was recorded. */
const NOTHING_YET = { status: 'unpaid', method: null, amount: 0, reference: null };

/** "Payée · Wave", "Non payée": the list's and the page's badge. */
export function paymentBadge(payment) {
  const words = [t(`payment.${payment.status}`)];
  if (payment.status !== 'unpaid' && payment.method) words.push(t(`method.${payment.method}`));
  return h('span', { class: `pay pay-${payment.status}` }, words.join(' · '));
}

/** How many of the API's units make one of the currency (amounts are sent in minor units). */
function scaleOf(currency) {
  if (currency === 'XOF' || currency === 'XAF') return 1;
  try {
    return 10 ** new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 1;
  }
}

/** The panel "Paiement" of order `o`; `saved(order)` is called with the order the API answers. */
export function paymentPanel(o, saved) {
  const paid = o.payment || NOTHING_YET;
  const scale = scaleOf(o.currency);
  const status = h('select', { name: 'status' },
    PAYMENT_STATUSES.map((s) => h('option', { value: s, selected: paid.status === s }, t(`payment.${s}`))));
  const method = h('select', { name: 'method', required: true }, h('option', { value: '' }, t('desk.chooseMethod')),
    METHODS.map((m) => h('option', { value: m, selected: paid.method === m }, t(`method.${m}`))));
  const proposed = paid.status === 'unpaid' ? o.total : paid.amount;
  const amount = h('input', {
    type: 'number', name: 'amount', min: 0, step: scale === 1 ? 1 : 1 / scale, inputmode: scale === 1 ? 'numeric' : 'decimal',
    value: String(proposed / scale), required: true,
  });
  const reference = h('input', { type: 'text', name: 'reference', maxlength: REFERENCE_CHARS_MAX, autocomplete: 'off', value: paid.reference || '' });
  const details = h('div', { class: 'pay-details' },
    field('pay-method', t('desk.method'), method),
    field('pay-amount', t('desk.amount', { currency: currencyLabel(o.currency) }), amount, t('desk.amountHint')),
    field('pay-reference', t('desk.reference'), reference, t('desk.referenceHint')));
  const warning = h('p', { class: 'alert alert-warn', id: 'pay-warning', hidden: true });
  const live = h('div', { 'aria-live': 'polite' }, warning);
  const alert = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const typed = () => Math.round(Number(amount.value) * scale);
  const sync = () => {
    details.hidden = status.value === 'unpaid';
    const differs = status.value === 'paid' && amount.value.trim() !== '' && Number.isFinite(Number(amount.value)) && typed() !== o.total;
    warning.hidden = !differs;
    warning.textContent = differs ? t('desk.amountDiffers', { paid: money(typed(), o.currency), total: money(o.total, o.currency) }) : '';
  };
  status.addEventListener('change', sync);
  amount.addEventListener('input', sync);
  sync();

  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'pay-submit' }, t('desk.savePayment'));
  const form = h('form', { id: 'payment-form', novalidate: true },
    field('pay-status', t('desk.paymentState'), status), details, live, alert, submit);
  const locate = (name) => ({ status: { input: status, label: t('desk.paymentState') }, method: { input: method, label: t('desk.method') },
    amount: { input: amount, label: t('desk.amount', { currency: currencyLabel(o.currency) }) }, reference: { input: reference, label: t('desk.reference') } })[name] || null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settled = status.value !== 'unpaid';
    const refuse = (input, message) => showProblem({ errors: [{ field: input.name, detail: message }] }, locate, alert)?.focus();
    if (settled && !method.value) { refuse(method, t('desk.methodRequired')); return; }
    if (settled && (amount.value.trim() === '' || !Number.isFinite(Number(amount.value)) || typed() < 0)) { refuse(amount, t('desk.amountRequired')); return; }
    const body = settled
      ? { status: status.value, method: method.value, amount: typed(), reference: reference.value.trim() || null }
      : { ...NOTHING_YET };
    submit.disabled = true;
    const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(o.id)}/payment`, { method: 'POST', body });
    submit.disabled = false;
    if (!answer.ok) { showProblem(answer.data, locate, alert)?.focus(); return; }
    saved(answer.data);
  });

  return h('section', { class: 'panel', id: 'order-payment', 'aria-labelledby': 'order-payment-title' },
    h('h2', { id: 'order-payment-title' }, t('desk.paymentTitle')),
    h('p', { id: 'payment-summary' }, summary(paid, o.currency)),
    form);
}

/** "Payée par Wave : 15 000 FCFA. Référence : …" */
function summary(paid, currency) {
  if (paid.status === 'unpaid') return t('desk.notPaidYet');
  const amount = money(paid.amount, currency);
  const said = paid.method
    ? t(paid.status === 'paid' ? 'desk.paidWith' : 'desk.refundedWith', { method: t(`method.${paid.method}`), amount })
    : t(paid.status === 'paid' ? 'desk.paidNoMethod' : 'desk.refundedNoMethod', { amount });
  return [said, paid.reference ? [' ', t('desk.referenceIs', { reference: paid.reference })] : null];
}
