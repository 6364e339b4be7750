// Back office, a product's photos: add several at once (chosen, dropped on
// the zone, or taken with a phone's camera), say what each shows, move
// them (the first is the one lists show), delete one after a confirmation.
// The server checks each file by its content and stores it again without
// its metadata; this page only sends the files one after the other.

import { confirmDialog, h, toast } from './common.js';
import { t } from './i18n.js';
import { adminApi } from './admin-core.js';

/** The server's limits, said again here to spare a useless upload. */
const UPLOAD_BYTES_MAX = 10 * 1024 * 1024;
const IMAGES_MAX = 12;
const ALT_CHARS_MAX = 300;
const ACCEPTED = 'image/jpeg,image/png,image/webp';

const imagesPath = (product) => `/api/v1/admin/products/${encodeURIComponent(product.id)}/images`;

/** The photos section of the edit form of `product`; `reload` draws it again. */
export function photosSection(product, reload) {
  const images = product.images || [];
  const status = h('p', { class: 'upload-status', role: 'status', id: 'photo-status' });
  const input = h('input', { type: 'file', id: 'photo-files', accept: ACCEPTED, multiple: true, class: 'photo-input', 'aria-describedby': 'photo-hint' });
  const zone = h('div', { class: 'dropzone', id: 'photo-drop' },
    h('label', { for: 'photo-files', class: 'dropzone-label' }, t('photos.choose')),
    input,
    h('p', { class: 'hint', id: 'photo-hint' }, t('photos.hint', { n: IMAGES_MAX })));
  const send = async (files) => {
    // A FileList is live: copied before the input is emptied for the next choice.
    const chosen = [...files];
    input.value = '';
    await upload(product, chosen, images.length, status);
    await reload();
  };
  input.addEventListener('change', () => { if (input.files.length) send(input.files); });
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('dragging'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (event.dataTransfer?.files?.length) send(event.dataTransfer.files);
  });
  const list = images.length
    ? h('ol', { class: 'photo-list', id: 'photo-list' }, images.map((image, i) => photoItem(product, image, i, images.length, reload)))
    : h('p', { class: 'muted', id: 'photo-none' }, t('photos.none'));
  return h('section', { class: 'photos-edit', 'aria-labelledby': 'photos-title' },
    h('h2', { id: 'photos-title' }, t('photos.title')),
    h('p', { class: 'muted' }, t('photos.lead')),
    list,
    images.length < IMAGES_MAX ? zone : h('p', { class: 'hint' }, t('photos.full', { n: IMAGES_MAX })),
    status);
}

/** Sends `files` one after the other; says how it went in `status`. */
async function upload(product, files, already, status) {
  let added = 0;
  for (const [i, file] of files.entries()) {
    if (already + added >= IMAGES_MAX) { toast(t('photos.full', { n: IMAGES_MAX })); break; }
    if (file.size > UPLOAD_BYTES_MAX) { toast(t('photos.tooBig', { name: file.name })); continue; }
    status.textContent = t('photos.sending', { n: i + 1, total: files.length });
    const body = new FormData();
    body.append('file', file, file.name);
    const answer = await adminApi(imagesPath(product), { method: 'POST', body });
    if (answer.ok) added += 1;
    else toast(`${file.name} : ${answer.data.detail}`);
  }
  const done = added ? t(added === 1 ? 'photos.addedOne' : 'photos.added', { n: added }) : '';
  status.textContent = done;
  if (added) toast(done, 'ok');
}

function photoItem(product, image, index, count, reload) {
  const n = index + 1;
  const altId = `photo-alt-${index}`;
  const alt = h('textarea', { id: altId, class: 'photo-alt', rows: 2, maxlength: ALT_CHARS_MAX });
  alt.value = image.alt;
  const change = async (body, done) => {
    const answer = await adminApi(`${imagesPath(product)}/${index}`, { method: 'PATCH', body });
    if (!answer.ok) { toast(answer.data.detail); return; }
    toast(done, 'ok');
    await reload();
  };
  alt.addEventListener('change', () => change({ alt: alt.value.trim() }, t('photos.altSaved', { n })));
  const move = (to, text, arrow, disabled) => h('button', {
    type: 'button', class: 'btn btn-ghost btn-small move', disabled, 'aria-label': t(text, { n }),
    onclick: () => change({ position: to }, t('photos.moved', { n })),
  }, arrow);
  const remove = h('button', {
    type: 'button', class: 'btn btn-small btn-danger-ghost photo-delete', 'aria-label': t('photos.deleteOf', { n }),
    onclick: async () => {
      if (!await confirmDialog(t('photos.confirmDelete', { n }), t('photos.delete'))) return;
      const answer = await adminApi(`${imagesPath(product)}/${index}`, { method: 'DELETE' });
      if (!answer.ok) { toast(answer.data.detail); return; }
      toast(t('photos.deleted', { n }), 'ok');
      await reload();
    },
  }, t('photos.delete'));
  return h('li', { class: 'photo-item', dataset: { position: String(index) } },
    h('img', { src: image.thumbnail_url, alt: image.alt || t('photos.numbered', { n }), width: 160, height: 160, loading: 'lazy' }),
    index === 0 ? h('span', { class: 'badge badge-main' }, t('photos.main')) : null,
    h('div', { class: 'photo-alt-field' },
      h('label', { for: altId }, t('photos.alt', { n })), alt),
    h('div', { class: 'photo-actions' },
      move(index - 1, 'photos.left', '←', index === 0),
      move(index + 1, 'photos.right', '→', index === count - 1),
      remove));
}
