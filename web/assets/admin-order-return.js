// The return or exchange of a shipped or delivered order, in one dialog:
// per line how many units come back, whether they go back to stock (not a
// damaged item), the items given instead, chosen by product, size and
// colour, and a note. The API does it all or nothing: a replacement the
// stock cannot give refuses the whole return with the checkout's sentence.

import { h, mount } from './common.js';
import { t } from './i18n.js';
import { adminApi, field, showProblem, variantName } from './admin-core.js';
import { formDialog, say } from './admin-dialog.js';

/** As the server's per-line maximum of a checkout. */
const LINE_QUANTITY_MAX = 100;
const NOTE_CHARS_MAX = 2000;

/** Opens the dialog for order `o`; `saved(order)` is called with the order the API answers. */
export async function returnDialog(o, saved) {
  const catalog = await adminApi('/api/v1/admin/products?status=active');
  const products = catalog.ok ? catalog.data.products.filter((p) => p.variants.some((v) => !v.retired)) : [];

  const open = o.lines.filter((l) => l.quantity - (l.returned || 0) > 0);
  const backInputs = open.map((l) => {
    const left = l.quantity - (l.returned || 0);
    const input = h('input', { type: 'number', min: 0, max: left, step: 1, value: 0, inputmode: 'numeric', dataset: { sku: l.sku, max: left } });
    return { line: l, input, field: field(`back-${l.sku}`, variantName(l), input, t('desk.backHint', { ordered: l.quantity, returned: l.returned || 0 })) };
  });
  const restock = h('input', { type: 'checkbox', id: 'return-restock', checked: true, 'aria-describedby': 'return-restock-hint' });
  const note = h('textarea', { rows: 2, maxlength: NOTE_CHARS_MAX });
  const replacements = replacementPicker(products);

  const fields = [
    h('fieldset', { class: 'choices return-lines' }, h('legend', null, t('desk.backUnits')), backInputs.map((b) => b.field)),
    h('div', { class: 'check-explained' }, restock, h('label', { for: 'return-restock' }, t('desk.restock')),
      h('p', { class: 'hint', id: 'return-restock-hint' }, t('desk.restockHint'))),
    replacements.node,
    field('return-note', t('desk.returnNote'), note),
  ];
  const locate = (name) => {
    const line = /^lines\[(\d+)\]/.exec(name || '');
    if (line && sent[Number(line[1])]) return { input: sent[Number(line[1])].input, label: variantName(sent[Number(line[1])].line) };
    if (/^replacements/.test(name || '')) return { input: replacements.product, label: t('desk.product') };
    if (name === 'note') return { input: note, label: t('desk.returnNote') };
    return null;
  };
  let sent = [];

  formDialog({
    id: 'return-dialog', wide: true,
    title: t('desk.returnTitle', { number: o.number }), lead: t('desk.returnLead'),
    fields, submitLabel: t('desk.returnSubmit'), first: backInputs[0]?.input,
    send: async (alert) => {
      const refuse = (input, message) => showProblem({ errors: [{ field: 'quantity', detail: message }] }, () => ({ input, label: '' }), alert)?.focus();
      for (const b of backInputs) {
        const n = Number(b.input.value || 0);
        if (!Number.isInteger(n) || n < 0 || n > Number(b.input.dataset.max)) { refuse(b.input, t('desk.returnTooMany', { max: b.input.dataset.max })); return false; }
      }
      sent = backInputs.filter((b) => Number(b.input.value) > 0);
      if (!sent.length) { refuse(backInputs[0]?.input || restock, t('desk.returnNothing')); return false; }
      const body = {
        lines: sent.map((b) => ({ sku: b.line.sku, quantity: Number(b.input.value) })),
        restock: restock.checked,
        replacements: replacements.lines(),
      };
      if (note.value.trim()) body.note = note.value.trim();
      const answer = await adminApi(`/api/v1/admin/orders/${encodeURIComponent(o.id)}/return`, { method: 'POST', body });
      if (answer.ok) { saved(answer.data); return true; }
      // A short replacement: the checkout's own sentence, nothing was changed.
      if (answer.data.errors?.length) showProblem(answer.data, locate, alert)?.focus();
      else say(alert, answer.data.detail);
      return false;
    },
  });
}

/**
 * The items given instead: a product, then one of its sizes and colours
 * (with what the stock holds), a quantity, "Ajouter"; the lines chosen are
 * listed with a button to take each one off. `lines()` answers them as the
 * API takes them.
 */
function replacementPicker(products) {
  const chosen = new Map();
  const product = h('select', null, h('option', { value: '' }, t('desk.chooseProduct')),
    products.map((p) => h('option', { value: p.id }, p.title)));
  const variant = h('select', { disabled: true }, h('option', { value: '' }, t('desk.chooseVariant')));
  const quantity = h('input', { type: 'number', min: 1, max: LINE_QUANTITY_MAX, step: 1, value: 1, inputmode: 'numeric' });
  const error = h('p', { class: 'field-error', id: 'replacement-error', role: 'alert' });
  const list = h('ul', { class: 'replacement-list', id: 'replacement-list' });
  const names = new Map();
  product.addEventListener('change', () => {
    const p = products.find((x) => x.id === product.value);
    mount(variant, h('option', { value: '' }, t('desk.chooseVariant')),
      (p?.variants || []).filter((v) => !v.retired).map((v) => {
        names.set(v.sku, variantName({ title: p.title, size: v.size, color: v.color }));
        return h('option', { value: v.sku }, t('desk.variantStock', { n: v.available, name: [v.size, v.color].filter(Boolean).join(' · ') }));
      }));
    variant.disabled = !p;
  });
  const draw = () => mount(list, [...chosen].map(([sku, n]) => h('li', { dataset: { sku } },
    h('span', null, t('desk.replacementLine', { n, name: names.get(sku) })),
    h('button', {
      type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('desk.removeReplacement', { name: names.get(sku) }),
      onclick: () => { chosen.delete(sku); draw(); product.focus(); },
    }, '×'))));
  const add = h('button', {
    type: 'button', class: 'btn btn-ghost', id: 'replacement-add',
    onclick: () => {
      const n = Number(quantity.value);
      if (!variant.value) { error.textContent = t('desk.chooseVariantFirst'); (product.value ? variant : product).focus(); return; }
      if (!Number.isInteger(n) || n < 1 || n > LINE_QUANTITY_MAX) { error.textContent = t('admin.wholeNumber'); quantity.focus(); return; }
      error.textContent = '';
      chosen.set(variant.value, (chosen.get(variant.value) || 0) + n);
      draw();
    },
  }, t('desk.addReplacement'));
  const node = h('fieldset', { class: 'choices replacements', 'aria-describedby': 'replacements-hint' },
    h('legend', null, t('desk.replacements')),
    h('p', { class: 'hint', id: 'replacements-hint' }, t('desk.replacementsHint')),
    h('div', { class: 'replacement-pick' },
      field('replacement-product', t('desk.product'), product),
      field('replacement-variant', t('desk.variant'), variant),
      field('replacement-quantity', t('desk.quantity'), quantity),
      add),
    error, list);
  return { node, product, lines: () => [...chosen].map(([sku, n]) => ({ sku, quantity: n })) };
}
