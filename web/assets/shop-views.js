// Storefront views of the catalog: the product grid and the product page
// with its size and colour picker (level 1 of the seed: add to cart), a
// sold-out size offered to preorder when its preorders are open.

import { api, focusHeading, h, money, mount, thumbnailOf, toast } from './common.js';
import { t } from './i18n.js';
import { addToCart } from './shop-cart.js';
import { welcomeSection } from './shop-identity.js';
import { notifyMe } from './shop-waitlist.js';
import { preorderButton, preorderHint, preorderable } from './shop-preorder.js';

/** Lower-case, without accents, so "ete" finds "Robe d'été". */
export function fold(text) {
  return (text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function discount(p) {
  return p.old_price && p.old_price > p.price ? Math.round((100 * (p.old_price - p.price)) / p.old_price) : 0;
}

export function priceBlock(p, size = '') {
  return h('p', { class: `price ${size}` },
    h('span', { class: 'price-now' }, money(p.price, p.currency)),
    p.old_price && p.old_price > p.price
      ? [' ', h('span', { class: 'sr-only' }, t('price.instead')), h('s', { class: 'price-old' }, money(p.old_price, p.currency))]
      : null);
}

function productCard(p) {
  const off = discount(p);
  const sizes = [...new Set(p.variants.filter((v) => v.available > 0).map((v) => v.size))];
  return h('li', { class: 'card', dataset: { slug: p.slug } },
    h('a', { class: 'card-link', href: `#/produit/${encodeURIComponent(p.slug)}` },
      h('div', { class: `card-media${p.in_stock ? '' : ' is-sold-out'}` },
        thumbnailOf(p) ? h('img', { src: thumbnailOf(p), alt: '', width: 400, height: 400, loading: 'lazy' }) : null,
        p.in_stock ? null : h('span', { class: 'badge badge-sold-out' }, t('product.soldOut')),
        p.in_stock && off ? h('span', { class: 'badge badge-sale' }, `−${off} %`) : null),
      h('div', { class: 'card-body' },
        h('p', { class: 'card-cat' }, p.category),
        h('h2', { class: 'card-title' }, p.title),
        priceBlock(p),
        h('p', { class: 'card-sizes' }, sizes.length ? `${t('product.sizes')} ${sizes.join(' · ')}`
          : p.variants.some(preorderable) ? t('preorder.card') : t('product.comingBack')))));
}

/** `#/`: the grid, with a search box and one chip per category. */
export function homeView(app, ctx) {
  const { products } = ctx.state;
  const categories = [...new Set(products.map((p) => p.category).filter(Boolean))];
  const grid = h('ul', { class: 'grid', id: 'product-grid' });
  const count = h('p', { class: 'sr-only', role: 'status', id: 'result-count' });
  const search = h('input', {
    type: 'search', id: 'search', value: ctx.state.query, autocomplete: 'off',
    placeholder: t('home.searchPlaceholder'),
  });
  const chips = h('div', { class: 'chips', role: 'group', 'aria-label': t('home.categories') });
  const draw = () => {
    const q = fold(ctx.state.query);
    // Sold-out products stay visible (they come back) but after the rest.
    const shown = products.filter((p) => (!ctx.state.category || p.category === ctx.state.category)
      && (!q || fold(`${p.title} ${p.category} ${p.description}`).includes(q)))
      .sort((a, b) => Number(b.in_stock) - Number(a.in_stock));
    mount(grid, shown.length ? shown.map(productCard)
      : h('li', { class: 'empty' }, t('home.noMatch')));
    count.textContent = t('home.count', { n: shown.length });
    mount(chips, ['', ...categories].map((c) => h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String(ctx.state.category === c),
      onclick: () => { ctx.state.category = c; draw(); },
    }, c || t('home.all'))));
  };
  search.addEventListener('input', () => { ctx.state.query = search.value; draw(); });
  mount(app,
    welcomeSection(),
    h('div', { class: 'toolbar' },
      h('div', { class: 'search' },
        h('label', { for: 'search', class: 'sr-only' }, t('home.search')), search),
      chips),
    count,
    ctx.state.error ? h('p', { class: 'alert alert-error', role: 'alert' }, ctx.state.error) : null,
    grid);
  draw();
}

/**
 * The product's pictures: its photos as a gallery (the large one, and a
 * button per photo to show it), else its drawing (`image_url`).
 */
function gallery(p) {
  const photos = p.images || [];
  const soldOut = p.in_stock ? null : h('span', { class: 'badge badge-sold-out' }, t('product.soldOut'));
  const media = (...children) => h('div', { class: `product-media${p.in_stock ? '' : ' is-sold-out'}` }, ...children);
  if (!photos.length) {
    return h('div', { class: 'gallery' },
      media(p.image_url ? h('img', { src: p.image_url, alt: p.title, width: 400, height: 400 }) : null, soldOut));
  }
  const altOf = (photo, i) => photo.alt || t('product.photoOf', { title: p.title, n: i + 1, total: photos.length });
  const large = h('img', { src: photos[0].url, alt: altOf(photos[0], 0), id: 'gallery-main', width: 800, height: 800 });
  const buttons = photos.map((photo, i) => h('li', null,
    h('button', {
      type: 'button', class: 'gallery-thumb', 'aria-pressed': String(i === 0),
      'aria-label': t('product.showPhoto', { n: i + 1, total: photos.length }),
      onclick: (event) => {
        large.src = photo.url;
        large.alt = altOf(photo, i);
        for (const b of event.currentTarget.closest('ul').querySelectorAll('button')) b.setAttribute('aria-pressed', 'false');
        event.currentTarget.setAttribute('aria-pressed', 'true');
      },
    }, h('img', { src: photo.thumbnail_url, alt: '', width: 80, height: 80, loading: 'lazy' }))));
  return h('div', { class: 'gallery' },
    media(large, soldOut),
    photos.length > 1 ? h('ul', { class: 'gallery-thumbs', 'aria-label': t('product.photos', { title: p.title }) }, buttons) : null);
}

