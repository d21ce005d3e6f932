// The dashboard's start: sign-in, routing by the URL fragment (#/, #/NA-248, #/station/NA-248-001, #/review,
// #/official, #/official/NA-248),
// reading what the page shows, the live stream, and drawing the page again when anything changes.

import { savedCredentials, saveCredentials, forgetCredentials, enroll, referenceSummary } from './api.js';
import { LiveStream, LiveState } from './live.js';
import { Store, freshMilliseconds } from './store.js';
import { number, now, html, setElection, areaName, electionHeading } from './format.js';
import { renderOverview } from './overview.js';
import { renderSeat } from './seat.js';
import { renderStation } from './station.js';
import { onPhotoChange } from './photos.js';
import { renderSignIn } from './signin.js';
import { renderReview, renderReviewLink, installReviewActions, decidedStations } from './review.js';
import { renderOfficial, renderOfficialLink } from './official.js';

const uiKey = 'fieldsync.dashboard.ui';

/** What the editor chose on screen: kept for the browser session. */
const ui = {
  assembly: 'national',
  sort: 'seat',
  district: 'all',
  partyView: 'countingBackedIndependents',
  stationFilter: 'all',
  severity: 'all',
  feedAll: false,
  openEvents: new Set(),
  ...(() => {
    try {
      return JSON.parse(sessionStorage.getItem(uiKey) ?? '{}');
    } catch {
      return {};
    }
  })(),
};
ui.openEvents = new Set();

function saveUI() {
  const { openEvents, feedAll, ...kept } = ui;
  try {
    sessionStorage.setItem(uiKey, JSON.stringify(kept));
  } catch {
    // Private mode: choices last until the page closes.
  }
}

const app = {
  credentials: null,
  store: null,
  live: null,
  liveState: LiveState.stopped,
  liveDetail: {},
  heardAt: null,
  route: { name: 'overview' },
  signIn: { message: null, busy: false },
  /** What is being read: 'overview', 'seat:NA-248', 'station:NA-248-001'. */
  loading: new Set(),
  /** When each of those was last read, and how long it took. */
  readAt: new Map(),
  errors: new Map(),
  problem: null,
};

const main = document.getElementById('main');

// ---- Routing

