// The back office: sign-in with a name and a password, the navigation, and
// the routes `#/produits`, `#/reception`, `#/receptions`, `#/inventaire`,
// `#/mouvements`, `#/commandes` (with an order's `/bordereau` and `/recu` to
<<<<<<< HEAD
// print), `#/preparation`, `#/clients`, `#/verification`, `#/reglages`, `#/csv`,
// `#/equipe` (owner), `#/compte`, `#/ventes-flash` (with a drop's live page
// and its form); `/admin/setup` chooses a password through a setup link. `#/reglages/…` holds the notifications, the webhooks and the
=======
// print), `#/preparation`, `#/clients`, `#/precommandes`, `#/verification`, `#/reglages`, `#/csv`,
// `#/equipe` (owner), `#/compte`; `/admin/setup` chooses a password through a
// setup link. `#/reglages/…` holds the notifications, the webhooks and the
>>>>>>> h3
// events' journal; new orders arrive live as a badge (admin-live.js).

import { api, focusHeading, h, mount, toast } from './common.js';
import { lang, setLang, t, translatePage } from './i18n.js';
import './admin-i18n.js';
import { forgetSession, isOwner, loadSession, me, onSignedOut } from './admin-core.js';
import { productFormView, productsView } from './admin-products.js';
import { movementsView } from './admin-movements.js';
import { receiptView, receiptsView, receptionView } from './admin-receiving.js';
import { countView } from './admin-count.js';
import { orderView, ordersView } from './admin-orders.js';
import { customersView, customerView } from './admin-customers.js';
import { pickingView } from './admin-picking.js';
import { orderReceiptView, slipView } from './admin-print.js';
import { auditView } from './admin-audit.js';
import { preordersView } from './admin-preorders.js';
import { reglagesView } from './admin-reglages.js';
import { liveRouted, stopLive } from './admin-live.js';
import { accountView, setupView, staffView } from './admin-staff.js';
import { csvView } from './admin-csv.js';
import { dropLiveView, dropsView, stopDropRefresh } from './admin-drops.js';
import { dropFormView } from './admin-drop-form.js';

const app = document.getElementById('app');
const nav = document.getElementById('admin-nav');
const signOutButton = document.getElementById('sign-out');
const accountLink = document.getElementById('account-link');

const menuToggle = document.getElementById('menu-toggle');

/** On a phone the sections fold behind "Menu"; a move to a section folds them again. */
function foldMenu(open = false) {
  nav.classList.toggle('open', open);
  menuToggle.setAttribute('aria-expanded', String(open));
}
menuToggle.addEventListener('click', () => foldMenu(!nav.classList.contains('open')));
window.addEventListener('hashchange', () => foldMenu(false));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && nav.classList.contains('open')) { foldMenu(false); menuToggle.focus(); }
});

function showChrome(signedIn) {
  nav.hidden = !signedIn;
  menuToggle.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
  accountLink.hidden = !signedIn;
  // The team page is the owner's: staff do not see it in the menu.
  document.getElementById('nav-team').hidden = !isOwner();
  if (!signedIn) stopLive();
}

function signInView(message) {
  showChrome(false);
  const name = h('input', { type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: 64 });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true, maxlength: 1024 });
  const error = h('p', { class: 'field-error', id: 'signin-error', role: 'alert' }, message || '');
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'sign-in' }, t('admin.signIn'));
  const form = h('form', { class: 'signin', novalidate: true },
    h('h1', null, t('admin.signInTitle')),
    h('p', { class: 'muted' }, t('admin.signInLead')),
    h('div', { class: 'field' }, h('label', { for: 'signin-name' }, t('admin.name')), name),
    h('div', { class: 'field' }, h('label', { for: 'signin-password' }, t('admin.password')), password),
    error, button,
    h('p', { class: 'hint' }, t('admin.forgotten')));
  name.id = 'signin-name';
  password.id = 'signin-password';
  name.setAttribute('aria-describedby', 'signin-error');
  password.setAttribute('aria-describedby', 'signin-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) { error.textContent = t('admin.nameRequired'); name.focus(); return; }
    if (!password.value) { error.textContent = t('admin.passwordRequired'); password.focus(); return; }
    button.disabled = true;
    const answer = await api('/api/v1/auth/login', { method: 'POST', body: { name: name.value.trim(), password: password.value } });
    button.disabled = false;
    if (!answer.ok) { error.textContent = answer.data.detail; password.value = ''; password.focus(); return; }
    await loadSession();
    if (!location.hash || location.hash === '#/') location.hash = '#/produits';
    else route();
  });
  mount(app, h('div', { class: 'signin-wrap' }, form));
  name.focus();
  document.body.dataset.ready = 'signin';
}

