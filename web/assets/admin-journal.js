// Back office, "Réglages" → "Journal des événements": what happened in the
// shop, newest first, in words, each linked to its order, its size's
// movements or the audit; filtered by type, and older pages on demand.
// New events arrive live (admin-live.js passes them on).
//
// The API lists events oldest first after an id. The newest are found by
// looking ahead for the last id (a few small requests), then pages go
// backwards by windows of ids: (start, end] read whole, widened until it
// holds a page's worth of events or reaches the first one.

import { h, mount, when } from './common.js';
import { addStrings, t } from './i18n.js';
import { adminApi, field, foldedFilters, hashQuery } from './admin-core.js';
import { settingsTabs } from './admin-settings-tabs.js';
import { EVENT_TYPES, catalogNames, eventLabel, eventSentence } from './admin-events.js';

addStrings({
  fr: {
    'journal.lead': 'Tout ce que la boutique a noté, du plus récent au plus ancien : commandes, paiements, tailles épuisées ou revenues, différences trouvées par la vérification. C’est ce que reçoivent les webhooks et les notifications.',
    'journal.type': 'Type d’événement',
    'journal.allTypes': 'Tous les événements',
    'journal.filter': 'Afficher',
    'journal.filters': 'Filtrer le journal',
    'journal.none': 'Aucun événement pour l’instant.',
    'journal.noneOfType': 'Aucun événement de ce type.',
    'journal.older': 'Événements plus anciens',
    'journal.end': 'Début du journal.',
    'journal.list': 'Événements, du plus récent au plus ancien',
  },
  en: {
    'journal.lead': 'Everything the shop noted, newest first: orders, payments, sizes sold out or back, differences found by the audit. This is what webhooks and notifications receive.',
    'journal.type': 'Event type',
    'journal.allTypes': 'All events',
    'journal.filter': 'Show',
    'journal.filters': 'Filter the log',
    'journal.none': 'No event yet.',
    'journal.noneOfType': 'No event of this type.',
    'journal.older': 'Older events',
    'journal.end': 'Start of the log.',
    'journal.list': 'Events, newest first',
  },
});

/** Events a page shows at least (unless the log is shorter). */
const PAGE = 30;
/** At most this many are drawn at once; the rest waits for "plus anciens". */
const PAGE_MAX = 200;
/** The API's page, at most. */
const LIMIT_MAX = 500;

async function eventsAfter(after, { type = '', limit = LIMIT_MAX } = {}) {
  const q = new URLSearchParams({ after: String(after), limit: String(limit) });
  if (type) q.set('type', type);
  const answer = await adminApi(`/api/v1/admin/events?${q}`);
  if (!answer.ok) throw new Error(answer.data.detail);
  return answer.data.events;
}

/**
 * The last id of the log (0 when empty): ahead by growing steps until
 * nothing follows, then halving the gap; a probe that sees the end (fewer
 * events than asked) stops at once.
 */
async function lastId() {
  const probe = 50;
  let low = 0;
  let high = null;
  for (let step = 2048; high === null; step *= 4) {
    const seen = await eventsAfter(low, { limit: probe });
    if (seen.length < probe) return seen.length ? seen[seen.length - 1].id : low;
    const ahead = seen[seen.length - 1].id + step;
    if ((await eventsAfter(ahead, { limit: 1 })).length) low = ahead;
    else { low = seen[seen.length - 1].id; high = ahead; }
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const seen = await eventsAfter(middle, { limit: probe });
    if (!seen.length) high = middle;
    else if (seen.length < probe) return seen[seen.length - 1].id;
    else low = seen[seen.length - 1].id;
  }
  // The last id is `low` or `high`: one look after `low` tells.
  const tail = await eventsAfter(low, { limit: probe });
  return tail.length ? tail[tail.length - 1].id : low;
}