/** The route of the URL fragment: overview, a seat (NA-…, PP-…, PS-…, PK-… or PB-…) or a station. */
function parseRoute(fragment) {
  const path = decodeURIComponent(fragment.replace(/^#/, '')).replace(/^\/+/, '').replace(/\/+$/, '');
  let match = /^station\/(NA-\d+-\d+)$/i.exec(path);
  if (match) return { name: 'station', code: match[1].toUpperCase() };
  match = /^((?:NA|PP|PS|PK|PB)-\d+)$/i.exec(path);
  if (match) return { name: 'seat', code: match[1].toUpperCase() };
  if (path === 'provincial' || path === 'national') return { name: 'overview', assembly: path };
  if (path === 'review') return { name: 'review' };
  if (path === 'official') return { name: 'official', code: null };
  match = /^official\/((?:NA|PS)-\d+)$/i.exec(path);
  if (match) return { name: 'official', code: match[1].toUpperCase() };
  return { name: 'overview' };
}

function routeChanged() {
  app.route = parseRoute(location.hash);
  if (app.route.assembly && app.route.assembly !== ui.assembly) {
    ui.assembly = app.route.assembly;
    saveUI();
  }
  ui.feedAll = false;
  ui.stationFilter = app.route.name === 'seat' && app.previousSeat === app.route.code ? ui.stationFilter : 'all';
  if (app.route.name === 'seat') app.previousSeat = app.route.code;
  render({ routeChanged: true });
  ensureData();
}

// ---- Reading data

async function read(key, work) {
  if (app.loading.has(key)) return;
  app.loading.add(key);
  const started = performance.now();
  try {
    await work();
    app.errors.delete(key);
  } catch (error) {
    if (error.signsOut) {
      signOut(error.expired
        ? `This browser's sign-in has expired (${error.message}). Sign in again with a new code.`
        : `The server no longer accepts this browser's credentials (${error.message}). Sign in again with a new code.`);
      return;
    }
    app.errors.set(key, error.message);
  } finally {
    app.loading.delete(key);
    app.readAt.set(key, { at: Date.now(), took: performance.now() - started });
    scheduleRender();
  }
}

/** Whether `key` was read less than `interval` ms ago (or, when reads are slow, four times their length). */
function readRecently(key, interval) {
  const last = app.readAt.get(key);
  return last && Date.now() - last.at < Math.max(interval, 4 * last.took);
}

function seatIsStale(store, code) {
  if (!store.seatStationsRead.has(code)) return true;
  for (const [station, position] of store.stationChangedAt) {
    const held = store.summaries.get(code)?.get(station);
    if (held ? held.position < position : station.startsWith(code + '-')) return true;
  }
  return false;
}

let ensureTimer = null;

/** Reads what the current page needs and does not have, or has stale. Called after every change. */
function ensureData() {
  const store = app.store;
  if (!store || !store.overviewLoaded) return;
  clearTimeout(ensureTimer);
  const route = app.route;
  let again = false;
  // The review list: on its page as stations change, elsewhere for the header's count every 30 s at most.
  if (store.reviewsStale()) {
    if (!readRecently('reviews', route.name === 'review' ? 1000 : 30_000)) read('reviews', () => store.loadReviews());
    again = true;
  }
  if (route.name === 'official') {
    // The comparison: again when a station changed after it was read (an import changes stations), at most
    // every 5 s: it reads every station's document on the server.
    if (store.officialStale()) {
      if (!readRecently('official', 5000)) read('official', () => store.loadOfficial());
      else again = true;
    }
  } else if (route.name === 'review') {
    // The stations of the list come with it; those decided here may have left it.
    for (const code of decidedStations()) {
      if (!store.isStale(code)) continue;
      if (!readRecently(`station:${code}`, 1000)) read(`station:${code}`, () => store.loadStation(code));
      again = true;
    }
  } else if (route.name === 'seat') {
    const key = `seat:${route.code}`;
    if (seatIsStale(store, route.code)) {
      if (!readRecently(key, 2000)) read(key, () => store.loadSeatStations(route.code));
      else again = true;
    }
    // The photo counts: again after the seat's stations were read, and every 10 s while photos are pending
    // (a photo's arrival changes no tally, so the live stream does not say so).
    const photos = store.seatPhotos.get(route.code);
    const photosKey = `seatPhotos:${route.code}`;
    const stationsRead = store.seatStationsRead.get(route.code)?.at ?? 0;
    const pending = photos?.photos.photoPending?.length > 0;
    if (!photos || photos.at < stationsRead || (pending && Date.now() - photos.at > 10_000)) {
      if (!readRecently(photosKey, 2000)) read(photosKey, () => store.loadSeatPhotos(route.code));
      else again = true;
    }
    if (pending) again = true;
  } else if (route.name === 'station') {
    const key = `station:${route.code}`;
    if (!store.stationEvents.has(route.code) || store.isStale(route.code)) {
      if (!readRecently(key, 1000)) read(key, () => store.loadStation(route.code));
      else again = true;
    }
    // The station's seats, for candidate names: in the overview already.
  } else {
    // The incident feed covers every station of the city: read the seats' stations one at a time,
    // then each seat again when its stations changed, at most every 30 seconds.
    if (![...app.loading].some((key) => key.startsWith('seat:'))) {
      const seats = store.seatsOf('national').map((seat) => seat.constituency);
      const next = seats.find((code) => !store.seatStationsRead.has(code))
        ?? seats.find((code) => seatIsStale(store, code) && !readRecently(`seat:${code}`, 30_000));
      if (next) read(`seat:${next}`, () => store.loadSeatStations(next)).then(ensureData);
      else if (seats.some((code) => seatIsStale(store, code))) again = true;
    }
  }
  if (again) ensureTimer = setTimeout(ensureData, 1000);
}

// ---- Starting and stopping

async function start() {
  app.credentials = savedCredentials();
  if (!app.credentials) {
    render({ routeChanged: true });
    return;
  }
  const store = new Store(app.credentials.token);
  app.store = store;
  app.problem = null;
  render({ routeChanged: true });
  for (let attempt = 0; app.store === store; attempt++) {
    await read('overview', () => store.loadOverview());
    if (store.overviewLoaded || app.store !== store) break;
    app.problem = `Cannot read the tallies: ${app.errors.get('overview')}. Trying again…`;
    render();
    await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 1000 * (attempt + 1))));
  }
  if (app.store !== store) return;
  app.problem = null;
  startLive(store);
  ensureData();
  referenceSummary(store.token)
    .then((summary) => {
      store.reference = summary;
      setElection(summary.election);
      lastMarkup = null;
      scheduleRender();
    })
    .catch(() => {});
}

function startLive(store) {
  app.live = new LiveStream({
    token: store.token,
    lastEventID: store.position,
    onEvent: ({ name, data }) => {
      app.heardAt = now();
      if (name === 'tallies') {
        // Changes to documents the page read at another position: follow the stream again from the page's.
        if (!store.applyLive(data)) setTimeout(() => restartLive(store));
        setTimeout(scheduleRender, freshMilliseconds + 50);
        ensureData();
      }
      if (name === 'reload') read('overview', () => store.reload()).then(ensureData);
      scheduleRender();
    },
    onState: (state, detail = {}) => {
      app.liveState = state;
      app.liveDetail = detail;
      if (state === LiveState.live) app.heardAt = now();
      renderConnection();
    },
    onUnauthorized: (error) => {
      signOut(`The live stream refused this browser's credentials: ${error.message}. Sign in again.`);
    },
  });
  app.live.start();
}

