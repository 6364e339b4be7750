// Back office, an order's papers: the packing slip (`#/commandes/{id}/bordereau`)
// and the receipt (`#/commandes/{id}/recu`), each printed on an A4 sheet or
// on an 80 mm thermal ticket. The shop's name and contacts come from
// `GET /api/v1/shop`; returned units are left out of every line.

import { h, money, mount, when } from './common.js';
import { t } from './i18n.js';
import { adminApi, sizeAndColor } from './admin-core.js';
import './admin-desk-i18n.js';

const PAPER_KEY = 'stockroom.paper';
const PAPERS = ['a4', 'thermal'];

export const slipView = (app, id) => paperView(app, id, 'slip');
export const orderReceiptView = (app, id) => paperView(app, id, 'receipt');

function savedPaper() {
  try { return PAPERS.includes(localStorage.getItem(PAPER_KEY)) ? localStorage.getItem(PAPER_KEY) : 'a4'; } catch { return 'a4'; }
}

async function paperView(app, id, kind) {
  const title = t(kind === 'slip' ? 'desk.slip' : 'desk.receipt');
  const back = h('p', { class: 'breadcrumb no-print' }, h('a', { href: `#/commandes/${encodeURIComponent(id)}` }, `‹ ${t('print.back')}`));
  const [order, shop] = await Promise.all([
    adminApi(`/api/v1/admin/orders/${encodeURIComponent(id)}`),
    adminApi('/api/v1/shop'),
  ]);
  if (!order.ok || !shop.ok) {
    mount(app, back, h('h1', null, title), h('p', { class: 'alert alert-error', role: 'alert' }, (order.ok ? shop : order).data.detail));
    return;
  }
  const doc = paper(kind, order.data, shop.data);
  const choice = h('fieldset', { class: 'paper-choice' }, h('legend', null, t('print.format')),
    PAPERS.map((p) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'paper', value: p, checked: p === savedPaper(), onchange: () => usePaper(p, doc) }),
      t(p === 'a4' ? 'print.a4' : 'print.thermal'))));
  const print = h('button', { type: 'button', class: 'btn btn-primary', id: 'print-paper', onclick: () => window.print() }, t('paper.print'));
  mount(app, back, h('div', { class: 'print-toolbar no-print' }, choice, print), doc);
  usePaper(savedPaper(), doc);
}

/**
 * The printed page's size, as a stylesheet made by script: the pages'
 * policy runs no inline style, and a ticket's length is known only once
 * it is drawn. Given to the document while a paper is shown.
 */
const pageSize = new CSSStyleSheet();

/**
 * Lays the paper out for `format`: its width on screen, and the size of
 * the printed page. A ticket's page is as long as its content, so the
 * printer cuts where the receipt ends.
 */
function usePaper(format, doc) {
  try { localStorage.setItem(PAPER_KEY, format); } catch { /* private mode: this page only */ }
  doc.classList.toggle('paper-thermal', format === 'thermal');
  doc.classList.toggle('paper-a4', format === 'a4');
  const millimetres = (px) => Math.ceil((px * 25.4) / 96);
  pageSize.replaceSync(format === 'a4'
    ? '@page { size: A4; margin: 12mm; }'
    : `@page { size: 80mm ${millimetres(doc.scrollHeight) + 8}mm; margin: 0; }`);
  if (!document.adoptedStyleSheets.includes(pageSize)) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSize];
    // Other pages print on the browser's own page size.
    window.addEventListener('hashchange', () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== pageSize);
    }, { once: true });
  }
}

/** The lines as they stand: each line's units less those that came back. */
function keptLines(order) {
  return order.lines.map((l) => ({ ...l, quantity: l.quantity - l.returned })).filter((l) => l.quantity > 0);
}

