// Back office, "Réglages" → "Webhooks" (owner): the shop's webhooks, each
// with its events, a test, its recent deliveries and "Supprimer"; a new
// one's secret is shown once, right after it is created.

import { confirmDialog, h, mount, toast, when } from './common.js';
import { addStrings, t } from './i18n.js';
import { adminApi, field, showProblem } from './admin-core.js';
import { settingsTabs } from './admin-settings-tabs.js';
import { deliveriesTable } from './admin-deliveries.js';
import { eventLabel } from './admin-events.js';
import { copyText, eventChecks, oneErrorPerControl, settleErrors } from './admin-notify-fields.js';

addStrings({
  fr: {
    'webhooks.named': '« {name} »',
    'webhooks.lead': 'Un webhook prévient un autre logiciel (votre site, un tableur en ligne, un service comme Zapier ou Make) à chaque événement choisi : la boutique envoie l’événement à l’adresse que vous indiquez, signé avec un secret qui prouve qu’il vient bien d’elle. Si l’adresse ne répond pas, l’envoi est réessayé pendant 24 heures.',
    'webhooks.list': 'Vos webhooks',
    'webhooks.none': 'Aucun webhook pour l’instant.',
    'webhooks.events': 'Événements : {list}',
    'webhooks.created': 'Créé le {when}',
    'webhooks.test': 'Tester',
    'webhooks.testOf': 'Tester le webhook {name}',
    'webhooks.tested': 'Message de test envoyé à {name} : son arrivée s’affiche dans les envois.',
    'webhooks.show': 'Voir les envois',
    'webhooks.showOf': 'Voir les envois de {name}',
    'webhooks.hide': 'Masquer les envois',
    'webhooks.hideOf': 'Masquer les envois de {name}',
    'webhooks.deliveriesOf': 'Envois récents de {name}',
    'webhooks.delete': 'Supprimer',
    'webhooks.deleteOf': 'Supprimer le webhook {name}',
    'webhooks.deleteConfirm': 'Supprimer le webhook {name} ? Il ne recevra plus aucun événement et son historique d’envois sera effacé.',
    'webhooks.deleted': 'Webhook {name} supprimé.',
    'webhooks.add': 'Ajouter un webhook',
    'webhooks.url': 'Adresse du webhook',
    'webhooks.urlHint': 'L’adresse que l’autre logiciel vous donne pour recevoir les événements ; elle commence par https://.',
    'webhooks.urlRequired': 'Indiquez l’adresse du webhook.',
    'webhooks.description': 'Description (facultatif)',
    'webhooks.descriptionHint': 'Pour vous y retrouver, par exemple « Tableur des commandes ».',
    'webhooks.eventsLegend': 'Événements à envoyer',
    'webhooks.eventsRequired': 'Cochez au moins un événement.',
    'webhooks.submit': 'Créer le webhook',
    'webhooks.secretTitle': 'Secret du webhook {name}',
    'webhooks.secretLead': 'Copiez ce secret maintenant et collez-le dans le logiciel qui reçoit les événements : il lui sert à vérifier que chaque envoi vient bien de votre boutique.',
    'webhooks.secretOnce': 'Il ne sera plus jamais affiché. Si vous le perdez, supprimez ce webhook et créez-en un nouveau.',
    'webhooks.secret': 'Secret',
    'webhooks.copy': 'Copier le secret',
    'webhooks.copied': 'Secret copié.',
    'webhooks.done': 'C’est fait, masquer le secret',
  },
  en: {
    'webhooks.named': '“{name}”',
    'webhooks.lead': 'A webhook tells another program (your website, an online spreadsheet, a service such as Zapier or Make) of every event you choose: the shop sends the event to the address you give, signed with a secret that proves it comes from the shop. If the address does not answer, the delivery is tried again for 24 hours.',
    'webhooks.list': 'Your webhooks',
    'webhooks.none': 'No webhook yet.',
    'webhooks.events': 'Events: {list}',
    'webhooks.created': 'Created on {when}',
    'webhooks.test': 'Test',
    'webhooks.testOf': 'Test the webhook {name}',
    'webhooks.tested': 'Test message sent to {name}: its arrival shows in the deliveries.',
    'webhooks.show': 'See the deliveries',
    'webhooks.showOf': 'See the deliveries of {name}',
    'webhooks.hide': 'Hide the deliveries',
    'webhooks.hideOf': 'Hide the deliveries of {name}',
    'webhooks.deliveriesOf': 'Recent deliveries of {name}',
    'webhooks.delete': 'Delete',
    'webhooks.deleteOf': 'Delete the webhook {name}',
    'webhooks.deleteConfirm': 'Delete the webhook {name}? It will receive no more events and its delivery history will be erased.',
    'webhooks.deleted': 'Webhook {name} deleted.',
    'webhooks.add': 'Add a webhook',
    'webhooks.url': 'Webhook address',
    'webhooks.urlHint': 'The address the other program gives you for receiving events; it starts with https://.',
    'webhooks.urlRequired': 'Enter the webhook’s address.',
    'webhooks.description': 'Description (optional)',
    'webhooks.descriptionHint': 'To find your way, for example “Orders spreadsheet”.',
    'webhooks.eventsLegend': 'Events to send',
    'webhooks.eventsRequired': 'Tick one event at least.',
    'webhooks.submit': 'Create the webhook',
    'webhooks.secretTitle': 'Secret of the webhook {name}',
    'webhooks.secretLead': 'Copy this secret now and paste it into the program that receives the events: it uses it to check that each delivery comes from your shop.',
    'webhooks.secretOnce': 'It will never be shown again. If you lose it, delete this webhook and create a new one.',
    'webhooks.secret': 'Secret',
    'webhooks.copy': 'Copy the secret',
    'webhooks.copied': 'Secret copied.',
    'webhooks.done': 'Done, hide the secret',
  },
});

