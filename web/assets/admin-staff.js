// The shop's team: choosing a password through a setup link (`/admin/setup`),
// the owner's team page (`#/equipe`: invite, revoke, new link) and one's own
// account (`#/compte`: change the password).

import { api, confirmDialog, h, mount, toast, when } from './common.js';
import { addStrings, t } from './i18n.js';
import { adminApi, field, me } from './admin-core.js';

addStrings({
  fr: {
    'team.title': 'Équipe',
    'team.lead': 'Les personnes qui ont accès à l’espace boutique. Le rôle « employé » gère les produits, le stock et les commandes ; seul le rôle « propriétaire » change les réglages et l’équipe.',
    'team.name': 'Identifiant',
    'team.role': 'Rôle',
    'team.lastSeen': 'Dernière visite : {when}',
    'team.never': 'jamais',
    'team.active': 'Actif',
    'team.revoked': 'Retiré',
    'team.owner': 'Propriétaire',
    'team.staff': 'Employé',
    'team.invite': 'Inviter une personne',
    'team.inviteHint': 'Cette personne se connectera avec cet identifiant, par exemple son prénom.',
    'team.inviteSubmit': 'Créer le lien d’invitation',
    'team.linkTitle': 'Lien d’invitation pour {name}',
    'team.linkLead': 'Envoyez ce lien à {name} (par WhatsApp ou SMS). Il sert une seule fois et expire dans 48 heures ; il ne sera plus affiché.',
    'team.link': 'Lien',
    'team.copy': 'Copier le lien',
    'team.copied': 'Lien copié.',
    'team.share': 'Envoyer par WhatsApp',
    'team.revoke': 'Retirer l’accès',
    'team.revokeOf': 'Retirer l’accès à {name}',
    'team.revokeConfirm': 'Retirer l’accès à {name} ? Ses sessions prennent fin tout de suite ; ce qui a été fait avec ce compte reste enregistré à son nom.',
    'team.revokeYes': 'Retirer l’accès',
    'team.revokedToast': '{name} n’a plus accès à l’espace boutique.',
    'team.reset': 'Nouveau lien',
    'team.resetOf': 'Nouveau lien pour {name}',
    'team.resetConfirm': 'Créer un nouveau lien pour {name} ? Son mot de passe actuel cesse de fonctionner et ses sessions prennent fin.',
    'team.resetYes': 'Créer le lien',
    'team.you': '(vous)',
    'account.title': 'Mon compte',
    'account.lead': 'Connecté en tant que {name} ({role}).',
    'account.change': 'Changer mon mot de passe',
    'account.current': 'Mot de passe actuel',
    'account.new': 'Nouveau mot de passe',
    'account.newHint': 'Au moins 10 caractères, différent de votre identifiant. Une phrase facile à retenir convient très bien.',
    'account.confirm': 'Nouveau mot de passe, encore une fois',
    'account.mismatch': 'Les deux nouveaux mots de passe ne sont pas identiques.',
    'account.changed': 'Mot de passe changé. Vos autres sessions ont pris fin.',
    'account.submit': 'Changer le mot de passe',
    'setup.title': 'Choisissez votre mot de passe',
    'setup.lead': 'Ce lien ne sert qu’une fois. Choisissez un mot de passe d’au moins 10 caractères, différent de votre identifiant.',
    'setup.submit': 'Enregistrer et me connecter',
    'setup.missing': 'Ce lien est incomplet : ouvrez le lien reçu en entier, ou demandez-en un nouveau.',
    'setup.done': 'Mot de passe enregistré. Bienvenue !',
    'settings.ownerOnly': 'Seul le rôle « propriétaire » peut modifier les réglages ; vous pouvez les consulter.',
  },
  en: {
    'team.title': 'Team',
    'team.lead': 'The people who have access to the staff area. The “staff” role runs products, stock and orders; only the “owner” role changes the settings and the team.',
    'team.name': 'Name',
    'team.role': 'Role',
    'team.lastSeen': 'Last seen: {when}',
    'team.never': 'never',
    'team.active': 'Active',
    'team.revoked': 'Revoked',
    'team.owner': 'Owner',
    'team.staff': 'Staff',
    'team.invite': 'Invite someone',
    'team.inviteHint': 'They will sign in with this name, for example their first name.',
    'team.inviteSubmit': 'Create the invitation link',
    'team.linkTitle': 'Invitation link for {name}',
    'team.linkLead': 'Send this link to {name} (by WhatsApp or text message). It works once and expires in 48 hours; it will not be shown again.',
    'team.link': 'Link',
    'team.copy': 'Copy the link',
    'team.copied': 'Link copied.',
    'team.share': 'Send by WhatsApp',
    'team.revoke': 'Revoke access',
    'team.revokeOf': 'Revoke the access of {name}',
    'team.revokeConfirm': 'Revoke the access of {name}? Their sessions end at once; what they did stays recorded under their name.',
    'team.revokeYes': 'Revoke access',
    'team.revokedToast': '{name} no longer has access.',
    'team.reset': 'New link',
    'team.resetOf': 'New link for {name}',
    'team.resetConfirm': 'Create a new link for {name}? Their current password stops working and their sessions end.',
    'team.resetYes': 'Create the link',
    'team.you': '(you)',
    'account.title': 'My account',
    'account.lead': 'Signed in as {name} ({role}).',
    'account.change': 'Change my password',
    'account.current': 'Current password',
    'account.new': 'New password',
    'account.newHint': 'At least 10 characters, not your name. An easy sentence to remember is fine.',
    'account.confirm': 'New password again',
    'account.mismatch': 'The two new passwords are not the same.',
    'account.changed': 'Password changed. Your other sessions ended.',
    'account.submit': 'Change the password',
    'setup.title': 'Choose your password',
    'setup.lead': 'This link works once. Choose a password of at least 10 characters, not your name.',
    'setup.submit': 'Save and sign in',
    'setup.missing': 'This link is incomplete: open the whole link you received, or ask for a new one.',
    'setup.done': 'Password saved. Welcome!',
    'settings.ownerOnly': 'Only the “owner” role can change the settings; you can read them.',
  },
});

