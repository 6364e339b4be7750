// Back office, "Réglages" → "La boutique": the shop's name, tagline,
// welcome, logo, phones, address and hours, and its delivery zones with
// their fees, as buyers see them (`PUT /api/v1/admin/shop`, owner only).

import { currencyLabel, h, money, mount, toast } from './common.js';
import { addStrings, t } from './i18n.js';
import { adminApi, field, isOwner } from './admin-core.js';

const TEXTS = [
  { name: 'name', max: 120 },
  { name: 'tagline', max: 120 },
  { name: 'welcome', max: 1000, multiline: true },
  { name: 'phone', max: 120, type: 'tel' },
  { name: 'whatsapp', max: 120, type: 'tel' },
  { name: 'address', max: 1000, multiline: true },
  { name: 'opening_hours', max: 120 },
  { name: 'logo_url', max: 2048 },
];

/** Lower-case, no accents, dashes: what a zone's id may hold. */
function zoneId(name) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'zone';
}

/** The shop's form, for the settings page; staff read it without saving. */
export async function shopSection() {
  const answer = await adminApi('/api/v1/shop');
  if (!answer.ok) return h('p', { class: 'alert alert-error', role: 'alert' }, answer.data.detail);
  const shop = answer.data;
  const owner = isOwner();
  const inputs = {};
  const errors = {};
  const rows = TEXTS.map((f) => {
    const id = `shop-${f.name}`;
    const input = f.multiline
      ? h('textarea', { rows: 3, maxlength: f.max })
      : h('input', { type: f.type || 'text', maxlength: f.max });
    input.value = shop[f.name] || '';
    input.disabled = !owner;
    inputs[f.name] = input;
    errors[f.name] = h('p', { class: 'field-error', id: `${id}-error` });
    const row = field(id, t(`shopForm.${f.name}`), input, t(`shopForm.${f.name}Hint`));
    input.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
    row.append(errors[f.name]);
    return row;
  });

  const zoneList = h('ul', { class: 'zone-list', id: 'zone-list' });
  const zones = shop.delivery_zones.map((z) => ({ ...z }));
  const drawZones = () => {
    mount(zoneList, zones.map((z, i) => {
      const name = h('input', { type: 'text', maxlength: 80, value: z.name, id: `zone-name-${i}`, disabled: !owner });
      const fee = h('input', { type: 'number', min: 0, step: 1, value: z.fee, inputmode: 'numeric', id: `zone-fee-${i}`, disabled: !owner });
      name.addEventListener('input', () => { z.name = name.value; });
      fee.addEventListener('input', () => { z.fee = fee.value === '' ? NaN : Number(fee.value); });
      return h('li', { class: 'zone-row', dataset: { zone: z.id } },
        h('div', { class: 'field' }, h('label', { for: `zone-name-${i}` }, t('shopForm.zoneName')), name),
        h('div', { class: 'field' }, h('label', { for: `zone-fee-${i}` }, t('shopForm.zoneFee', { currency: currencyLabel(shop.currency) })), fee),
        h('p', { class: 'field-error', id: `zone-error-${i}` }),
        owner ? h('button', {
          type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('shopForm.zoneRemoveOf', { zone: z.name || i + 1 }),
          onclick: () => { zones.splice(i, 1); drawZones(); },
        }, t('shopForm.zoneRemove')) : null);
    }));
    if (!zones.length) zoneList.append(h('li', { class: 'muted' }, t('shopForm.noZones')));
  };
  drawZones();
  const addZone = owner ? h('button', {
    type: 'button', class: 'btn btn-ghost', id: 'add-zone',
    onclick: () => {
      zones.push({ id: '', name: '', fee: 0 });
      drawZones();
      document.getElementById(`zone-name-${zones.length - 1}`)?.focus();
    },
  }, t('shopForm.zoneAdd')) : null;

  const alert = h('p', { class: 'alert alert-error', role: 'alert', id: 'shop-alert', hidden: true });
  const form = h('form', { class: 'panel settings-form', id: 'shop-form', novalidate: true },
    h('h2', null, t('shopForm.title')),
    h('p', { class: 'muted' }, t('shopForm.lead')),
    rows,
    h('h3', null, t('shopForm.zones')),
    h('p', { class: 'muted' }, t('shopForm.zonesLead', { example: money(1500, shop.currency) })),
    zoneList, addZone,
    alert,
    owner ? h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'shop-save' }, t('admin.save'))) : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    Object.values(errors).forEach((e) => { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    const used = new Set();
    const body = Object.fromEntries(TEXTS.map((f) => [f.name, inputs[f.name].value.trim()]));
    body.logo_url = body.logo_url || null;
    body.delivery_zones = zones.map((z) => {
      // A new zone's id comes from its name, once; an existing one keeps its id.
      let id = z.id || zoneId(z.name);
      for (let n = 2; used.has(id); n += 1) id = `${zoneId(z.name)}-${n}`;
      used.add(id);
      return { id, name: z.name.trim(), fee: Number.isInteger(z.fee) ? z.fee : -1 };
    });
    const saved = await adminApi('/api/v1/admin/shop', { method: 'PUT', body });
    if (!saved.ok) {
      showErrors(saved.data, inputs, errors, alert);
      return;
    }
    alert.hidden = true;
    zones.splice(0, zones.length, ...saved.data.delivery_zones.map((z) => ({ ...z })));
    drawZones();
    window.dispatchEvent(new Event('shop-saved'));
    toast(t('shopForm.saved'), 'ok');
  });
  return form;
}