/** `#/produit/{slug}`: the picture, the price, the colour and size pickers, add to cart. */
export async function productView(app, ctx, slug) {
  mount(app, h('p', { class: 'loading' }, t('loading')));
  const answer = await api(`/api/v1/products/${encodeURIComponent(slug)}`);
  if (!answer.ok) {
    mount(app, h('h1', null, t('product.notFoundTitle')),
      h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail),
      h('a', { class: 'btn btn-primary', href: '#/' }, t('cart.browse')));
    return;
  }
  const p = answer.data;
  const colors = [...new Set(p.variants.map((v) => v.color).filter(Boolean))];
  const pick = { color: colors.find((c) => p.variants.some((v) => v.color === c && v.available > 0)) || colors[0] || null, sku: null };
  const sizeBox = h('div', { class: 'options' });
  const hint = h('p', { class: 'stock-hint', id: 'stock-hint', 'aria-live': 'polite' });
  const error = h('p', { class: 'field-error', id: 'size-error' });
  const qty = h('input', { type: 'number', id: 'qty', min: 1, max: 100, value: 1, inputmode: 'numeric' });
  // A sold-out product whose sizes can be preordered still has its button.
  const buyable = p.in_stock || p.variants.some(preorderable);
  const addButton = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'add-to-cart', disabled: !buyable },
    buyable ? t('product.add') : t('product.soldOut'));
  /** The button says what it does for the size picked: add, or preorder. */
  const drawButton = () => {
    const v = p.variants.find((x) => x.sku === pick.sku);
    if (v && preorderable(v)) addButton.textContent = preorderButton(v);
    else if (buyable) addButton.textContent = t('product.add');
  };

  const notify = notifyMe(p);
  const drawSizes = () => {
    const variants = p.variants.filter((v) => !colors.length || v.color === pick.color);
    notify.draw(variants);
    mount(sizeBox, variants.map((v) => {
      const id = `size-${v.sku}`;
      return h('span', { class: 'option' },
        h('input', {
          type: 'radio', name: 'size', id, value: v.sku, disabled: v.available <= 0 && !preorderable(v), checked: pick.sku === v.sku,
          onchange: () => { pick.sku = v.sku; error.textContent = ''; drawHint(); },
        }),
        h('label', { for: id, class: preorderable(v) ? 'preorder' : v.available <= 0 ? 'sold-out' : null },
          v.size, v.available <= 0 ? h('span', { class: 'sr-only' }, ` (${preorderable(v) ? t('preorder.sizeLabel') : t('product.sizeSoldOut')})`) : null));
    }));
  };
  const drawHint = () => {
    const v = p.variants.find((x) => x.sku === pick.sku);
    // Low by the shop's one rule (the server says so); "only N left" then.
    hint.textContent = v && preorderable(v) ? preorderHint(v)
      : v && v.low && v.available > 0 ? t('product.fewLeft', { n: v.available }) : '';
    drawButton();
  };
  const colorBox = colors.length ? h('fieldset', { class: 'picker' },
    h('legend', null, t('product.color')),
    h('div', { class: 'options' }, colors.map((c, i) => h('span', { class: 'option' },
      h('input', {
        type: 'radio', name: 'color', id: `color-${i}`, value: c, checked: c === pick.color,
        onchange: () => { pick.color = c; pick.sku = null; drawSizes(); drawHint(); },
      }),
      h('label', { for: `color-${i}` }, c))))) : null;
  const step = (delta) => { qty.value = String(Math.min(100, Math.max(1, (parseInt(qty.value, 10) || 1) + delta))); };

  const form = h('form', { class: 'add-form', id: 'add-form', novalidate: true },
    colorBox,
    h('fieldset', { class: 'picker', 'aria-describedby': 'size-error' },
      h('legend', null, t('product.size')), sizeBox),
    error, hint,
    h('div', { class: 'qty-row' },
      h('label', { for: 'qty' }, t('product.quantity')),
      h('div', { class: 'stepper' },
        h('button', { type: 'button', class: 'step', 'aria-label': t('cart.less'), onclick: () => step(-1) }, '−'),
        qty,
        h('button', { type: 'button', class: 'step', 'aria-label': t('cart.more'), onclick: () => step(1) }, '+'))),
    addButton);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const variant = p.variants.find((v) => v.sku === pick.sku);
    if (!variant) {
      error.textContent = t('product.pickSize');
      sizeBox.querySelector('input:not([disabled])')?.focus();
      return;
    }
    const quantity = Math.max(1, parseInt(qty.value, 10) || 1);
    addButton.disabled = true;
    const preorder = preorderable(variant);
    const result = await addToCart(p, variant, quantity, { preorder });
    addButton.disabled = false;
    if (result.ok) {
      toast(t(preorder ? 'preorder.added' : 'product.added', { title: p.title, size: variant.size, n: quantity }), 'ok');
    } else {
      toast(result.message);
      drawSizes();
      drawHint();
    }
  });

  mount(app,
    h('nav', { class: 'breadcrumb', 'aria-label': t('product.breadcrumb') },
      h('a', { href: '#/' }, t('nav.shop')), ' › ', h('span', null, p.category)),
    h('article', { class: 'product' },
      gallery(p),
      h('div', { class: 'product-info' },
        h('p', { class: 'card-cat' }, p.category),
        h('h1', null, p.title),
        priceBlock(p, 'price-large'),
        h('p', { class: 'description' }, p.description),
        form,
        notify.element)));
  drawSizes();
  focusHeading(app);
}
