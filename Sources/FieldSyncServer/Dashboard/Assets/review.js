// Editors' review (#/review): the stations whose reports need an editor, from `GET /v1/reviews`, grouped
// so that what moves figures comes first — reports held out of the count, disputed results, then other
// flags — and the decisions: accept or reject a device's reports at a station, verify a result as its
// reports stand. Each decision is asked for in an inline form with its reason and sent as
// `POST /v1/stations/{station}/reviews`; the station page offers the same decisions in place.

import { postJSON } from './api.js';
import {
  html, number, device, clock, statusBadge, flagTitle, flagSeverity, compareCodes, areaName,
} from './format.js';
import { form45Table, figuresAgree } from './form45.js';

/** The open decision forms, by key: {reason, busy, message, errors, reasonMissing}. */
const forms = new Map();
/** Decisions made in this browser, newest first: the action, its reason, and the event's id and position. */
const decisions = [];
/** The review page's groups shown whole rather than their first few items. */
const shownWhole = new Set();
const groupLimit = 25;
/** The longest reason the protocol takes (free text, PROTOCOL.md §9.1). */
const reasonLimit = 2000;

const words = {
  accepted: {
    submit: 'Accept: count them',
    ask: (action) => `Why should device ${device(action.device)}'s observations at ${action.station} count?`,
    placeholder: 'The desk moved this reporter here at 15:00',
    done: 'Accepted',
  },
  rejected: {
    submit: 'Reject: hold them',
    ask: (action) => `Why reject device ${device(action.device)}'s observations at ${action.station}?`,
    placeholder: 'The figures do not match the photo of the signed sheet',
    done: 'Rejected',
  },
  verified: {
    submit: 'Mark verified',
    ask: (action) => `What did you check in the ${action.constituency} result at ${action.station}?`,
    placeholder: 'Checked against the photo of the signed sheet',
    done: 'Verified',
  },
};

/** A decision's key, usable in element ids: `accepted-NA-235-001-0a1b…`, `verified-NA-235-001-NA-235`. */
function actionKey(action) {
  return `${action.decision}-${action.station}-${action.device ?? action.constituency}`;
}

/** The decision a form element stands for, read from what the page shows. */
function actionOf(form) {
  const { station, decision, device: id, constituency, events } = form.dataset;
  return decision === 'verified'
    ? { station, decision, constituency, events: (events ?? '').split(' ').filter(Boolean) }
    : { station, decision, device: id };
}

// ---- One decision: a button, and once pressed a form asking for the reason

/** The button that opens a decision's form, and the form when it is open. `detail` says what it decides. */
function decisionControl(action, label, detail = '') {
  const key = actionKey(action);
  const form = forms.get(key);
  return html`
    <div class="decision ${form ? 'open' : ''}">
      <button type="button" id="open-${key}" class="${action.decision === 'rejected' ? 'danger' : ''}" data-review-open="${key}"
        aria-expanded="${Boolean(form)}" ${form ? html`aria-controls="form-${key}"` : ''}>${label}</button>
      ${form ? decisionForm(action, key, form, detail) : ''}
    </div>`;
}

function decisionForm(action, key, form, detail) {
  const said = words[action.decision];
  const reasonInvalid = form.reasonMissing || form.errors.some((error) => error.field === 'reason');
  return html`
    <form class="decision-form" id="form-${key}" data-review-form="${key}" data-station="${action.station}"
      data-decision="${action.decision}" ${action.device ? html`data-device="${action.device}"` : ''}
      ${action.constituency ? html`data-constituency="${action.constituency}"` : ''}
      ${action.events ? html`data-events="${action.events.join(' ')}"` : ''} novalidate aria-busy="${form.busy}">
      ${detail ? html`<p class="note">${detail}</p>` : ''}
      <label for="reason-${key}">${said.ask(action)}</label>
      <textarea id="reason-${key}" name="reason" rows="2" maxlength="${reasonLimit}" required
        placeholder="${said.placeholder}" aria-invalid="${reasonInvalid}" aria-describedby="problem-${key}">${form.reason}</textarea>
      <div class="decision-buttons">
        <button type="submit" id="submit-${key}" class="confirm" ${form.busy ? html`disabled` : ''}>${form.busy ? 'Recording…' : said.submit}</button>
        <button type="button" id="cancel-${key}" data-review-cancel="${key}">Cancel</button>
        <small>Signed in the log with your name; nothing is deleted, a later decision supersedes this one.</small>
      </div>
      <div id="problem-${key}" class="decision-problem" role="alert">${form.message ? html`
        <p class="problem">${form.message}</p>
        ${form.errors.length ? html`<ul>${form.errors.map((error) => html`
          <li><code>${error.field}</code>: ${error.problem}${error.allowed ? html` <small>Allowed: ${error.allowed}</small>` : ''}</li>`)}</ul>` : ''}` : ''}</div>
    </form>`;
}