/** Each field's error next to it, in the page's words; the rest above the button. */
function showErrors(problem, inputs, errors, alert) {
  const rest = [];
  for (const e of problem.errors || []) {
    const zone = /^delivery_zones\[(\d+)\]\.(\w+)$/.exec(e.field);
    if (errors[e.field]) {
      errors[e.field].textContent = e.detail;
      inputs[e.field].setAttribute('aria-invalid', 'true');
    } else if (zone && document.getElementById(`zone-error-${zone[1]}`)) {
      document.getElementById(`zone-error-${zone[1]}`).textContent = e.detail;
      const input = document.getElementById(`zone-${zone[2] === 'fee' ? 'fee' : 'name'}-${zone[1]}`);
      input?.setAttribute('aria-invalid', 'true');
    } else {
      rest.push(e.detail);
    }
  }
  alert.textContent = rest.length ? rest.join(' ') : (problem.errors ? t('shopForm.fixFields') : problem.detail);
  alert.hidden = false;
  document.querySelector('#shop-form [aria-invalid="true"]')?.focus();
}

addStrings({
  fr: {
    'shopForm.title': 'La boutique',
    'shopForm.lead': 'Ce que vos clients voient en haut et en bas de chaque page, et sur la confirmation de commande.',
    'shopForm.name': 'Nom de la boutique',
    'shopForm.nameHint': 'Affiché en haut de chaque page.',
    'shopForm.tagline': 'Slogan',
    'shopForm.taglineHint': 'Une ligne sous le nom, par exemple « Mode ivoirienne en petites séries ».',
    'shopForm.welcome': 'Mot d’accueil',
    'shopForm.welcomeHint': 'Quelques phrases en haut de la page d’accueil.',
    'shopForm.phone': 'Téléphone',
    'shopForm.phoneHint': 'Vos clients peuvent vous appeler en touchant ce numéro.',
    'shopForm.whatsapp': 'Numéro WhatsApp',
    'shopForm.whatsappHint': 'Avec l’indicatif du pays, par exemple +225 07 00 00 00 00.',
    'shopForm.address': 'Adresse',
    'shopForm.addressHint': 'Où retirer une commande.',
    'shopForm.opening_hours': 'Horaires',
    'shopForm.opening_hoursHint': 'Par exemple « Du lundi au samedi, de 9 h à 19 h ».',
    'shopForm.logo_url': 'Logo (adresse de l’image)',
    'shopForm.logo_urlHint': 'Une adresse qui commence par https:// ou /. Laissez vide pour l’icône par défaut.',
    'shopForm.zones': 'Zones de livraison',
    'shopForm.zonesLead': 'Le client choisit sa zone en commandant ; les frais (par exemple {example}) s’ajoutent au total. Mettez 0 pour un retrait en boutique gratuit.',
    'shopForm.zoneName': 'Zone',
    'shopForm.zoneFee': 'Frais ({currency})',
    'shopForm.zoneAdd': 'Ajouter une zone',
    'shopForm.zoneRemove': 'Retirer',
    'shopForm.zoneRemoveOf': 'Retirer la zone {zone}',
    'shopForm.noZones': 'Aucune zone : les commandes n’ont pas de frais de livraison.',
    'shopForm.fixFields': 'Corrigez les champs signalés puis enregistrez.',
    'shopForm.saved': 'Boutique enregistrée.',
  },
  en: {
    'shopForm.title': 'The shop',
    'shopForm.lead': 'What your buyers see at the top and bottom of every page, and on the order confirmation.',
    'shopForm.name': 'Shop name',
    'shopForm.nameHint': 'Shown at the top of every page.',
    'shopForm.tagline': 'Tagline',
    'shopForm.taglineHint': 'One line under the name, for example “Ivorian fashion in small batches”.',
    'shopForm.welcome': 'Welcome text',
    'shopForm.welcomeHint': 'A few sentences at the top of the home page.',
    'shopForm.phone': 'Phone',
    'shopForm.phoneHint': 'Buyers can call you by tapping this number.',
    'shopForm.whatsapp': 'WhatsApp number',
    'shopForm.whatsappHint': 'With the country code, for example +225 07 00 00 00 00.',
    'shopForm.address': 'Address',
    'shopForm.addressHint': 'Where orders are picked up.',
    'shopForm.opening_hours': 'Opening hours',
    'shopForm.opening_hoursHint': 'For example “Monday to Saturday, 9 am to 7 pm”.',
    'shopForm.logo_url': 'Logo (image address)',
    'shopForm.logo_urlHint': 'An address starting with https:// or /. Leave empty for the default icon.',
    'shopForm.zones': 'Delivery zones',
    'shopForm.zonesLead': 'Buyers pick their zone when ordering; the fee (for example {example}) is added to the total. Use 0 for free pick-up at the shop.',
    'shopForm.zoneName': 'Zone',
    'shopForm.zoneFee': 'Fee ({currency})',
    'shopForm.zoneAdd': 'Add a zone',
    'shopForm.zoneRemove': 'Remove',
    'shopForm.zoneRemoveOf': 'Remove the zone {zone}',
    'shopForm.noZones': 'No zone: orders have no delivery fee.',
    'shopForm.fixFields': 'Correct the fields marked, then save.',
    'shopForm.saved': 'Shop saved.',
  },
});