function roleLabel(role) {
  return t(role === 'owner' ? 'team.owner' : 'team.staff');
}

/** A password input with its autocomplete purpose. */
function passwordInput(autocomplete) {
  return h('input', { type: 'password', autocomplete, required: true, maxlength: 1024, spellcheck: 'false' });
}

/** `/admin/setup#<token>`: choose a password, then enter the back office signed in. */
export function setupView(app, onDone) {
  const token = location.hash.slice(1);
  const password = passwordInput('new-password');
  const again = passwordInput('new-password');
  const error = h('p', { class: 'field-error', id: 'setup-error', role: 'alert' }, token ? '' : t('setup.missing'));
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'setup-submit', disabled: !token }, t('setup.submit'));
  const form = h('form', { class: 'signin', id: 'setup-form', novalidate: true },
    h('h1', null, t('setup.title')),
    h('p', { class: 'muted' }, t('setup.lead')),
    field('setup-password', t('account.new'), password, t('account.newHint')),
    field('setup-again', t('account.confirm'), again),
    error, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (password.value !== again.value) { error.textContent = t('account.mismatch'); again.focus(); return; }
    button.disabled = true;
    const answer = await api('/api/v1/auth/setup', { method: 'POST', body: { token, password: password.value } });
    button.disabled = false;
    if (!answer.ok) { error.textContent = answer.data.detail; password.focus(); return; }
    toast(t('setup.done'), 'ok');
    // The token leaves the address bar and the history.
    history.replaceState(null, '', '/admin#/produits');
    onDone();
  });
  mount(app, h('div', { class: 'signin-wrap' }, form));
  password.focus();
  document.body.dataset.ready = 'setup';
}

/** `#/compte`: who is signed in, and a new password. */
export function accountView(app) {
  const current = passwordInput('current-password');
  const next = passwordInput('new-password');
  const again = passwordInput('new-password');
  const error = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'panel settings-form', id: 'password-form', novalidate: true },
    h('h2', null, t('account.change')),
    field('account-current', t('account.current'), current),
    field('account-new', t('account.new'), next, t('account.newHint')),
    field('account-again', t('account.confirm'), again),
    error,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('account.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fail = (text, input) => { error.textContent = text; error.hidden = false; input.focus(); };
    if (next.value !== again.value) { fail(t('account.mismatch'), again); return; }
    const answer = await adminApi('/api/v1/auth/password', { method: 'POST', body: { current: current.value, new: next.value } });
    if (!answer.ok) { fail(answer.data.detail, answer.data.errors?.[0]?.field === 'current' ? current : next); return; }
    error.hidden = true;
    form.reset();
    toast(t('account.changed'), 'ok');
  });
  const who = me();
  mount(app, h('h1', null, t('account.title')),
    h('p', { class: 'muted', id: 'account-who' }, t('account.lead', { name: who.name, role: roleLabel(who.role) })),
    form);
}