function acceptControl(station, held) {
  return decisionControl(
    { station, decision: 'accepted', device: held.device },
    held.reason === 'rejected' ? 'Accept after all' : 'Accept',
    `Device ${device(held.device)}'s observations at ${station} will count as if it were assigned here.`);
}

function rejectControl(station, id, label = 'Reject') {
  return decisionControl(
    { station, decision: 'rejected', device: id },
    label,
    `Device ${device(id)}'s observations at ${station} stop counting and disputing, even where it is assigned. They stay in the log.`);
}

function verifyControl(station, result, outdated) {
  const reports = result.reports ?? [];
  return decisionControl(
    { station, decision: 'verified', constituency: result.constituency, events: result.events ?? [] },
    outdated ? `Verify ${result.constituency} again` : `Verify ${result.constituency}`,
    `Verifies the ${result.constituency} result as shown: ${reports.map((r) => `device ${device(r.device)}'s Form-45 of ${clock(r.time)}`).join(', ')}` +
      ` (${number(result.events?.length ?? 0)} events). If these reports change, the verification is flagged as outdated.`);
}

/** The decisions on a station's result, for the station page: verify it, or reject one device's reports. */
export function resultDecisions(station, result) {
  const reports = result.reports ?? [];
  if (reports.length === 0) return '';
  return html`
    <div class="decisions" data-region="result-decisions">
      ${result.status === 'reported' || result.status === 'confirmed' ? verifyControl(station.station, result, hasOutdatedVerification(station, result)) : ''}
      ${reports.map((report) => rejectControl(station.station, report.device, `Reject device ${device(report.device)}'s reports`))}
    </div>`;
}

/** Whether the seat's latest verification no longer matches its reports (the flag names the result's events). */
function hasOutdatedVerification(station, result) {
  const behind = [...(result.events ?? [])].sort().join(' ');
  return (station.flags ?? []).some((flag) =>
    flag.code === 'verification-outdated' && (flag.events ?? []).slice(1).sort().join(' ') === behind);
}

// ---- Decisions made here

/** The stations this browser made decisions about. */
export function decidedStations() {
  return [...new Set(decisions.map((decision) => decision.station))];
}

/** What this browser decided (about `station`, or every station), with what the tallies show now. */
export function decisionNotes(store, station = null) {
  const shown = decisions.filter((decision) => !station || decision.station === station);
  if (shown.length === 0) return '';
  return html`
    <section class="panel decisions-made" aria-labelledby="decisions-made-title" data-region="decisions-made">
      <h2 id="decisions-made-title">Your decisions</h2>
      <ul class="decision-notes">${shown.map((decision) => decisionNote(store, decision))}</ul>
    </section>`;
}

function decisionNote(store, decision) {
  const known = store.stations.get(decision.station);
  const caughtUp = known && known.position >= decision.position;
  const doc = known?.doc;
  const what = decision.decision === 'verified'
    ? html`the ${decision.constituency} result at <a href="#/station/${decision.station}">${decision.station}</a>`
    : html`device ${device(decision.device)}'s observations at <a href="#/station/${decision.station}">${decision.station}</a>`;
  const seats = [doc?.national, doc?.provincial].filter(Boolean);
  return html`
    <li id="decision-${decision.id}" class="decision-note" tabindex="-1" data-decision-id="${decision.id}">
      <strong>${words[decision.decision].done}</strong> ${what} <small>“${decision.reason}” · log position ${number(decision.position)}</small>
      <p class="now" data-field="now">${caughtUp
        ? html`Now: ${seats.map((seat) => {
            const result = doc.results?.find((r) => r.constituency === seat);
            const counts = store.seats.get(seat)?.stations;
            return html`<span class="now-seat" data-seat="${seat}"><a href="#/${seat}">${seat}</a> ${statusBadge(result?.status ?? 'unreported')}${counts ? html` <small data-field="seat-counted">${number(counts.counted)} of ${number(counts.total)} stations counted</small>` : ''}</span> `;
          })}`
        : html`<span class="muted">Recorded; the tallies will show it in a moment…</span>`}</p>
    </li>`;
}