async function route() {
  document.body.dataset.ready = '';
  if (!me() && !(await loadSession())) { signInView(); return; }
  showChrome(true);
  const path = location.hash.replace(/^#\/?/, '').split('?')[0];
  const [page, arg, sub] = path.split('/').map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  // The receipts belong to the "Réception" section; the picking list and
  // the customers to the orders'.
  const sections = { receptions: 'reception', preparation: 'commandes', clients: 'commandes' };
  const section = sections[page] || page || 'produits';
  stopDropRefresh();
  nav.querySelectorAll('a').forEach((a) => {
    if (a.getAttribute('href') === `#/${section}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  switch (page) {
    case 'produits':
    case '':
    case undefined:
      if (arg) await productFormView(app, arg === 'nouveau' ? null : arg);
      else await productsView(app);
      break;
    case 'reception': await receptionView(app); break;
    case 'receptions':
      if (arg) await receiptView(app, arg);
      else await receiptsView(app);
      break;
    case 'inventaire': await countView(app); break;
    case 'mouvements': await movementsView(app); break;
    case 'commandes':
      if (arg && sub === 'bordereau') await slipView(app, arg);
      else if (arg && sub === 'recu') await orderReceiptView(app, arg);
      else if (arg) await orderView(app, arg);
      else await ordersView(app);
      break;
    case 'preparation': await pickingView(app); break;
    case 'precommandes': await preordersView(app); break;
    case 'clients':
      if (arg) await customerView(app, arg);
      else await customersView(app);
      break;
    case 'verification': await auditView(app); break;
    case 'reglages': await reglagesView(app, arg); break;
    case 'csv': await csvView(app); break;
    case 'ventes-flash':
      if (arg === 'nouvelle') await dropFormView(app, null);
      else if (arg && sub === 'modifier') await dropFormView(app, arg);
      else if (arg) await dropLiveView(app, arg);
      else await dropsView(app);
      break;
    case 'equipe': await staffView(app); break;
    case 'compte': accountView(app); break;
    default: mount(app, h('h1', null, t('notFound.title')));
  }
  if (!me()) return;
  document.title = `${app.querySelector('h1')?.textContent || ''} — ${t('admin.title')}`;
  liveRouted(app, page, arg);
  focusHeading(app);
  document.body.dataset.ready = [page || 'produits', arg, sub].filter(Boolean).join('/');
}

/** The shop's name and logo in the header, read from `GET /api/v1/shop`. */
let shopIdentity = { name: '', logo_url: null };
async function loadIdentity() {
  const answer = await api('/api/v1/shop');
  if (answer.ok) shopIdentity = answer.data;
  drawIdentity();
}
function drawIdentity() {
  document.getElementById('brand-name').textContent = shopIdentity.name || t('admin.unnamedShop');
  document.getElementById('brand-logo').src = shopIdentity.logo_url || '/assets/favicon.svg';
}

function drawLanguage() {
  translatePage();
  drawIdentity();
  const other = lang() === 'fr' ? 'en' : 'fr';
  const button = document.getElementById('lang-switch');
  // A phone shows "EN" and hides the word from sight only: the button's
  // name, "EN English", starts with what is seen (WCAG 2.5.3).
  mount(button, h('span', { class: 'lang-short' }, other.toUpperCase()),
    h('span', { class: 'lang-long' }, other === 'en' ? 'English' : 'Français'));
  button.setAttribute('lang', other);
}

// The API's sentence speaks of tokens, for scripts; a person is told plainly.
onSignedOut(() => signInView(t('admin.sessionEnded')));
signOutButton.addEventListener('click', async () => {
  await api('/api/v1/auth/logout', { method: 'POST' });
  forgetSession();
  toast(t('admin.signedOut'), 'ok');
  history.replaceState(null, '', '/admin');
  signInView();
});
document.getElementById('lang-switch').addEventListener('click', () => {
  setLang(lang() === 'fr' ? 'en' : 'fr');
  drawLanguage();
  if (onSetupPage()) setupView(app, route);
  else route();
});
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  app.focus();
});
const onSetupPage = () => location.pathname.replace(/\/$/, '') === '/admin/setup';
window.addEventListener('hashchange', () => {
  // On the setup page the fragment is the link's token, not a route.
  if (onSetupPage()) return;
  window.scrollTo(0, 0);
  route();
});
drawLanguage();
loadIdentity();
window.addEventListener('shop-saved', loadIdentity);
if (onSetupPage()) {
  showChrome(false);
  setupView(app, route);
} else {
  route();
}