/** Every event of `type` with start < id ≤ end, oldest first. */
async function eventsBetween(start, end, type) {
  const found = [];
  let after = start;
  while (after < end) {
    const page = await eventsAfter(after, { type });
    found.push(...page.filter((e) => e.id <= end));
    if (page.length < LIMIT_MAX || page[page.length - 1].id >= end) break;
    after = page[page.length - 1].id;
  }
  return found;
}

/**
 * The page that ends at `end`, newest first: a window widened four times
 * at each try until it holds `PAGE` events or starts at the first one;
 * `next` is where the older page ends (0: none).
 */
async function pageBefore(end, type) {
  let found = [];
  let top = end;
  for (let width = PAGE * 2; ; width *= 4) {
    const start = Math.max(0, end - width);
    found = [...await eventsBetween(start, top, type), ...found];
    top = start;
    if (found.length >= PAGE || start === 0) break;
  }
  const newest = found.reverse().slice(0, PAGE_MAX);
  const next = found.length > PAGE_MAX ? newest[newest.length - 1].id - 1 : top;
  return { events: newest, next };
}

/** `#/reglages/journal?type=order.created`. */
export async function journalView(app) {
  const type = EVENT_TYPES.includes(hashQuery().get('type')) ? hashQuery().get('type') : '';
  const select = h('select', { name: 'type' }, h('option', { value: '' }, t('journal.allTypes')),
    EVENT_TYPES.map((x) => h('option', { value: x, selected: x === type }, eventLabel(x))));
  const filters = h('form', { class: 'filters', id: 'journal-filters', 'aria-label': t('journal.filters') },
    field('journal-type', t('journal.type'), select),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('journal.filter'))));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = select.value ? `#/reglages/journal?type=${encodeURIComponent(select.value)}` : '#/reglages/journal';
  });
  const list = h('ol', { class: 'event-list', id: 'event-list', 'aria-label': t('journal.list') });
  const more = h('button', { type: 'button', class: 'btn btn-ghost', id: 'journal-older', hidden: true }, t('journal.older'));
  const status = h('p', { class: 'muted', id: 'journal-status' });
  const alert = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  mount(app, settingsTabs('journal'), h('h1', null, t('reglages.journal')),
    h('p', { class: 'muted page-lead' }, t('journal.lead')),
    foldedFilters(filters, type ? 1 : 0), alert, list, status, more);
  let names;
  let newest;
  try {
    [names, newest] = await Promise.all([catalogNames(), lastId()]);
  } catch (error) {
    alert.textContent = error.message;
    alert.hidden = false;
    return;
  }
  const load = async (end) => {
    more.disabled = true;
    let page;
    try {
      page = await pageBefore(end, type);
    } catch (error) {
      alert.textContent = error.message;
      alert.hidden = false;
      more.disabled = false;
      return;
    }
    list.append(...page.events.map((e) => eventItem(e, names)));
    more.hidden = page.next <= 0;
    more.disabled = false;
    more.onclick = () => load(page.next);
    status.textContent = list.children.length ? (page.next <= 0 ? t('journal.end') : '') : t(type ? 'journal.noneOfType' : 'journal.none');
  };
  await load(newest);
  // An event that arrives while the journal is open goes on top.
  const live = (event) => {
    if (!list.isConnected) { window.removeEventListener('shop-event', live); return; }
    const e = event.detail;
    if (e.id <= newest || (type && e.type !== type) || list.querySelector(`[data-id="${e.id}"]`)) return;
    list.prepend(eventItem(e, names, true));
    status.textContent = '';
  };
  window.addEventListener('shop-event', live);
}

function eventItem(e, names, fresh = false) {
  return h('li', { class: `event-item event-${e.type.split('.')[0]}${fresh ? ' fresh' : ''}`, dataset: { id: String(e.id), type: e.type } },
    h('time', { datetime: e.created_at, class: 'muted' }, when(e.created_at)),
    h('p', null, eventSentence(e, names)));
}