// ---- What is held, disputed or flagged at a station

/** What accepting a held Form-45 would do to the seat's figures, and how much that moves them (0 most). */
function heldImpact(station, heldResult) {
  const seat = heldResult.constituency;
  const result = station.results?.find((r) => r.constituency === seat);
  switch (result?.status ?? 'unreported') {
    case 'unreported':
      return { rank: 0, words: `Nothing counts for ${seat} here yet: accepting adds this station's figures to ${seat}.` };
    case 'disputed':
      return { rank: 2, words: `The ${seat} result is disputed already: accepting adds a report to the dispute.` };
    default:
      if (!figuresAgree(result.counted, heldResult.report)) {
        return { rank: 1, words: `Differs from the counted ${seat} figures: accepting makes the result disputed and takes the station out of ${seat}'s count.` };
      }
      return {
        rank: 3,
        words: `Agrees with the counted ${seat} figures${result.status === 'reported' ? ': accepting confirms them' : ''}` +
          `${result.status === 'verified' ? '; the verification would then need renewing' : ''}.`,
      };
  }
}

function heldRank(station, held) {
  if (held.reason === 'rejected') return 10;
  if ((held.results ?? []).length === 0) return 5;
  return Math.min(...held.results.map((result) => heldImpact(station, result).rank));
}

function heldColumns(station, heldResult) {
  const result = station.results?.find((r) => r.constituency === heldResult.constituency);
  const report = heldResult.report;
  const columns = [];
  if (result?.counted) columns.push({ heading: html`Counted ${statusBadge(result.status)}`, figures: result.counted, compare: true });
  if (result?.range) columns.push({ heading: 'Disputed range', range: result.range });
  columns.push({ heading: html`Held · device ${device(report.device)}<small>${clock(report.time)}</small>`, figures: report, compare: true });
  return columns;
}

/**
 * One held device at a station: why it is held, its Form-45 figures beside the counted ones, its
 * events, and the decisions. `events` (the station's events by id) and `describe` list the held
 * observations when the station page has them.
 */
