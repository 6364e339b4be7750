// The back office: sign-in with an admin token, the navigation, and the
// routes `#/produits`, `#/mouvements`, `#/commandes`, `#/verification`, `#/reglages`.

import { api, focusHeading, h, mount, toast } from './common.js';
import { lang, setLang, t, translatePage } from './i18n.js';
import './admin-i18n.js';
import { forgetToken, keepToken, onSignedOut, token } from './admin-core.js';
import { productFormView, productsView } from './admin-products.js';
import { movementsView } from './admin-movements.js';
import { orderView, ordersView } from './admin-orders.js';
import { auditView, settingsView } from './admin-audit.js';

const app = document.getElementById('app');
const nav = document.getElementById('admin-nav');
const signOutButton = document.getElementById('sign-out');

function signInView(message) {
  nav.hidden = true;
  signOutButton.hidden = true;
  const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-hint signin-error' });
  const error = h('p', { class: 'field-error', id: 'signin-error', role: 'alert' }, message || '');
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'sign-in' }, t('admin.signIn'));
  const form = h('form', { class: 'signin', novalidate: true },
    h('h1', null, t('admin.signInTitle')),
    h('p', { class: 'muted' }, t('admin.signInLead')),
    h('div', { class: 'field' },
      h('label', { for: 'token' }, t('admin.token')), input,
      h('p', { class: 'hint', id: 'token-hint' }, t('admin.tokenHint'))),
    error, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) { error.textContent = t('admin.tokenRequired'); input.focus(); return; }
    button.disabled = true;
    const answer = await api('/api/v1/admin/settings', { token: value });
    button.disabled = false;
    if (!answer.ok) { error.textContent = answer.data.detail; input.focus(); return; }
    keepToken(value);
    if (!location.hash || location.hash === '#/') location.hash = '#/produits';
    else route();
  });
  mount(app, h('div', { class: 'signin-wrap' }, form));
  input.focus();
  document.body.dataset.ready = 'signin';
}

async function route() {
  document.body.dataset.ready = '';
  if (!token()) { signInView(); return; }
  nav.hidden = false;
  signOutButton.hidden = false;
  const path = location.hash.replace(/^#\/?/, '').split('?')[0];
  const [page, arg] = path.split('/').map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  nav.querySelectorAll('a').forEach((a) => {
    if (a.getAttribute('href') === `#/${page || 'produits'}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  switch (page) {
    case 'produits':
    case '':
    case undefined:
      if (arg) await productFormView(app, arg === 'nouveau' ? null : arg);
      else await productsView(app);
      break;
    case 'mouvements': await movementsView(app); break;
    case 'commandes':
      if (arg) await orderView(app, arg);
      else await ordersView(app);
      break;
    case 'verification': await auditView(app); break;
    case 'reglages': await settingsView(app); break;
    default: mount(app, h('h1', null, t('notFound.title')));
  }
  if (!token()) return;
  document.title = `${app.querySelector('h1')?.textContent || ''} — ${t('admin.title')}`;
  focusHeading(app);
  document.body.dataset.ready = arg ? `${page}/${arg}` : page || 'produits';
}

function drawLanguage() {
  translatePage();
  const other = lang() === 'fr' ? 'en' : 'fr';
  const button = document.getElementById('lang-switch');
  // A phone shows "EN" and hides the word from sight only: the button's
  // name, "EN English", starts with what is seen (WCAG 2.5.3).
  mount(button, h('span', { class: 'lang-short' }, other.toUpperCase()),
    h('span', { class: 'lang-long' }, other === 'en' ? 'English' : 'Français'));
  button.setAttribute('lang', other);
}

onSignedOut((detail) => signInView(detail));
signOutButton.addEventListener('click', () => {
  forgetToken();
  toast(t('admin.signedOut'), 'ok');
  location.hash = '#/';
  signInView();
});
document.getElementById('lang-switch').addEventListener('click', () => {
  setLang(lang() === 'fr' ? 'en' : 'fr');
  drawLanguage();
  route();
});
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  app.focus();
});
window.addEventListener('hashchange', () => {
  window.scrollTo(0, 0);
  route();
});
drawLanguage();
route();
