// The tabs of the "Réglages" pages: the shop and its rules, the
// notifications and the webhooks (the owner's), and the events' journal.

import { h } from './common.js';
import { addStrings, t } from './i18n.js';
import { isOwner } from './admin-core.js';

addStrings({
  fr: {
    'reglages.tabs': 'Pages des réglages',
    'reglages.shop': 'Boutique et règles',
    'reglages.notifications': 'Notifications',
    'reglages.webhooks': 'Webhooks',
    'reglages.journal': 'Journal des événements',
    'reglages.ownerOnly': 'Cette page est réservée au rôle « propriétaire ».',
  },
  en: {
    'reglages.tabs': 'Settings pages',
    'reglages.shop': 'Shop and rules',
    'reglages.notifications': 'Notifications',
    'reglages.webhooks': 'Webhooks',
    'reglages.journal': 'Events log',
    'reglages.ownerOnly': 'This page is for the “owner” role only.',
  },
});

export const PAGES = [
  { arg: '', key: 'reglages.shop', owner: false },
  { arg: 'notifications', key: 'reglages.notifications', owner: true },
  { arg: 'webhooks', key: 'reglages.webhooks', owner: true },
  { arg: 'journal', key: 'reglages.journal', owner: false },
];

/** The tabs, the current one marked; staff see only the pages they may open. */
export function settingsTabs(current) {
  return h('nav', { class: 'settings-tabs', 'aria-label': t('reglages.tabs') },
    h('ul', null, PAGES.filter((p) => !p.owner || isOwner()).map((p) => h('li', null,
      h('a', { href: p.arg ? `#/reglages/${p.arg}` : '#/reglages', 'aria-current': p.arg === current ? 'page' : null }, t(p.key))))));
}
