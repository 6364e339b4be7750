// Form pieces the webhooks and the notification channels share: the event
// types as ticked boxes, a list typed one per line, and a copy button.

import { h, toast } from './common.js';
import { addStrings, t } from './i18n.js';
import { EVENT_TYPES, eventLabel } from './admin-events.js';

addStrings({
  fr: { 'notifyFields.copyFailed': 'Copie impossible ici : sélectionnez le texte et copiez-le à la main.' },
  en: { 'notifyFields.copyFailed': 'Copying is not possible here: select the text and copy it by hand.' },
});

/**
 * One box per event type, in French words, under `legend`; `checked` are
 * ticked. `locate()` names the first box for a refusal of the list
 * (`settleErrors` then moves the message under the whole list).
 */
export function eventChecks(prefix, legend, checked = []) {
  const boxes = EVENT_TYPES.map((type, i) => h('input', { type: 'checkbox', id: `${prefix}-${i}`, value: type, checked: checked.includes(type) }));
  const fieldset = h('fieldset', { class: 'choices event-checks', id: prefix },
    h('legend', null, legend),
    h('div', { class: 'event-checks-grid' }, boxes.map((box, i) => h('div', { class: 'check' }, box, h('label', { for: box.id }, eventLabel(EVENT_TYPES[i]))))));
  return {
    element: fieldset,
    values: () => boxes.filter((b) => b.checked).map((b) => b.value),
    locate: () => ({ input: boxes[0], label: legend }),
  };
}

/**
 * `showProblem` puts a message right after its control; for a box or a
 * radio button of a group, it belongs under the whole group.
 */
export function settleErrors(root) {
  for (const message of root.querySelectorAll('.check > .field-error.from-server')) {
    message.closest('fieldset')?.append(message);
  }
}

/**
 * The problem with the refusals that land on one control joined into one
 * (`email.to[0]` and `email.to[2]` are both the recipients' box): one
 * message per control, so no two messages share an id.
 */
export function oneErrorPerControl(problem, locate) {
  const merged = [];
  const byControl = new Map();
  for (const e of problem.errors || []) {
    const input = locate(e.field)?.input;
    const same = input && byControl.get(input);
    if (same) { same.detail = `${same.detail} ${e.detail}`; continue; }
    const copy = { ...e };
    if (input) byControl.set(input, copy);
    merged.push(copy);
  }
  return { ...problem, errors: merged };
}

/** "a@b.ci\nc@d.ci" or "a@b.ci, c@d.ci" → ["a@b.ci", "c@d.ci"]. */
export function linesOf(text) {
  return text.split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean);
}

/** Copies the text of a read-only `input`; where the browser refuses, the text is selected for the reader. */
export async function copyText(input, done) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    toast(done, 'ok');
  } catch {
    // Plain http on the shop's network: no clipboard API, the old way may work.
    const copied = document.execCommand?.('copy');
    toast(copied ? done : t('notifyFields.copyFailed'), copied ? 'ok' : 'error');
  }
}