/** What a webhook is called on the page: its description, else its address. */
function nameOf(w) {
  return t('webhooks.named', { name: w.description || w.url });
}

/** `#/reglages/webhooks`: the list, the form, and a new webhook's secret once. */
export async function webhooksView(app, created = null) {
  const answer = await adminApi('/api/v1/admin/webhooks');
  if (!answer.ok) {
    mount(app, settingsTabs('webhooks'), h('h1', null, t('reglages.webhooks')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail));
    return;
  }
  const hooks = answer.data.webhooks;
  const secretBox = h('div', { id: 'webhook-secret-box' });
  mount(app, settingsTabs('webhooks'),
    h('h1', null, t('reglages.webhooks')),
    h('p', { class: 'muted page-lead' }, t('webhooks.lead')),
    secretBox,
    h('h2', { class: 'section-title' }, t('webhooks.list')),
    hooks.length
      ? h('ul', { class: 'webhook-list', id: 'webhook-list', 'aria-label': t('webhooks.list') }, hooks.map((w) => webhookCard(app, w)))
      : h('p', { class: 'muted', id: 'webhook-list' }, t('webhooks.none')),
    createForm(app));
  if (created) showSecret(secretBox, created);
}

function webhookCard(app, w) {
  const name = nameOf(w);
  const deliveries = deliveriesTable(`deliveries-${w.id}`, t('webhooks.deliveriesOf', { name }),
    () => adminApi(`/api/v1/admin/webhooks/${encodeURIComponent(w.id)}/deliveries`));
  const panel = h('div', { class: 'webhook-deliveries', id: `webhook-deliveries-${w.id}`, hidden: true }, deliveries.element);
  const toggle = h('button', {
    type: 'button', class: 'btn btn-ghost btn-small show-deliveries', 'aria-expanded': 'false',
    'aria-controls': panel.id, 'aria-label': t('webhooks.showOf', { name }),
  }, t('webhooks.show'));
  const open = async (shown) => {
    panel.hidden = !shown;
    toggle.setAttribute('aria-expanded', String(shown));
    toggle.textContent = t(shown ? 'webhooks.hide' : 'webhooks.show');
    toggle.setAttribute('aria-label', t(shown ? 'webhooks.hideOf' : 'webhooks.showOf', { name }));
    if (shown) await deliveries.refresh();
  };
  toggle.addEventListener('click', () => open(panel.hidden));
  const test = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    const sent = await adminApi(`/api/v1/admin/webhooks/${encodeURIComponent(w.id)}/test`, { method: 'POST' });
    button.disabled = false;
    if (!sent.ok) { toast(sent.data.detail); return; }
    toast(t('webhooks.tested', { name }), 'ok');
    await open(true);
    deliveries.follow();
  };
  const remove = async () => {
    if (!(await confirmDialog(t('webhooks.deleteConfirm', { name }), t('webhooks.delete')))) return;
    const gone = await adminApi(`/api/v1/admin/webhooks/${encodeURIComponent(w.id)}`, { method: 'DELETE' });
    if (!gone.ok) { toast(gone.data.detail); return; }
    await webhooksView(app);
    toast(t('webhooks.deleted', { name }), 'ok');
  };
  return h('li', { class: 'panel webhook-card', dataset: { id: w.id } },
    h('h3', null, w.description || w.url),
    w.description ? h('p', { class: 'webhook-url' }, h('code', null, w.url)) : null,
    h('p', { class: 'muted' }, t('webhooks.events', { list: w.events.map(eventLabel).join(', ') })),
    w.created_at ? h('p', { class: 'muted' }, t('webhooks.created', { when: when(w.created_at) })) : null,
    h('div', { class: 'card-actions' },
      h('button', { type: 'button', class: 'btn btn-primary btn-small test', 'aria-label': t('webhooks.testOf', { name }), onclick: test }, t('webhooks.test')),
      toggle,
      h('button', { type: 'button', class: 'btn btn-danger-ghost btn-small delete', 'aria-label': t('webhooks.deleteOf', { name }), onclick: remove }, t('webhooks.delete'))),
    panel);
}

