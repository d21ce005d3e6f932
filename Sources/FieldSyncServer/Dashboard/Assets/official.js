// Official against the field (#/official, #/official/NA-248): every field report that differs from the
// commission's Form-45 of its station, from `GET /v1/official`, the most decisive first — a seat without a
// margin first, then by the largest candidate difference divided by the seat's margin — each row linking
// to its station's page, where the photos of the signed Form-45 are. Read again whenever a station changes.

import { html, number, device } from './format.js';

function signed(value) {
  return value > 0 ? `+${number(value)}` : number(value);
}

/** The differences of one report: each candidate official → field, then rejected and total when they differ. */
function figures(difference, store) {
  const standing = store.seats.get(difference.constituency)?.candidates ?? [];
  const parts = Object.entries(difference.differences ?? {}).map(([candidate, by]) => {
    const official = difference.officialVotes?.[candidate];
    const name = standing.find((known) => known.candidate === candidate)?.name;
    return html`<li data-candidate="${candidate}"><span class="candidate">${candidate}</span>${
      name ? html`<span class="candidate-name">${name}</span>` : ''}
      official ${number(official)} · field ${number(official === undefined ? null : official + by)}
      <strong class="${by > 0 ? 'more' : 'less'}">${signed(by)}</strong></li>`;
  });
  if (difference.rejected) parts.push(html`<li>rejected <strong>${signed(difference.rejected)}</strong></li>`);
  if (difference.totalCast) parts.push(html`<li>total cast <strong>${signed(difference.totalCast)}</strong></li>`);
  return html`<ul class="official-figures">${parts}</ul>`;
}

function againstMargin(difference) {
  if (difference.margin === null || difference.margin <= 0) {
    return html`<span class="official-share decisive">the seat has no margin yet</span>`;
  }
  const share = `${number(difference.size)} of the margin ${number(difference.margin)}`;
  const percent = `${(difference.marginBasisPoints / 100).toFixed(1)}%`;
  return html`<span class="official-share ${difference.couldChangeWinner ? 'decisive' : ''}">${share} (${percent})${
    difference.couldChangeWinner ? ' — could change the winner' : ''}</span>`;
}

function row(store, difference, index) {
  const station = difference.station;
  return html`<li class="official-row" data-official-row="${index}" data-station="${station}"
      data-seat="${difference.constituency}" data-device="${difference.device}" data-size="${difference.size}">
    <div class="official-where">
      <a class="station-link" href="#/station/${station}">${station}</a>
      <a class="seat-link" href="#/official/${difference.constituency}">${difference.constituency}</a>
      <span class="device" title="${difference.device}">device ${device(difference.device)}</span>
    </div>
    ${figures(difference, store)}
    <div class="official-size">${againstMargin(difference)}</div>
    <details class="official-evidence" data-key="official-${station}-${difference.device}">
      <summary>Evidence${difference.photo ? ' · Form-45 photo' : ''}</summary>
      <dl>
        <dt>Official import</dt><dd><code>${difference.official}</code></dd>
        <dt>File SHA-256</dt><dd><code>${difference.fileSha256 ?? '–'}</code></dd>
        <dt>Field report</dt><dd>${(difference.events ?? []).map((id) => html`<code>${id}</code> `)}</dd>
        <dt>Photo</dt><dd>${difference.photo
          ? html`<a href="#/station/${station}">on the station page</a> <code>${difference.photo}</code>`
          : 'none'}</dd>
      </dl>
    </details>
  </li>`;
}

/** The view for the city (`seat` null) or one seat, from `store.official` (`GET /v1/official`). */
export function renderOfficial(store, seat, { loading, error }) {
  const listing = store.official?.listing;
  const title = seat ? `${seat}: official Form-45s against the field` : 'Official Form-45s against the field';
  if (!listing) {
    return html`<h1>${title}</h1>
      ${error ? html`<p class="error" role="alert">Could not read the comparison: ${error}</p>`
        : html`<p class="empty" aria-busy="${loading ? 'true' : 'false'}">Reading the comparison…</p>`}`;
  }
  const all = listing.differences ?? [];
  const shown = seat ? all.filter((difference) => difference.constituency === seat) : all;
  const seats = [...new Set(all.map((difference) => difference.constituency))].sort();
  const nav = html`<nav class="official-seats" aria-label="Seats with differences">
    <a href="#/official" ${seat ? '' : html`aria-current="page"`}>Every seat</a>
    ${seats.map((code) => html`<a href="#/official/${code}" ${code === seat ? html`aria-current="page"` : ''}>${code}
      <span class="count">${number(all.filter((difference) => difference.constituency === code).length)}</span></a>`)}
    ${seat ? html`<a href="#/${seat}">${seat} tallies</a>` : ''}
  </nav>`;
  const summary = html`<p class="official-summary" data-official-count="${shown.length}">
    ${number(listing.stations)} station result${listing.stations === 1 ? ' has' : 's have'} an official Form-45;
    ${number(shown.length)} field report${shown.length === 1 ? ' differs' : 's differ'}${seat ? ` in ${seat}` : ''},
    the most decisive first (a seat without a margin, then the largest difference as a share of the seat's margin).
    Figures as of log position ${number(store.official.position)}.</p>`;
  const list = shown.length
    ? html`<ol class="official-list">${shown.map((difference, index) => row(store, difference, index))}</ol>`
    : html`<p class="empty">No field report differs from the official figures${seat ? ` in ${seat}` : ''}.</p>`;
  return html`<h1>${title}</h1>${nav}${summary}${list}`;
}

/** The navigation link, shown once signed in. */
export function renderOfficialLink(signedIn, route) {
  const link = document.getElementById('official-link');
  if (!link) return;
  link.hidden = !signedIn;
  if (route.name === 'official') link.setAttribute('aria-current', 'page');
  else link.removeAttribute('aria-current');
}