function restartLive(store) {
  if (!app.live || app.store !== store) return;
  app.live.stop();
  startLive(store);
}

function signOut(message = null) {
  app.live?.stop();
  app.live = null;
  app.store = null;
  app.credentials = null;
  app.loading.clear();
  app.readAt.clear();
  app.errors.clear();
  forgetCredentials();
  app.signIn = { message, busy: false };
  app.liveState = LiveState.stopped;
  render({ routeChanged: true });
}

async function signIn(code) {
  if (!code.trim()) {
    app.signIn = { message: 'Type the enrollment code first.', busy: false };
    render();
    return;
  }
  app.signIn = { message: null, busy: true };
  render();
  try {
    const credentials = await enroll(code);
    saveCredentials(credentials);
    app.signIn = { message: null, busy: false };
    start();
  } catch (error) {
    app.signIn = { message: error.message, busy: false };
    render();
    document.getElementById('signin-code')?.focus();
  }
}

// ---- Drawing

let renderTimer = null;

function scheduleRender() {
  if (renderTimer !== null) return;
  renderTimer = setTimeout(() => {
    renderTimer = null;
    render();
  }, 40);
}

function renderConnection() {
  const element = document.getElementById('connection');
  const store = app.store;
  const state = app.credentials ? app.liveState : LiveState.stopped;
  document.body.dataset.live = state;
  document.body.dataset.position = store?.position ?? '';
  if (!app.credentials) {
    element.hidden = true;
    return;
  }
  element.hidden = false;
  const words = {
    [LiveState.connecting]: 'Connecting…',
    [LiveState.live]: 'Live',
    [LiveState.reconnecting]: app.liveDetail.inSeconds ? `Reconnecting in ${app.liveDetail.inSeconds} s…` : 'Reconnecting…',
    [LiveState.stopped]: 'Not connected',
  };
  element.dataset.state = state;
  element.querySelector('.state').textContent = words[state] ?? state;
  element.querySelector('.position').textContent = store?.position !== null && store?.position !== undefined ? `log position ${number(store.position)}` : '';
  element.querySelector('.position').title = 'The tallies shown include every event of the server\'s log up to this position';
  element.querySelector('.heard').textContent = app.heardAt ? `updated ${app.heardAt}` : '';
}

function renderChrome() {
  const store = app.store;
  const signedIn = Boolean(app.credentials);
  document.getElementById('account').hidden = !signedIn;
  document.getElementById('account-name').textContent = app.credentials?.name ? `Signed in as ${app.credentials.name}` : 'Signed in';
  renderReviewLink(signedIn ? store : null, app.route);
  renderOfficialLink(signedIn, app.route);
  const banner = document.getElementById('synthetic');
  const reference = store?.reference;
  if (signedIn && reference && reference.synthetic > 0) {
    const types = Object.entries(reference.byType)
      .filter(([, counts]) => counts.synthetic > 0)
      .map(([kind, counts]) => `${number(counts.synthetic)} of ${number(counts.all)} ${kind === 'constituency' ? 'seats' : kind + 's'}`);
    banner.hidden = false;
    banner.querySelector('.detail').textContent =
      `The reference data marks ${types.join(', ')} as synthetic: invented for a demonstration (station names, voter numbers, candidates). ` +
      'Figures built on them are not real results.';
  } else {
    banner.hidden = true;
  }
  const heading = electionHeading() ?? reference?.server;
  if (heading) document.getElementById('server-name').textContent = heading;
  const problem = document.getElementById('problem');
  const errors = [...app.errors.entries()].filter(([key]) => key === 'overview' || !main.contains(document.activeElement));
  const text = app.problem ?? (errors.length ? `Could not read the latest data (${errors[0][1]}); retrying as it changes.` : null);
  problem.hidden = !text;
  problem.textContent = text ?? '';
}

function focusKey(element) {
  if (!element || element === document.body || !main.contains(element)) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  if (element.dataset.action) return `[data-action="${element.dataset.action}"][data-value="${element.dataset.value ?? ''}"]`;
  if (element.tagName === 'A') return `a[href="${element.getAttribute('href')}"]`;
  if (element.tagName === 'SUMMARY') {
    const key = element.parentElement?.dataset.key;
    return key ? `details[data-key="${key}"] > summary` : null;
  }
  return null;
}

let lastMarkup = '';

