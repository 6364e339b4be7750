// The shop's own identity on every storefront page: its name, tagline and
// logo in the header, its address, hours and phones in the footer, the
// links that reach it (`tel:`, WhatsApp), and the first-run page of a shop
// whose owner has not named it yet. Read once from `GET /api/v1/shop`.

import { api, h, mount } from './common.js';
import { addStrings, t } from './i18n.js';

let shop = { name: '', tagline: '', welcome: '', logo_url: null, phone: '', whatsapp: '', address: '', opening_hours: '', currency: 'XOF', delivery_zones: [] };

/** The shop as last read; never null. */
export function currentShop() {
  return shop;
}

/** A fresh shop: its owner has not set its name yet. */
export function isUnnamed() {
  return !shop.name;
}

/** The name to show: the shop's, or a neutral word until it has one. */
export function shopName() {
  return shop.name || t('identity.unnamed');
}

/** Reads the shop; keeps the neutral one if the server cannot answer. */
export async function loadShop() {
  const answer = await api('/api/v1/shop');
  if (answer.ok) shop = answer.data;
  return shop;
}

function digits(phone) {
  return (phone || '').replace(/[^\d+]/g, '');
}

/** `tel:` and WhatsApp links to the shop, as many as it set. */
export function contactLinks() {
  const links = [];
  if (shop.phone) {
    links.push(h('a', { href: `tel:${digits(shop.phone)}`, class: 'contact-link' }, t('identity.call', { phone: shop.phone })));
  }
  if (shop.whatsapp) {
    links.push(h('a', { href: `https://wa.me/${digits(shop.whatsapp).replace('+', '')}`, class: 'contact-link', rel: 'noopener' },
      t('identity.whatsapp', { phone: shop.whatsapp })));
  }
  return links;
}

function joined(links) {
  return links.flatMap((link, i) => (i ? [` ${t('identity.or')} `, link] : [link]));
}

/** "Contactez la boutique" with its links, or the sentence alone. */
export function contactSentence() {
  const links = contactLinks();
  return h('p', { class: 'contact' }, t('identity.contact'), links.length ? ' ' : null, joined(links));
}

/**
 * The shop's links under a refusal that sends the buyer to the shop (the
 * order limit, an article no longer sold): null when it set neither.
 */
export function contactLine(id) {
  const links = contactLinks();
  return links.length ? h('p', { class: 'contact', id }, joined(links)) : null;
}

/** The header's brand and the footer, in the shop's words. */
export function drawIdentity() {
  const logo = document.getElementById('brand-logo');
  logo.src = shop.logo_url || '/assets/favicon.svg';
  document.getElementById('brand-name').textContent = shopName();
  const tagline = document.getElementById('brand-tagline');
  tagline.textContent = shop.tagline;
  tagline.hidden = !shop.tagline;
  const icon = document.querySelector('link[rel="icon"]');
  if (icon && shop.logo_url) {
    icon.href = shop.logo_url;
    icon.removeAttribute('type');
  }
  const footer = document.getElementById('footer-identity');
  mount(footer,
    h('p', { class: 'footer-name' }, shopName()),
    shop.address ? h('p', { class: 'footer-address' }, shop.address) : null,
    shop.opening_hours ? h('p', null, shop.opening_hours) : null,
    contactLinks().length ? h('p', { class: 'footer-contact' }, contactLinks()) : null);
}

/** The home page's welcome, or the first-run page of a shop without a name. */
export function welcomeSection() {
  if (isUnnamed()) {
    return h('section', { class: 'first-run', id: 'first-run' },
      h('h1', null, t('identity.firstTitle')),
      h('p', null, t('identity.firstLead')),
      h('ol', null,
        h('li', null, t('identity.firstStep1')),
        h('li', null, t('identity.firstStep2')),
        h('li', null, t('identity.firstStep3'))),
      h('a', { class: 'btn btn-primary', href: '/admin#/reglages' }, t('identity.firstAction')));
  }
  return h('section', { class: 'hero' },
    h('div', { class: 'hero-text' },
      shop.tagline ? h('p', { class: 'hero-kicker' }, shop.tagline) : null,
      h('h1', null, shop.name),
      shop.welcome ? h('p', { class: 'hero-lead' }, shop.welcome) : null),
    h('ul', { class: 'hero-points' },
      h('li', null, t('home.point1')), h('li', null, t('home.point2')), h('li', null, t('home.point3'))));
}

addStrings({
  fr: {
    'identity.unnamed': 'Boutique',
    'identity.call': 'Appeler le {phone}',
    'identity.whatsapp': 'WhatsApp {phone}',
    'identity.or': 'ou',
    'identity.contact': 'Une question ? Contactez la boutique.',
    'identity.firstTitle': 'Votre boutique est prête',
    'identity.firstLead': 'Elle n’a pas encore de nom. Voici ce qu’il reste à faire avant d’ouvrir :',
    'identity.firstStep1': 'Dans l’espace boutique, page Réglages : le nom, un slogan, un mot d’accueil, le téléphone, WhatsApp, l’adresse et les horaires.',
    'identity.firstStep2': 'Les zones de livraison et leurs frais, sur la même page.',
    'identity.firstStep3': 'Les articles, avec leurs tailles et leur stock, page Produits.',
    'identity.firstAction': 'Ouvrir l’espace boutique',
  },
  en: {
    'identity.unnamed': 'Shop',
    'identity.call': 'Call {phone}',
    'identity.whatsapp': 'WhatsApp {phone}',
    'identity.or': 'or',
    'identity.contact': 'A question? Contact the shop.',
    'identity.firstTitle': 'Your shop is ready',
    'identity.firstLead': 'It has no name yet. What is left to do before opening:',
    'identity.firstStep1': 'In the back office, Settings page: the name, a tagline, a welcome line, the phone, WhatsApp, the address and the opening hours.',
    'identity.firstStep2': 'The delivery zones and their fees, on the same page.',
    'identity.firstStep3': 'The products, with their sizes and stock, Products page.',
    'identity.firstAction': 'Open the back office',
  },
});
