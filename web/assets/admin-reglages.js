// Back office, "Réglages": its pages under one menu entry, reached by tabs
// — the shop and its rules (`#/reglages`), the notifications
// (`#/reglages/notifications`) and the webhooks (`#/reglages/webhooks`),
// the owner's, and the events' journal (`#/reglages/journal`), which staff
// may read too.

import { h, mount } from './common.js';
import { t } from './i18n.js';
import { isOwner } from './admin-core.js';
import { PAGES, settingsTabs } from './admin-settings-tabs.js';
import { settingsView } from './admin-audit.js';
import { notificationsView } from './admin-notifications.js';
import { webhooksView } from './admin-webhooks.js';
import { journalView } from './admin-journal.js';

/**
 * Draws the settings page `arg` (none: the shop and its rules) under its
 * tabs; each page of this area draws the tabs itself, so that it can draw
 * itself again.
 */
export async function reglagesView(app, arg = '') {
  const page = PAGES.find((p) => p.arg === arg);
  if (!page) { mount(app, settingsTabs(''), h('h1', null, t('notFound.title'))); return; }
  if (page.owner && !isOwner()) {
    mount(app, settingsTabs(arg), h('h1', null, t(page.key)), h('p', { class: 'alert alert-warn', id: 'owner-only' }, t('reglages.ownerOnly')));
    return;
  }
  switch (arg) {
    case 'notifications': await notificationsView(app); break;
    case 'webhooks': await webhooksView(app); break;
    case 'journal': await journalView(app); break;
    default:
      await settingsView(app);
      app.prepend(settingsTabs(''));
  }
}