function paper(kind, o, shop) {
  const lines = keptLines(o);
  const receipt = kind === 'receipt';
  const subtotal = lines.reduce((sum, l) => sum + l.quantity * l.unit_price, 0);
  const amount = (n) => money(n, o.currency);
  const headers = receipt
    ? [t('print.article'), t('print.quantity'), t('print.unitPrice'), t('print.lineTotal')]
    : [t('print.article'), t('print.quantity')];
  return h('article', { class: `paper paper-${kind}`, id: 'paper', dataset: { number: o.number } },
    shopHeader(shop),
    h('h1', { class: 'paper-title' }, t(receipt ? 'desk.receipt' : 'desk.slip'), h('br'),
      h('span', { class: 'paper-number' }, t('print.order', { number: o.number }))),
    h('p', { class: 'paper-date' }, t('print.date', { date: when(o.created_at) })),
    h('div', { class: 'paper-parties' },
      h('section', null, h('h2', null, t('print.customer')),
        h('p', null, h('strong', null, o.customer.name)),
        h('p', null, o.customer.phone),
        o.customer.email ? h('p', null, o.customer.email) : null),
      h('section', null, h('h2', null, t('print.delivery')),
        h('p', { class: 'paper-address' }, o.delivery.address || t('print.noAddress')),
        o.delivery.zone_name || o.delivery.zone ? h('p', null, t('print.zone', { zone: o.delivery.zone_name || o.delivery.zone })) : null,
        o.delivery.pickup_number ? h('p', { class: 'paper-pickup' }, h('strong', null, t('print.pickup', { number: o.delivery.pickup_number }))) : null)),
    h('table', { class: 'paper-lines' },
      h('thead', null, h('tr', null, headers.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
      h('tbody', null, lines.map((l) => h('tr', { dataset: { sku: l.sku } },
        h('td', null, h('strong', null, l.title), h('br'), h('span', null, sizeAndColor(l)), ' ', h('small', { class: 'sku' }, l.sku)),
        h('td', { class: 'num' }, String(l.quantity)),
        receipt ? [h('td', { class: 'num' }, amount(l.unit_price)), h('td', { class: 'num' }, amount(l.quantity * l.unit_price))] : null)))),
    o.lines.some((l) => l.returned) ? h('p', { class: 'paper-small' }, t('print.returnedNote')) : null,
    h('dl', { class: 'paper-totals' },
      total(t('print.subtotal'), amount(subtotal)),
      total(t('print.deliveryFee'), amount(o.delivery_fee)),
      total(t('print.total'), amount(o.total), 'paper-total')),
    paymentBlock(o, receipt, amount),
    !receipt && o.notes ? h('section', { class: 'paper-notes' }, h('h2', null, t('print.notes')), h('p', { class: 'notes' }, o.notes)) : null,
    receipt ? h('p', { class: 'paper-foot' }, t('print.thanks'))
      : h('p', { class: 'paper-foot' }, h('span', null, t('print.packedBy')), ' ', h('span', null, t('print.checkedBy'))));
}

function shopHeader(shop) {
  return h('header', { class: 'paper-shop' },
    shop.logo_url ? h('img', { src: shop.logo_url, alt: '', class: 'paper-logo' }) : null,
    h('div', null,
      h('p', { class: 'paper-shop-name' }, shop.name || t('admin.unnamedShop')),
      shop.address ? h('p', { class: 'paper-shop-address' }, shop.address) : null,
      h('p', null, [
        shop.phone ? t('print.contact', { phone: shop.phone }) : null,
        shop.whatsapp ? t('print.whatsapp', { phone: shop.whatsapp }) : null,
      ].filter(Boolean).join(' · '))));
}

function total(label, value, id) {
  return h('div', { class: 'paper-total-row', id }, h('dt', null, label), h('dd', null, value));
}

/** Paid, refunded, or — on a slip — what the courier collects. */
function paymentBlock(o, receipt, amount) {
  const p = o.payment || { status: 'unpaid', method: null, amount: 0, reference: null };
  const status = p.status === 'paid' && p.method ? t('print.paidBy', { method: t(`paidWith.${p.method}`) }) : t(`print.${p.status}`);
  return h('section', { class: `paper-payment paper-${p.status}`, id: 'paper-payment' },
    h('h2', null, t('print.payment')),
    h('p', null, h('strong', null, status)),
    p.status === 'unpaid' && !receipt ? h('p', { class: 'paper-collect' }, h('strong', null, t('print.toCollect', { amount: amount(o.total) }))) : null,
    p.status !== 'unpaid' && p.amount ? h('p', null, t('print.amountPaid', { amount: amount(p.amount) })) : null,
    p.reference ? h('p', null, t('print.reference', { reference: p.reference })) : null);
}