function render({ routeChanged = false } = {}) {
  renderConnection();
  renderChrome();
  let markup;
  const store = app.store;
  const route = app.route;
  if (!app.credentials) {
    markup = renderSignIn(app.signIn);
    document.title = 'Sign in · FieldSync';
  } else if (!store?.overviewLoaded) {
    markup = html`<p class="empty" aria-busy="true">Reading the tallies…</p>`;
  } else if (route.name === 'seat') {
    markup = renderSeat(store, route.code, ui, { loading: app.loading.has(`seat:${route.code}`) || !store.seatStationsRead.has(route.code), error: app.errors.get(`seat:${route.code}`) });
    document.title = `${route.code} · FieldSync`;
  } else if (route.name === 'station') {
    markup = renderStation(store, route.code, ui, { loading: app.loading.has(`station:${route.code}`) || !store.stationEvents.has(route.code), error: app.errors.get(`station:${route.code}`) });
    document.title = `${route.code} · FieldSync`;
  } else if (route.name === 'official') {
    markup = renderOfficial(store, route.code, { loading: app.loading.has('official'), error: app.errors.get('official') });
    document.title = `${route.code ? route.code + ' · ' : ''}Official against the field · FieldSync`;
  } else if (route.name === 'review') {
    markup = renderReview(store, ui, { loading: app.loading.has('reviews'), error: app.errors.get('reviews') });
    document.title = 'Review · FieldSync';
  } else {
    const seats = store.seatsOf('national').length;
    const read = store.seatsOf('national').filter((seat) => store.seatStationsRead.has(seat.constituency)).length;
    markup = renderOverview(store, ui, read < seats ? `Reading the stations of ${read} of ${seats} seats…` : null);
    document.title = `${areaName()} at a glance · FieldSync`;
  }
  const text = markup.toString();
  if (text !== lastMarkup || routeChanged) {
    const focused = focusKey(document.activeElement);
    const open = new Set([...main.querySelectorAll('details[open][data-key]')].map((d) => d.dataset.key));
    // What is being typed (a decision's reason) survives the redraw, with its caret.
    const drafts = [...main.querySelectorAll('textarea[id]')].map((area) => [area.id, area.value, area.selectionStart, area.selectionEnd]);
    main.innerHTML = text;
    lastMarkup = text;
    for (const key of open) main.querySelector(`details[data-key="${CSS.escape(key)}"]`)?.setAttribute('open', '');
    for (const [id, value, start, end] of drafts) {
      const area = document.getElementById(id);
      if (area && main.contains(area)) {
        area.value = value;
        area.setSelectionRange(start, end);
      }
    }
    if (routeChanged) {
      window.scrollTo(0, 0);
      const heading = main.querySelector('h1');
      if (heading && app.credentials) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    } else if (focused) {
      main.querySelector(focused)?.focus({ preventScroll: true });
    }
  }
  document.body.dataset.route = route.name;
  document.body.dataset.ready = String(Boolean(store?.overviewLoaded));
}

// ---- What the editor does

main.addEventListener('click', (event) => {
  const target = event.target.closest('[data-action]');
  if (!target) return;
  const value = target.dataset.value;
  switch (target.dataset.action) {
    case 'assembly':
      ui.assembly = value;
      history.replaceState(null, '', value === 'national' ? '#/' : '#/provincial');
      app.route = parseRoute(location.hash);
      break;
    case 'party-view': ui.partyView = value; break;
    case 'station-filter': ui.stationFilter = value; break;
    case 'feed-all': ui.feedAll = true; break;
    case 'photo': ui.enlargedPhoto = ui.enlargedPhoto === value ? null : value; break;
    default: return;
  }
  saveUI();
  render();
});

main.addEventListener('change', (event) => {
  const control = event.target.dataset?.control;
  if (!control) return;
  ui[control] = event.target.value;
  saveUI();
  render();
});

main.addEventListener('toggle', (event) => {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.dataset.key?.startsWith('event-')) return;
  const id = details.dataset.key.slice('event-'.length);
  if (details.open) ui.openEvents.add(id);
  else ui.openEvents.delete(id);
}, true);

main.addEventListener('submit', (event) => {
  if (event.target.id !== 'signin-form') return;
  event.preventDefault();
  signIn(new FormData(event.target).get('code') ?? '');
});

installReviewActions(main, {
  store: () => app.store,
  changed: () => {
    render();
    ensureData();
  },
  signOut: (error) => signOut(`The server refused this browser's credentials (${error.message}). Sign in again with a new code.`),
});

document.getElementById('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => {
  if (!app.store && savedCredentials()) {
    app.route = parseRoute(location.hash);
    start();
    return;
  }
  routeChanged();
});

onPhotoChange(() => render());
app.route = parseRoute(location.hash);
if (app.route.assembly) ui.assembly = app.route.assembly;
start();
