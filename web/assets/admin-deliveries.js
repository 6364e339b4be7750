// The recent deliveries of a webhook or of a notification channel: what
// was sent, whether it arrived (the HTTP status, the error), when it is
// tried again, and "Réessayer" on those that failed for good.

import { h, mount, toast, when } from './common.js';
import { addStrings, t } from './i18n.js';
import { adminApi, table } from './admin-core.js';
import { catalogNames, eventSentence } from './admin-events.js';

addStrings({
  fr: {
    'deliveries.date': 'Date',
    'deliveries.message': 'Message',
    'deliveries.status': 'État',
    'deliveries.response': 'Réponse',
    'deliveries.error': 'Erreur',
    'deliveries.action': 'Action',
    'deliveries.none': 'Rien n’a encore été envoyé.',
    'deliveries.delivered': 'Reçu',
    'deliveries.pending': 'En attente',
    'deliveries.failed': 'Échec',
    'deliveries.attempt': 'essai n° {n}',
    'deliveries.next': 'prochain essai : {when}',
    'deliveries.gaveUp': 'abandonné après 24 h d’essais',
    'deliveries.http': 'HTTP {status}',
    'deliveries.retry': 'Réessayer',
    'deliveries.retryOf': 'Réessayer l’envoi du {when}',
    'deliveries.retried': 'Envoi remis en file : il part dans un instant.',
  },
  en: {
    'deliveries.date': 'Date',
    'deliveries.message': 'Message',
    'deliveries.status': 'State',
    'deliveries.response': 'Answer',
    'deliveries.error': 'Error',
    'deliveries.action': 'Action',
    'deliveries.none': 'Nothing has been sent yet.',
    'deliveries.delivered': 'Received',
    'deliveries.pending': 'Waiting',
    'deliveries.failed': 'Failed',
    'deliveries.attempt': 'attempt {n}',
    'deliveries.next': 'next attempt: {when}',
    'deliveries.gaveUp': 'given up after 24 h of attempts',
    'deliveries.http': 'HTTP {status}',
    'deliveries.retry': 'Retry',
    'deliveries.retryOf': 'Retry the delivery of {when}',
    'deliveries.retried': 'Delivery queued again: it leaves in a moment.',
  },
});

/** Events already read, by id, for every list of the page. */
const events = new Map();
let names = null;

/**
 * Reads the events `ids` speak of, in one request when they are close
 * together (deliveries are recent, so they usually are); far apart, the
 * rows keep their number.
 */
async function readEvents(ids) {
  const missing = ids.filter((id) => id > 0 && !events.has(id));
  if (!missing.length) return;
  const low = Math.min(...missing);
  const span = Math.max(...missing) - low + 1;
  if (span > 500) return;
  const answer = await adminApi(`/api/v1/admin/events?after=${low - 1}&limit=${span}`);
  if (answer.ok) for (const e of answer.data.events) events.set(e.id, e);
  names = names || await catalogNames();
}

function what(d) {
  if (!d.event_id) return t('event.test');
  const event = events.get(d.event_id);
  return event ? eventSentence(event, names) : t('event.numbered', { id: d.event_id });
}

function stateCell(d) {
  const detail = d.status === 'pending'
    ? [d.attempt > 0 ? t('deliveries.attempt', { n: d.attempt + 1 }) : null, d.next_attempt_at ? t('deliveries.next', { when: when(d.next_attempt_at) }) : null]
    : d.status === 'failed' ? [t('deliveries.gaveUp')] : [];
  return h('td', null,
    h('span', { class: `delivery-state delivery-${d.status}` }, t(`deliveries.${d.status}`)),
    detail.filter(Boolean).map((x) => [h('br'), h('small', { class: 'muted' }, x)]));
}

/**
 * The deliveries `load()` answers (`{deliveries}`), as a table with an id;
 * `refresh()` reads them again, `follow()` reads them again every second
 * and a half while one is about to be tried, for half a minute.
 */
export function deliveriesTable(id, caption, load) {
  const body = h('tbody');
  const status = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const none = h('p', { class: 'muted deliveries-none', hidden: true }, t('deliveries.none'));
  const list = table(caption, [t('deliveries.date'), t('deliveries.message'), t('deliveries.status'), t('deliveries.response'), t('deliveries.error'), t('deliveries.action')], body, `${id}-table`, { cards: true });
  const box = h('div', { class: 'deliveries', id }, status, none, list);
  let following = null;
  const refresh = async () => {
    const answer = await load();
    if (!answer.ok) { status.textContent = answer.data.detail; status.hidden = false; return []; }
    status.hidden = true;
    const deliveries = answer.data.deliveries;
    await readEvents(deliveries.map((d) => d.event_id).filter(Boolean));
    mount(body, deliveries.map((d) => row(d, retried)));
    none.hidden = deliveries.length > 0;
    list.hidden = !deliveries.length;
    return deliveries;
  };
  const follow = () => {
    clearTimeout(following);
    const until = Date.now() + 30000;
    const tick = async () => {
      if (!box.isConnected || Date.now() > until) return;
      const latest = await refresh();
      const soon = latest.some((d) => d.status === 'pending' && (!d.next_attempt_at || Date.parse(d.next_attempt_at) - Date.now() < 10000));
      if (soon) following = setTimeout(tick, 1500);
    };
    following = setTimeout(tick, 700);
  };
  const retried = async () => { await refresh(); follow(); };
  return { element: box, refresh, follow };
}

function row(d, retried) {
  const retry = d.status === 'failed'
    ? h('button', {
      type: 'button', class: 'btn btn-ghost btn-small retry', 'aria-label': t('deliveries.retryOf', { when: when(d.at) }),
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        const answer = await adminApi(`/api/v1/admin/deliveries/${encodeURIComponent(d.id)}/retry`, { method: 'POST' });
        if (!answer.ok) { toast(answer.data.detail); event.currentTarget.disabled = false; return; }
        toast(t('deliveries.retried'), 'ok');
        await retried();
      },
    }, t('deliveries.retry'))
    : null;
  return h('tr', { dataset: { delivery: d.id, status: d.status } },
    h('td', { class: 'nowrap' }, when(d.at)),
    h('td', null, what(d)),
    stateCell(d),
    h('td', { class: 'nowrap' }, d.response_status ? t('deliveries.http', { status: d.response_status }) : '—'),
    h('td', { class: 'delivery-error' }, d.error || '—'),
    h('td', null, retry || h('span', { class: 'muted' }, '—')));
}