/** `#/equipe`, the owner's: who has access, invite, revoke, a new link. */
export async function staffView(app) {
  const answer = await adminApi('/api/v1/admin/staff');
  if (!answer.ok) { mount(app, h('h1', null, t('team.title')), h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail)); return; }
  const linkBox = h('div', { id: 'invite-link', 'aria-live': 'polite' });
  // A list of cards rather than a table: it reads as well on a phone.
  const people = answer.data.staff.map((p) => h('li', { class: `staff-card${p.revoked ? ' revoked' : ''}`, dataset: { name: p.name } },
    h('div', { class: 'staff-who' },
      h('p', { class: 'staff-name' }, p.name, p.name === me().name ? h('span', { class: 'muted' }, ` ${t('team.you')}`) : null),
      h('p', { class: 'muted' }, roleLabel(p.role), ' · ',
        h('span', { class: `audit-status ${p.revoked ? 'audit-anomaly' : 'audit-ok'}` }, t(p.revoked ? 'team.revoked' : 'team.active'))),
      h('p', { class: 'muted' }, t('team.lastSeen', { when: p.last_seen_at ? when(p.last_seen_at) : t('team.never') }))),
    p.revoked ? null : h('div', { class: 'staff-actions' },
      h('button', { type: 'button', class: 'btn btn-ghost btn-small reset', 'aria-label': t('team.resetOf', { name: p.name }), onclick: () => reset(p.name, linkBox) }, t('team.reset')),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small revoke', 'aria-label': t('team.revokeOf', { name: p.name }), onclick: () => revoke(app, p.name) }, t('team.revoke')))));
  mount(app, h('h1', null, t('team.title')),
    h('p', { class: 'muted' }, t('team.lead')),
    h('ul', { class: 'staff-list', id: 'staff-list', 'aria-label': t('team.title') }, people),
    inviteForm(app, linkBox),
    linkBox);
}

function inviteForm(app, linkBox) {
  const name = h('input', { type: 'text', required: true, maxlength: 64, autocomplete: 'off', autocapitalize: 'words' });
  const role = h('select', null,
    h('option', { value: 'staff', selected: true }, t('team.staff')),
    h('option', { value: 'owner' }, t('team.owner')));
  const error = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'panel settings-form', id: 'invite-form', novalidate: true },
    h('h2', null, t('team.invite')),
    field('invite-name', t('team.name'), name, t('team.inviteHint')),
    field('invite-role', t('team.role'), role),
    error,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('team.inviteSubmit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await adminApi('/api/v1/admin/staff', { method: 'POST', body: { name: name.value.trim(), role: role.value } });
    if (!answer.ok) { error.textContent = answer.data.detail; error.hidden = false; name.focus(); return; }
    await staffView(app);
    showLink(document.getElementById('invite-link'), answer.data.name, answer.data.setup_url);
  });
  return form;
}

async function reset(name, linkBox) {
  if (!(await confirmDialog(t('team.resetConfirm', { name }), t('team.resetYes')))) return;
  const answer = await adminApi(`/api/v1/admin/staff/${encodeURIComponent(name)}/reset`, { method: 'POST' });
  if (!answer.ok) { toast(answer.data.detail); return; }
  showLink(linkBox, name, answer.data.setup_url);
}

async function revoke(app, name) {
  if (!(await confirmDialog(t('team.revokeConfirm', { name }), t('team.revokeYes')))) return;
  const answer = await adminApi(`/api/v1/admin/staff/${encodeURIComponent(name)}`, { method: 'DELETE' });
  if (!answer.ok) { toast(answer.data.detail); return; }
  await staffView(app);
  toast(t('team.revokedToast', { name }), 'ok');
}

/** The link, shown once, with a copy button and a WhatsApp share. */
function showLink(box, name, url) {
  const input = h('input', { type: 'text', readonly: true, value: url, id: 'setup-url', spellcheck: 'false' });
  const copy = async () => {
    input.select();
    try { await navigator.clipboard.writeText(url); toast(t('team.copied'), 'ok'); } catch { document.execCommand?.('copy'); }
  };
  const whatsapp = `https://wa.me/?text=${encodeURIComponent(url)}`;
  mount(box, h('section', { class: 'panel invite-link', 'aria-labelledby': 'invite-link-title' },
    h('h2', { id: 'invite-link-title', tabindex: '-1' }, t('team.linkTitle', { name })),
    h('p', null, t('team.linkLead', { name })),
    field('setup-url', t('team.link'), input),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn btn-primary', onclick: copy }, t('team.copy')),
      h('a', { class: 'btn btn-ghost', href: whatsapp, target: '_blank', rel: 'noopener noreferrer' }, t('team.share')))));
  box.querySelector('h2').focus();
}