function heldItem(store, station, held, { withStation, events = null, describe = null }) {
  const code = station.station;
  const rejectedHere = decisions.find((d) => d.id === held.review);
  return html`
    <article class="held-item" data-held-device="${held.device}" data-station="${code}" data-reason="${held.reason}">
      <h3>${withStation ? html`<a href="#/station/${code}">${code}</a> <span class="subtitle">${station.name ?? ''}</span> · device` : 'Device'} ${device(held.device)}</h3>
      <p class="held-status">${held.reason === 'rejected'
        ? html`<span class="badge critical">Rejected by an editor</span> Not counted: an editor rejected this device's observations here${held.review ? html` (decision <code>${held.review.slice(0, 8)}</code>${rejectedHere ? html`: “${rejectedHere.reason}”` : ''})` : ''}.`
        : html`<span class="badge warning">Not counted — waiting for an editor</span> The device is not assigned to this station; its observations count only if an editor accepts them.`}
        <small>${number(held.events?.length ?? 0)} event${held.events?.length === 1 ? '' : 's'} held · device ${held.device}</small></p>
      ${(held.results ?? []).map((result) => html`
        <div class="held-result" data-seat="${result.constituency}">
          <p class="impact">${heldImpact(station, result).words}</p>
          ${form45Table(store, result.constituency, heldColumns(station, result), `The held Form-45 for ${result.constituency} beside the counted figures`)}
        </div>`)}
      ${(held.results ?? []).length === 0 ? html`<p class="note">No Form-45 among them: turnout counts, incidents or other observations.</p>` : ''}
      ${events && describe ? html`<ul class="held-events">${(held.events ?? []).map((id) => events.get(id)).filter(Boolean).map((event) => html`
        <li><span class="when">${clock(event.time)}</span> <span class="type">${event.type.replace(/^fieldsync\./, '').replace(/\.v\d+$/, '')}</span> ${describe(event)}</li>`)}</ul>` : ''}
      <div class="decisions">
        ${acceptControl(code, held)}
        ${held.reason === 'unassigned' ? rejectControl(code, held.device) : ''}
      </div>
    </article>`;
}

/** The station page's panel of held reports: not counted, each with its decisions. */
export function heldSection(store, station, events, describe) {
  const held = station.held ?? [];
  if (held.length === 0) return '';
  const byId = events ? new Map(events.map((event) => [event.id, event])) : null;
  return html`
    <section class="panel held" aria-labelledby="held-title" data-region="held">
      <h2 id="held-title">Held reports — not counted <span class="count">${held.length}</span></h2>
      <p class="note">Observations from devices not assigned to this station, or rejected by an editor: stored and shown here,
        but left out of every figure and unable to dispute the result, until an editor accepts them.</p>
      ${held.map((item) => heldItem(store, station, item, { withStation: false, events: byId, describe }))}
    </section>`;
}

function disputedItem(store, station, result) {
  const reports = result.reports ?? [];
  return html`
    <article class="disputed-item" data-station="${station.station}" data-seat="${result.constituency}">
      <h3><a href="#/station/${station.station}">${station.station}</a> <span class="subtitle">${station.name ?? ''}</span> · ${result.constituency} ${statusBadge(result.status)}</h3>
      <p class="impact">${number(reports.length)} reports disagree: the station is left out of ${result.constituency}'s counted votes. Cells that differ are marked.</p>
      ${form45Table(store, result.constituency, [
        ...(result.range ? [{ heading: 'Range', range: result.range }] : []),
        ...reports.map((report) => ({ heading: html`Device ${device(report.device)}<small>${clock(report.time)}</small>`, figures: report, compare: true })),
      ], `Each device's Form-45 for ${result.constituency} at ${station.station}`)}
      <div class="decisions">${reports.map((report) => rejectControl(station.station, report.device, `Reject device ${device(report.device)}'s report`))}</div>
    </article>`;
}

function flaggedItem(station) {
  const flags = (station.flags ?? []).filter((flag) => flag.code !== 'report-held');
  const verifiable = (station.results ?? []).filter((result) => result.status === 'reported' || result.status === 'confirmed');
  return html`
    <article class="flagged-item" data-station="${station.station}">
      <h3><a href="#/station/${station.station}">${station.station}</a> <span class="subtitle">${station.name ?? ''}</span>
        ${(station.results ?? []).map((result) => html`<small class="inline">${result.constituency} ${statusBadge(result.status)}</small> `)}</h3>
      <ul class="flag-list">${flags.map((flag) => html`
        <li class="flag" data-severity="${flagSeverity(flag.code)}" data-flag="${flag.code}"><strong>${flagTitle(flag.code)}</strong><p>${flag.message}</p></li>`)}</ul>
      ${verifiable.length ? html`<div class="decisions">${verifiable.map((result) => verifyControl(station.station, result, hasOutdatedVerification(station, result)))}</div>` : ''}
    </article>`;
}

function group(id, title, note, items, empty) {
  const shown = shownWhole.has(id) ? items : items.slice(0, groupLimit);
  return html`
    <section class="panel review-group" aria-labelledby="review-${id}-title" data-region="review-${id}">
      <h2 id="review-${id}-title">${title} <span class="count">${number(items.length)}</span></h2>
      <p class="note">${note}</p>
      ${items.length === 0 ? html`<p class="empty">${empty}</p>` : html`<ol class="review-items">${shown.map((item) => html`<li>${item}</li>`)}</ol>`}
      ${items.length > shown.length ? html`<button type="button" class="link" id="more-${id}" data-review-more="${id}">Show all ${number(items.length)}</button>` : ''}
    </section>`;
}

// ---- The page

export function renderReview(store, ui, { loading, error }) {
  const reviews = store.reviews;
  const head = html`
    <nav class="crumbs" aria-label="Breadcrumb"><a href="#/">${areaName()}</a> › <span aria-current="page">Review</span></nav>
    <div class="title-row">
      <h1>Review <span class="subtitle">held reports, disputed results, flags</span></h1>
      <p class="meta" data-field="review-position">${reviews ? html`${number(reviews.codes.length)} station${reviews.codes.length === 1 ? '' : 's'} · log position ${number(reviews.position)}` : html`&nbsp;`}</p>
    </div>`;
  if (!reviews) {
    return html`<div class="layout single"><div class="primary">${head}
      <p class="empty review-loading" aria-busy="${loading}">${error ?? 'Reading the stations to review…'}</p></div></div>`;
  }
  const all = reviews.codes.map((code) => store.station(code)).filter(Boolean);
  const seats = [...new Set(all.flatMap((doc) => [doc.national, doc.provincial]).filter(Boolean))].sort(compareCodes);
  const seat = seats.includes(ui.reviewSeat) ? ui.reviewSeat : 'all';
  const stations = seat === 'all' ? all : all.filter((doc) => doc.national === seat || doc.provincial === seat);

  const held = stations
    .flatMap((station) => (station.held ?? []).map((item) => ({ station, item, rank: heldRank(station, item) })))
    .sort((a, b) => a.rank - b.rank || compareCodes(a.station.station, b.station.station) || a.item.device.localeCompare(b.item.device));
  const disputed = stations.flatMap((station) => (station.results ?? []).filter((r) => r.status === 'disputed').map((result) => ({ station, result })));
  const flagged = stations
    .filter((station) => (station.flags ?? []).some((flag) => flag.code !== 'report-held'))
    .sort((a, b) => critical(b) - critical(a) || compareCodes(a.station, b.station));

  return html`
    <div class="layout single">
      <div class="primary">
        ${head}
        ${decisionNotes(store)}
        <div class="review-bar">
          <ul class="chips" aria-label="To review">
            <li class="chip">${number(held.length)} held</li>
            <li class="chip">${number(disputed.length)} disputed</li>
            <li class="chip">${number(flagged.length)} flagged</li>
          </ul>
          <label class="compact">Seat
            <select data-control="reviewSeat" id="control-review-seat">
              <option value="all">All seats</option>
              ${seats.map((code) => html`<option value="${code}" ${code === seat ? html`selected` : ''}>${code}</option>`)}
            </select>
          </label>
        </div>
        ${group('held', 'Held reports — not counted',
          'Observations from devices not assigned to the station, or rejected by an editor. They are stored and shown, never counted and never disputing, until an editor accepts them. Those that would move figures most come first.',
          held.map(({ station, item }) => heldItem(store, station, item, { withStation: true })), 'No report is held.')}
        ${group('disputed', 'Disputed results',
          "Reporters' Form-45 figures differ: the station is left out of the seat's count. Reject the report that is wrong, with the reason.",
          disputed.map(({ station, result }) => disputedItem(store, station, result)), 'No result is disputed.')}
        ${group('flags', 'Other flags',
          'Figures that do not add up, turnout over 100%, verifications the reports have outgrown… A result reported or confirmed can be verified against the photo of the signed sheet.',
          flagged.map((station) => flaggedItem(station)), 'No other flag is raised.')}
        ${error ? html`<p class="problem">${error}</p>` : ''}
      </div>
    </div>`;
}

function critical(station) {
  return (station.flags ?? []).filter((flag) => flagSeverity(flag.code) === 'critical').length;
}

/** The header's link to the review page, with how many stations are to review. */
export function renderReviewLink(store, route) {
  const link = document.getElementById('review-link');
  if (!link) return;
  link.hidden = !store;
  const count = store?.reviews?.codes.length;
  link.querySelector('.count').textContent = count === undefined ? '…' : number(count);
  if (route.name === 'review') link.setAttribute('aria-current', 'page');
  else link.removeAttribute('aria-current');
}

// ---- What the editor does

/**
 * Listens on `main` for the decisions' buttons and forms. `store()` is the page's store, `changed()`
 * draws the page again and reads what is stale, `signOut(error)` ends a sign-in the server refuses.
 */
export function installReviewActions(main, { store, changed, signOut }) {
  const focus = (id) => document.getElementById(id)?.focus();
  main.addEventListener('click', (event) => {
    const open = event.target.closest('[data-review-open]');
    const cancel = event.target.closest('[data-review-cancel]');
    const more = event.target.closest('[data-review-more]');
    if (open) {
      const key = open.dataset.reviewOpen;
      if (forms.has(key)) {
        forms.delete(key);
        changed();
      } else {
        forms.set(key, { reason: '', busy: false, message: null, errors: [], reasonMissing: false });
        changed();
        focus(`reason-${key}`);
      }
    } else if (cancel) {
      const key = cancel.dataset.reviewCancel;
      forms.delete(key);
      changed();
      focus(`open-${key}`);
    } else if (more) {
      shownWhole.add(more.dataset.reviewMore);
      changed();
    }
  });
  main.addEventListener('input', (event) => {
    const form = event.target.closest('[data-review-form]');
    const state = form && forms.get(form.dataset.reviewForm);
    if (state && event.target.name === 'reason') state.reason = event.target.value;
  });
  main.addEventListener('keydown', (event) => {
    const form = event.key === 'Escape' && event.target.closest('[data-review-form]');
    if (!form) return;
    const key = form.dataset.reviewForm;
    forms.delete(key);
    changed();
    focus(`open-${key}`);
  });
  main.addEventListener('submit', (event) => {
    const form = event.target.closest('[data-review-form]');
    if (!form) return;
    event.preventDefault();
    decide(form, { store, changed, signOut, focus });
  });
}

async function decide(form, { store, changed, signOut, focus }) {
  const key = form.dataset.reviewForm;
  const state = forms.get(key);
  const current = store();
  if (!state || state.busy || !current) return;
  const action = actionOf(form);
  const reason = form.elements.reason.value.trim();
  state.reason = form.elements.reason.value;
  state.errors = [];
  if (!reason) {
    state.reasonMissing = true;
    state.message = 'Give the reason first: it is kept in the log with your decision.';
    changed();
    focus(`reason-${key}`);
    return;
  }
  state.reasonMissing = false;
  state.message = null;
  state.busy = true;
  changed();
  const body = action.decision === 'verified'
    ? { decision: action.decision, constituency: action.constituency, events: action.events, reason }
    : { decision: action.decision, device: action.device, reason };
  try {
    const answer = await postJSON(`/v1/stations/${encodeURIComponent(action.station)}/reviews`, current.token, body);
    forms.delete(key);
    decisions.unshift({ ...action, reason, id: answer.id, position: answer.position });
    decisions.splice(8);
    current.noteChange(action.station, answer.position);
    changed();
    focus(`decision-${answer.id}`);
  } catch (error) {
    if (error.signsOut) {
      signOut(error);
      return;
    }
    state.busy = false;
    state.errors = error.problem?.errors ?? [];
    state.message = `The server refused the decision (${state.errors.length ? error.status : error.message}). ` +
      'Your reason is kept: correct what is said and send again.';
    changed();
  }
}