function createForm(app) {
  const url = h('input', { type: 'url', inputmode: 'url', required: true, maxlength: 2000, autocomplete: 'off', spellcheck: 'false', placeholder: 'https://' });
  const description = h('input', { type: 'text', maxlength: 200, autocomplete: 'off' });
  const events = eventChecks('wh-events', t('webhooks.eventsLegend'), ['order.created']);
  const alert = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'panel settings-form', id: 'webhook-form', novalidate: true },
    h('h2', null, t('webhooks.add')),
    field('wh-url', t('webhooks.url'), url, t('webhooks.urlHint')),
    field('wh-description', t('webhooks.description'), description, t('webhooks.descriptionHint')),
    events.element,
    alert,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('webhooks.submit'))));
  const locate = (name) => {
    if (name === 'url') return { input: url, label: t('webhooks.url') };
    if (name === 'description') return { input: description, label: t('webhooks.description') };
    if (name.startsWith('events')) return events.locate();
    return null;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const local = [];
    if (!url.value.trim()) local.push({ field: 'url', detail: t('webhooks.urlRequired') });
    if (!events.values().length) local.push({ field: 'events', detail: t('webhooks.eventsRequired') });
    if (local.length) { showProblem({ errors: local }, locate, alert)?.focus(); settleErrors(form); return; }
    const body = { url: url.value.trim(), description: description.value.trim() || null, events: events.values() };
    const answer = await adminApi('/api/v1/admin/webhooks', { method: 'POST', body });
    if (!answer.ok) { showProblem(oneErrorPerControl(answer.data, locate), locate, alert)?.focus(); settleErrors(form); return; }
    await webhooksView(app, answer.data);
  });
  return form;
}

/** The new webhook's secret, this once, with a copy button. */
function showSecret(box, created) {
  const name = nameOf(created);
  // A box that wraps: the whole secret is seen, even on a phone.
  const input = h('textarea', { readonly: true, rows: 2, spellcheck: 'false', class: 'secret-value' });
  input.value = created.secret;
  const hide = () => { mount(box); document.querySelector('#app h1')?.focus(); };
  mount(box, h('section', { class: 'panel secret-box', 'aria-labelledby': 'webhook-secret-title' },
    h('h2', { id: 'webhook-secret-title', tabindex: '-1' }, t('webhooks.secretTitle', { name })),
    h('p', null, t('webhooks.secretLead')),
    h('p', { class: 'strong', id: 'webhook-secret-once' }, t('webhooks.secretOnce')),
    field('webhook-secret', t('webhooks.secret'), input),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn btn-ghost', id: 'webhook-secret-done', onclick: hide }, t('webhooks.done')),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'webhook-secret-copy', onclick: () => copyText(input, t('webhooks.copied')) }, t('webhooks.copy')))));
  input.setAttribute('aria-describedby', 'webhook-secret-once');
  box.querySelector('h2').focus();
}
