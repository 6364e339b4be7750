// The storefront: routes of the form `#/produit/robe-ete` (and
// `#/desinscription/{token}`, the link of a "Me prévenir" message, and
// `#/drop/{slug}`, a drop's page, whose shared link is `/drop/{slug}`), the
// header's cart count and language switch, and the catalog the views share.

import { api, mount, h } from './common.js';
import { lang, setLang, t, translatePage } from './i18n.js';
import { cartCount, onCartChange } from './shop-cart.js';
import { homeView, productView } from './shop-views.js';
import { drawIdentity, loadShop, shopName } from './shop-identity.js';
import { unsubscribeView } from './shop-waitlist.js';
import { dropView, leaveDrop } from './shop-drop.js';
import { cartView, checkoutView, confirmationView, myOrdersView, trackingView } from './shop-checkout.js';

const app = document.getElementById('app');

// A drop's shared link, `/drop/{slug}`, shows its view at `/#/drop/{slug}`:
// every other link of the storefront (`#/panier`…) stays one of `/`.
const dropLink = /^\/drop\/([^/]+)\/?$/.exec(location.pathname);
if (dropLink) history.replaceState(null, '', `/#/drop/${dropLink[1]}`);

/** What the views share: the catalog, the last cart check, the form being filled. */
const ctx = {
  state: { products: [], error: null, query: '', category: '' },
  lastCheck: null,
  lastOrder: null,
  checkedForCheckout: false,
  form: null,
  /** Units last seen for a sku, for the cart's offline fallback. */
  available(sku) {
    for (const p of this.state.products) {
      const v = p.variants.find((x) => x.sku === sku);
      if (v) return v.available;
    }
    return undefined;
  },
};

async function loadCatalog() {
  const answer = await api('/api/v1/products');
  if (answer.ok) {
    ctx.state.products = answer.data.products;
    ctx.state.error = null;
  } else {
    ctx.state.error = answer.data.detail;
  }
}

async function route() {
  const [page, ...args] = location.hash.replace(/^#\/?/, '').split('/').map((part) => {
    try { return decodeURIComponent(part); } catch { return part; }
  });
  document.body.dataset.page = page || 'home';
  document.body.dataset.ready = '';
  leaveDrop();
  switch (page) {
    case '':
    case undefined:
      await loadCatalog();
      homeView(app, ctx);
      break;
    case 'produit':
      await productView(app, ctx, args[0] || '');
      break;
    case 'panier':
      await loadCatalog();
      cartView(app, ctx);
      break;
    case 'commande':
      await checkoutView(app, ctx);
      break;
    case 'merci':
      await confirmationView(app, ctx, args[0], args[1]);
      break;
    case 'suivi':
      await trackingView(app, args[0], args[1]);
      break;
    case 'commandes':
      myOrdersView(app);
      break;
    case 'drop':
      await dropView(app, args[0] || '');
      break;
    case 'desinscription':
      unsubscribeView(app, args[0] || '');
      break;
    default:
      mount(app, h('h1', null, t('notFound.title')), h('p', null, h('a', { href: '#/' }, t('cart.browse'))));
  }
  document.title = `${shopName()} — ${app.querySelector('h1')?.textContent || ''}`;
  document.body.dataset.ready = page || 'home';
}

function drawCount() {
  const n = cartCount();
  const count = document.getElementById('cart-count');
  count.textContent = String(n);
  count.hidden = n === 0;
  document.getElementById('cart-link').setAttribute('aria-label', t('nav.cartCount', { n }));
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
  drawCount();
}

document.getElementById('lang-switch').addEventListener('click', () => {
  setLang(lang() === 'fr' ? 'en' : 'fr');
  drawLanguage();
  route();
});
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  app.focus();
});
onCartChange(drawCount);
window.addEventListener('hashchange', () => {
  window.scrollTo(0, 0);
  route();
});
drawLanguage();
loadShop().then(() => { drawIdentity(); route(); });
