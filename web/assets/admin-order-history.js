// An order's history, oldest first, in plain words: its creation, each
// status change (a step back with its reason), payments, staff notes,
// edits of its delivery and returns; each with who did it and when. The
// form under it adds a staff note.

import { h, money, when } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, showProblem, variantName } from './admin-core.js';

/** As the server's limit on a note. */
const NOTE_CHARS_MAX = 2000;
/** The statuses an order moves through, in order: a move to an earlier one is a step back. */
const FORWARD = ['pending', 'confirmed', 'processing', 'shipped', 'delivered'];

/** The panel "Historique" of order `o` with its `events`; `added()` is called once a note is kept. */
export function historyPanel(o, events, added) {
  const list = events.length
    ? h('ol', { class: 'timeline', id: 'order-timeline' }, events.map((ev) => eventItem(ev, o.currency)))
    : h('p', { class: 'muted', id: 'order-timeline' }, t('desk.noHistory'));
  return h('section', { class: 'panel', id: 'order-history', 'aria-labelledby': 'order-history-title' },
    h('h2', { id: 'order-history-title' }, t('desk.history')),
    list,
    noteForm(o, added));
}

function eventItem(ev, currency) {
  const { title, lines = [], note = null } = describe(ev, currency);
  // Only the buyer's own order has no actor; anything else without one says no name.
  const by = ev.actor ? t('desk.by', { actor: ev.actor }) : ev.kind === 'created' ? t('desk.byCustomer') : null;
  return h('li', { class: `ev ev-${ev.kind}`, dataset: { kind: ev.kind } },
    h('p', { class: 'ev-what' }, h('strong', null, title)),
    lines.length ? h('ul', { class: 'ev-lines' }, lines.map((line) => h('li', null, line))) : null,
    note ? h('p', { class: 'ev-text' }, note) : null,
    h('p', { class: 'ev-meta' }, h('time', { datetime: ev.at }, when(ev.at)), by ? ` · ${by}` : null));
}

/** What one event says: its title, the lines under it (a return's items) and its note. */
function describe(ev, currency) {
  const d = ev.detail || {};
  const status = (s) => t(`status.${s}`);
  switch (ev.kind) {
    case 'created':
      return { title: t(ev.actor ? 'desk.ev.createdBy' : 'desk.ev.created'), note: ev.note };
    case 'status': {
      if (ev.to === 'cancelled') return { title: t('desk.ev.cancelled'), note: ev.note };
      const back = FORWARD.indexOf(ev.to) >= 0 && FORWARD.indexOf(ev.to) < FORWARD.indexOf(ev.from);
      return back
        ? { title: t('desk.ev.stepBack', { from: status(ev.from), to: status(ev.to) }), note: ev.note ? t('desk.ev.reason', { note: ev.note }) : null }
        : { title: t('desk.ev.status', { to: status(ev.to) }), note: ev.note };
    }
    case 'payment':
      return { title: paymentTitle(ev.to || d.status, d, currency), note: d.reference ? t('desk.referenceIs', { reference: d.reference }) : ev.note };
    case 'note':
      return { title: t('desk.ev.note'), note: ev.note };
    case 'edit': {
      const key = d.field === 'pickup_number' ? 'desk.ev.pickup_number' : 'desk.ev.address';
      const shown = (value) => (value ? `«\u00a0${value}\u00a0»` : t('desk.ev.empty'));
      return { title: t(key, { from: shown(ev.from), to: shown(ev.to) }), note: ev.note };
    }
    case 'return':
      return returned(ev, d, currency);
    default:
      return { title: ev.kind, note: ev.note };
  }
}

function paymentTitle(status, d, currency) {
  if (status === 'unpaid') return t('desk.ev.unpaid');
  const amount = money(d.amount ?? 0, currency);
  const refund = status === 'refunded';
  return d.method
    ? t(refund ? 'desk.ev.refunded' : 'desk.ev.paid', { amount, method: t(`method.${d.method}`) })
    : t(refund ? 'desk.ev.refundedNoMethod' : 'desk.ev.paidNoMethod', { amount });
}

/** A return: each item back (restocked or not), each given instead, and the total when it moved. */
function returned(ev, d, currency) {
  const replacements = d.replacements || [];
  const lines = [
    ...(d.lines || []).map((l) => t(l.restocked ? 'desk.ev.back' : 'desk.ev.backDamaged', { n: l.quantity, name: variantName(l) })),
    ...replacements.map((r) => t('desk.ev.given', { n: r.quantity, name: variantName(r), price: money(r.unit_price, currency) })),
  ];
  if (d.total_before !== undefined && d.total_before !== d.total_after) {
    lines.push(t('desk.ev.total', { before: money(d.total_before, currency), after: money(d.total_after, currency) }));
  }
  return { title: t(replacements.length ? 'desk.ev.exchange' : 'desk.ev.return'), lines, note: ev.note };
}

/** "Ajouter une note": kept with the staff member's name, never shown to the customer. */
function noteForm(o, added) {
  const note = h('textarea', { name: 'note', rows: 3, maxlength: NOTE_CHARS_MAX, required: true });
  const alert = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'note-submit' }, t('desk.noteSave'));
  const form = h('form', { id: 'note-form', class: 'note-form', novalidate: true },
    h('h3', null, t('desk.addNote')),
    field('note-text', t('desk.noteLabel'), note, t('desk.noteHint')), alert, submit);
  const locate = (name) => (name === 'note' ? { input: note, label: t('desk.noteLabel') } : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = note.value.trim();
    const refuse = (message) => showProblem({ errors: [{ field: 'note', detail: message }] }, locate, alert)?.focus();
    if (!text) { refuse(t('desk.noteEmpty')); return; }
    if ([...text].length > NOTE_CHARS_MAX) { refuse(t('desk.noteTooLong')); return; }
    submit.disabled = true;
    const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(o.id)}/notes`, { method: 'POST', body: { note: text } });
    submit.disabled = false;
    if (!answer.ok) { showProblem(answer.data, locate, alert)?.focus(); return; }
    added(answer.data);
  });
  return form;
}
