// Photos of the signed Form-45 sheets and of incidents. The station document names each report's and
// each incident's photo by its SHA-256;
// whether the bytes have reached the server is the server's to say, so each photo is asked for with the
// editor's token (an <img> cannot send it) and kept as an object URL. A photo the server does not hold
// yet is "pending" and is asked for again while it is on screen.

import { html, device } from './format.js';

const recheckMilliseconds = 10_000;
/** sha256 → {state: 'loading' | 'present' | 'pending' | 'failed', url, checked}. */
const photos = new Map();
let changed = () => {};

/** Calls `callback` whenever a photo arrives or turns out pending. */
export function onPhotoChange(callback) {
  changed = callback;
}

async function fetchPhoto(token, sha256) {
  const known = photos.get(sha256);
  photos.set(sha256, { state: known?.state ?? 'loading', url: known?.url, checked: Date.now(), inFlight: true });
  let next;
  try {
    const response = await fetch(`/v1/photos/${sha256}`, { headers: { Authorization: `Bearer ${token}` } });
    if (response.ok) next = { state: 'present', url: URL.createObjectURL(await response.blob()) };
    else next = { state: response.status === 404 ? 'pending' : 'failed' };
  } catch {
    next = { state: 'failed' };
  }
  photos.set(sha256, { ...next, checked: Date.now() });
  if (next.state !== 'present') {
    // Asked again while the page still shows it; otherwise when it is shown again.
    setTimeout(() => {
      if (document.querySelector(`[data-photo="${sha256}"]`)) fetchPhoto(token, sha256);
      else photos.set(sha256, { ...photos.get(sha256), checked: 0 });
    }, recheckMilliseconds);
  }
  changed();
}

function photoState(token, sha256) {
  const photo = photos.get(sha256);
  if (!photo || (!photo.inFlight && photo.state !== 'present' && Date.now() - photo.checked > recheckMilliseconds)) {
    fetchPhoto(token, sha256);
  }
  return photos.get(sha256);
}

/**
 * The photos of a result's reports (or of incidents), one per item that named one: the image (a click
 * shows it larger), or "photo pending" while the server does not hold it. `region` and `alt` say
 * whose photos they are.
 */
export function reportPhotos(store, reports, enlarged,
  { region = 'photos', alt = 'The signed Form-45 as photographed by this device' } = {}) {
  const named = reports.filter((report) => report.photo);
  if (named.length === 0) return '';
  return html`
    <div class="form45-photos" data-region="${region}">${named.map((report) => {
      const photo = photoState(store.token, report.photo);
      const label = html`Device ${device(report.device)}`;
      if (photo.state === 'present') {
        const large = enlarged === report.photo;
        return html`
          <figure class="form45-photo ${large ? 'enlarged' : ''}" data-photo="${report.photo}" data-state="present">
            <button type="button" data-action="photo" data-value="${report.photo}" aria-pressed="${large}"
              aria-label="${large ? 'Show the photo smaller' : 'Show the photo larger'}">
              <img src="${photo.url}" alt="${alt}">
            </button>
            <figcaption>${label} · <code>${report.photo.slice(0, 12)}</code></figcaption>
          </figure>`;
      }
      const text = photo.state === 'pending' ? 'photo pending' : photo.state === 'failed' ? 'photo not readable now' : 'reading the photo…';
      return html`
        <figure class="form45-photo missing" data-photo="${report.photo}" data-state="${photo.state}">
          <p class="photo-pending">${text}</p>
          <figcaption>${label} · <code>${report.photo.slice(0, 12)}</code></figcaption>
        </figure>`;
    })}</div>`;
}
