// A constituency page: candidates and votes, votes by party, rejected ballots and turnout, lead and
// margin, the disputed stations apart with what they could add, every station with its status, and
// the seat's incidents.

import {
  html, number, percent, share, partyBadge, affiliation, flagTitle, flagSeverity,
  statusBadge, timeTag, compareCodes,
  areaName,
} from './format.js';
import { assemblies, stationsIn, partyViewToggle } from './overview.js';
import { collectIncidents, renderIncidentFeed } from './incidents.js';
import { partyBars, partySeries, turnoutPanel } from './charts.js';

const stationFilters = [
  ['all', 'All'],
  ['unreported', 'Not reported'],
  ['reported', 'One source'],
  ['confirmed', 'Confirmed'],
  ['verified', 'Verified'],
  ['disputed', 'Disputed'],
  ['held', 'Held reports'],
  ['flagged', 'Flagged'],
  ['incidents', 'With incidents'],
];

/** The seat's flags and its stations' flag counts: the first thing on the page. */
export function renderFlags(flags, stationFlags = {}) {
  const counts = Object.entries(stationFlags);
  if ((flags?.length ?? 0) === 0 && counts.length === 0) return '';
  return html`
    <section class="alerts" aria-label="Flags" data-region="flags">
      ${(flags?.length ?? 0) > 0
        ? html`<ul class="flag-list">${flags.map((flag) => html`
            <li class="flag" data-severity="${flagSeverity(flag.code)}" data-flag="${flag.code}">
              <strong>${flagTitle(flag.code)}</strong>
              ${flag.scope === 'station' && flag.subject ? html` at <a href="#/station/${flag.subject}">${flag.subject}</a>` : ''}
              <p>${flag.message}</p>
            </li>`)}</ul>`
        : ''}
      ${counts.length
        ? html`<p class="note">Flags at this seat's stations:</p>
          <ul class="chips">${counts.map(([code, n]) => html`<li class="chip" data-severity="${flagSeverity(code)}">${flagTitle(code)} <strong>${number(n)}</strong></li>`)}</ul>`
        : ''}
    </section>`;
}

function resultFor(station, seat) {
  return station?.results?.find((result) => result.constituency === seat) ?? null;
}

function candidatesTable(seat) {
  const disputed = seat.stations.disputed > 0;
  const valid = seat.validVotes;
  return html`
    <section class="panel" aria-labelledby="candidates-title" data-region="candidates">
      <h2 id="candidates-title">Candidates <span class="count">${seat.candidates.length}</span></h2>
      <div class="table-wrap">
      <table class="responsive candidates">
        <caption class="visually-hidden">Counted votes per candidate${disputed ? ', and what the disputed stations could add' : ''}</caption>
        <thead><tr>
          <th scope="col" class="num">#</th><th scope="col">Candidate</th><th scope="col">Party</th>
          <th scope="col" class="num">Votes</th><th scope="col" class="num">Share</th>
          ${disputed ? html`<th scope="col" class="num">Disputed stations could add</th>` : ''}
        </tr></thead>
        <tbody>
          ${seat.candidates.map((candidate, index) => html`
            <tr data-candidate="${candidate.candidate}" class="${seat.lead?.leader === candidate.candidate ? 'leader' : ''}">
              <td data-label="#" class="num">${index + 1}</td>
              <th scope="row" data-label="Candidate">${candidate.name ?? candidate.candidate} <small>${candidate.candidate}</small></th>
              <td data-label="Party">${partyBadge(candidate)} <small>${affiliation(candidate)}</small></td>
              <td data-label="Votes" class="num" data-field="votes">${number(candidate.votes)}${seat.stations.verified ? html`<small>${number(candidate.verifiedVotes)} verified</small>` : ''}</td>
              <td data-label="Share" class="num">${share(candidate.votes, valid)}
                <progress max="${valid || 1}" value="${candidate.votes}" aria-hidden="true"></progress></td>
              ${disputed ? html`<td data-label="Disputed could add" class="num">${number(candidate.disputedMinimum)} – ${number(candidate.disputedMaximum)}</td>` : ''}
            </tr>`)}
        </tbody>
      </table>
      </div>
    </section>`;
}

/** Field minus official, with its sign; `=` when equal. */
function signed(value) {
  if (!value) return html`<span class="muted">=</span>`;
  return html`<span class="warn">${value > 0 ? '+' : '−'}${number(Math.abs(value))}</span>`;
}

/** The commission's figures for the seat (PROTOCOL.md §13 "Official figures"): the standing Form-49 and
 * Form-47 against the field's counted sum and the sum of the stations' official Form-45s, per candidate. */
function officialSection(seat) {
  const official = seat.official;
  if (!official) return '';
  const forms = [['49', official.form49], ['47', official.form47]].filter(([, figures]) => figures);
  const standing = forms[0]?.[1] ?? null;
  const sum = official.form45;
  const total = seat.stations.total;
  const candidates = seat.candidates.map((c) => c.candidate);
  for (const [, figures] of forms) {
    for (const id of Object.keys(figures.votes)) if (!candidates.includes(id)) candidates.push(id);
  }
  const name = (id) => seat.candidates.find((c) => c.candidate === id)?.name ?? id;
  const fieldVotes = (id) => seat.candidates.find((c) => c.candidate === id)?.votes ?? 0;
  const row = (label, key, field, pick) => html`
    <tr data-official-row="${key}">
      <th scope="row" data-label="">${label}</th>
      ${forms.map(([form, figures]) => html`<td data-label="Form-${form}" class="num" data-field="form${form}">${number(pick(figures))}</td>`)}
      <td data-label="Field" class="num" data-field="field">${number(field)}</td>
      ${standing ? html`<td data-label="Field − official" class="num" data-field="field-difference">${signed(field - pick(standing))}</td>` : ''}
      <td data-label="Form-45s" class="num" data-field="form45">${sum.stations ? number(pick(sum)) : '–'}</td>
      ${standing && sum.stations ? html`<td data-label="Form-45s − official" class="num" data-field="form45-difference">${signed(pick(sum) - pick(standing))}</td>` : ''}
    </tr>`;
  const leader = official.leader ? name(official.leader) : null;
  return html`
    <section class="panel official" aria-labelledby="official-title" data-region="official">
      <h2 id="official-title">Official figures</h2>
      <p>${official.standing
        ? html`The commission's ${official.standing === '45' ? 'Form-45s, summed,' : `Form-${official.standing}`} stand${leader ? html`: <strong data-field="official-leader">${leader}</strong> leads` : ''}.`
        : 'No official Form-47 or Form-49 yet, and not every station has an official Form-45.'}
        The field counts ${number(seat.stations.counted)} of ${number(total)} stations;
        official Form-45s cover ${number(sum.stations)}${sum.differing ? html`, <span class="warn">${number(sum.differing)} differing from the field</span>` : ''}.</p>
      <div class="table-wrap">
      <table class="responsive official-figures">
        <caption class="visually-hidden">Official figures per candidate against the field's counted votes and the official Form-45s</caption>
        <thead><tr>
          <th scope="col">Candidate</th>
          ${forms.map(([form]) => html`<th scope="col" class="num">Form-${form}</th>`)}
          <th scope="col" class="num">Field <small>${number(seat.stations.counted)}/${number(total)}</small></th>
          ${standing ? html`<th scope="col" class="num">Field − Form-${forms[0][0]}</th>` : ''}
          <th scope="col" class="num">Form-45s <small>${number(sum.stations)}/${number(total)}</small></th>
          ${standing && sum.stations ? html`<th scope="col" class="num">Form-45s − Form-${forms[0][0]}</th>` : ''}
        </tr></thead>
        <tbody>
          ${candidates.map((id) => row(html`${name(id)} <small>${id}</small>`, id, fieldVotes(id), (figures) => figures.votes?.[id] ?? 0))}
          ${row('Rejected', 'rejected', seat.rejected, (figures) => figures.rejected)}
          ${row('Total cast', 'totalCast', seat.totalCast, (figures) => figures.totalCast)}
        </tbody>
      </table>
      </div>
      ${forms.map(([form, figures]) => html`<p class="note" data-official-import="${form}">Form-${form} imported in event <code>${figures.event}</code>,
        file SHA-256 <code>${figures.fileSha256.slice(0, 16)}…</code>${figures.sourceUrl ? html`, from <a href="${figures.sourceUrl}" rel="noopener noreferrer">${figures.sourceUrl}</a>` : ''}${figures.superseded.length ? html`; ${number(figures.superseded.length)} earlier import${figures.superseded.length === 1 ? '' : 's'} superseded` : ''}.</p>`)}
    </section>`;
}

function partyTable(seat, ui) {
  return html`
    <section class="panel" aria-labelledby="parties-title" data-region="parties">
      <div class="panel-head">
        <h2 id="parties-title">Votes by party</h2>
        ${partyViewToggle(ui)}
      </div>
      ${partyBars({ id: 'seat-parties', title: `Votes by party in ${seat.constituency}`, series: partySeries(seat, ui.partyView) })}
    </section>`;
}

function disputedSection(store, seat) {
  const disputed = seat.disputed;
  if (!disputed || disputed.stations.length === 0) return '';
  return html`
    <section class="panel disputed" aria-labelledby="disputed-title" data-region="disputed">
      <h2 id="disputed-title">Disputed stations <span class="count">${disputed.stations.length}</span></h2>
      <p>Reporters sent different Form-45 figures for these stations, so their votes are left out of the counted totals.
        Together they hold between ${number(disputed.totalCast.minimum)} and ${number(disputed.totalCast.maximum)} ballots cast
        (${number(disputed.rejected.minimum)} – ${number(disputed.rejected.maximum)} rejected).</p>
      <ul class="chips">${disputed.stations.map((code) => {
        const range = resultFor(store.summary(code, seat.constituency), seat.constituency)?.range;
        return html`<li class="chip"><a href="#/station/${code}">${code}</a>${range ? html` <small>${number(range.totalCast.minimum)}–${number(range.totalCast.maximum)} cast</small>` : ''}</li>`;
      })}</ul>
    </section>`;
}

function stationMatches(station, seat, filter) {
  const result = resultFor(station, seat);
  switch (filter) {
    case 'all': return true;
    case 'flagged': return flagCount(station) > 0;
    case 'held': return (station.held?.length ?? 0) > 0;
    case 'incidents': return (station.incidents?.length ?? 0) > 0;
    default: return (result?.status ?? 'unreported') === filter;
  }
}

/** How many flags a station's summary counts (its `flags`: flag code → how many). */
function flagCount(station) {
  return Object.values(station?.flags ?? {}).reduce((sum, n) => sum + n, 0);
}

function stationRow(store, code, seat) {
  const station = store.summary(code, seat.constituency);
  const national = station.statuses?.[station.national];
  const provincial = station.statuses?.[station.provincial];
  const turnout = station.turnout;
  return html`
    <tr data-station="${code}" class="${store.isFresh(`station:${code}`) ? 'fresh' : ''} ${flagCount(station) ? 'flagged' : ''}">
      <th scope="row" data-label="Station"><a href="#/station/${code}">${code}</a> <small>${station.name ?? 'not defined'}</small></th>
      <td data-label="${station.national ?? 'NA'} result" data-field="national">${statusBadge(national ?? 'unreported')}</td>
      <td data-label="${station.provincial ?? 'PS'} result" data-field="provincial">${statusBadge(provincial ?? 'unreported')}</td>
      <td data-label="Turnout" class="num">${turnout?.latest ? html`${percent(turnout.basisPoints)} <small>at ${timeTag(turnout.latest.asOf)}</small>` : html`<span class="muted">–</span>`}</td>
      <td data-label="Opened">${station.opening ? html`${timeTag(station.opening.openedAt)}${station.opening.minutesLate > 0 ? html` <span class="badge warning">${station.opening.minutesLate} min late</span>` : ''}` : html`<span class="muted">–</span>`}</td>
      <td data-label="Closed">${station.closing ? timeTag(station.closing.closedAt) : html`<span class="muted">–</span>`}</td>
      <td data-label="Incidents" class="num">${station.incidents?.length ? number(station.incidents.length) : html`<span class="muted">0</span>`}</td>
      <td data-label="Flags">${Object.entries(station.flags ?? {}).map(([flag, n]) => html`<span class="badge ${flagSeverity(flag)}" data-flag="${flag}" title="${n === 1 ? 'Once' : `${n} times`} at this station: its page says each">${flagTitle(flag)}${n > 1 ? html` <small>×${n}</small>` : ''}</span> `)}</td>
    </tr>`;
}

function stationsTable(store, seat, ui, loading) {
  const codes = store.stationsOf(seat.constituency);
  if (codes.length === 0) {
    return html`<section class="panel" data-region="stations"><h2>Polling stations</h2><p class="empty">${loading ? 'Loading the stations…' : 'No station votes in this seat.'}</p></section>`;
  }
  const counts = Object.fromEntries(stationFilters.map(([value]) => [value, 0]));
  const summary = (code) => store.summary(code, seat.constituency);
  for (const code of codes) for (const [value] of stationFilters) if (stationMatches(summary(code), seat.constituency, value)) counts[value] += 1;
  const shown = codes.filter((code) => stationMatches(summary(code), seat.constituency, ui.stationFilter));
  return html`
    <section class="panel" aria-labelledby="stations-title" data-region="stations">
      <div class="panel-head">
        <h2 id="stations-title">Polling stations <span class="count">${number(codes.length)}</span></h2>
        <div class="filters" role="group" aria-label="Show stations">
          ${stationFilters.map(([value, label]) => html`<button type="button" data-action="station-filter" data-value="${value}" aria-pressed="${ui.stationFilter === value}">${label} <small>${number(counts[value])}</small></button>`)}
        </div>
      </div>
      <div class="table-wrap">
      <table class="responsive stations">
        <caption class="visually-hidden">Each polling station of ${seat.constituency}: result status for both seats, latest turnout, opening, closing, incidents and flags</caption>
        <thead><tr>
          <th scope="col">Station</th><th scope="col">NA result</th><th scope="col">PS result</th><th scope="col" class="num">Turnout</th>
          <th scope="col">Opened</th><th scope="col">Closed</th><th scope="col" class="num">Incidents</th><th scope="col">Flags</th>
        </tr></thead>
        <tbody>${shown.map((code) => stationRow(store, code, seat))}</tbody>
      </table>
      </div>
      ${shown.length === 0 ? html`<p class="empty">No station matches.</p>` : ''}
    </section>`;
}

function photoCard(photos) {
  if (!photos) return '';
  return html`
      <div class="card" data-region="seat-photos">
        <dt>Form-45 photos</dt>
        <dd data-field="photos-with">${number(photos.withPhoto.length)} <small>of ${number(photos.reported)} reporting stations</small></dd>
        <dd class="sub"><span data-field="photos-pending" class="${photos.photoPending.length ? 'warn' : ''}">${number(photos.photoPending.length)} photo pending</span> · <span data-field="photos-without">${number(photos.withoutPhoto.length)} without a photo</span></dd>
      </div>`;
}

function summary(seat, photos) {
  const lead = seat.lead;
  const leader = lead ? seat.candidates.find((c) => c.candidate === lead.leader) : null;
  const runnerUp = lead?.runnerUp ? seat.candidates.find((c) => c.candidate === lead.runnerUp) : null;
  const counts = seat.stations;
  return html`
    <dl class="cards" data-region="seat-summary">
      <div class="card lead">
        <dt>Leading</dt>
        <dd data-field="leader">${leader ? html`${leader.name} ${partyBadge(leader)}` : html`<span class="muted">No station counted yet</span>`}</dd>
        ${leader ? html`<dd class="sub">${number(leader.votes)} votes · ${share(leader.votes, seat.validVotes)}</dd>` : ''}
      </div>
      <div class="card">
        <dt>Margin</dt>
        <dd data-field="margin">${lead?.margin !== null && lead?.margin !== undefined ? number(lead.margin) : '–'}</dd>
        ${runnerUp ? html`<dd class="sub">over ${runnerUp.name} ${partyBadge(runnerUp)}</dd>` : ''}
      </div>
      <div class="card">
        <dt>Stations reported</dt>
        <dd data-field="reported">${number(stationsIn(counts))} <small>of ${number(counts.total)}</small></dd>
        <dd class="sub"><span data-field="counted">${number(counts.counted)} counted</span> · <span data-field="verified">${number(counts.verified)} verified</span> · ${number(counts.confirmed)} confirmed · <span class="${counts.disputed ? 'warn' : ''}">${number(counts.disputed)} disputed</span></dd>
        <dd class="sub" data-field="held">${counts.held ? html`<a href="#/review" class="warn">${number(counts.held)} with held reports</a>, not counted` : 'no held reports'}</dd>
        <dd class="sub"><progress max="${counts.total || 1}" value="${stationsIn(counts)}" aria-hidden="true"></progress></dd>
      </div>
      <div class="card">
        <dt>Turnout at counted stations</dt>
        <dd data-field="turnout">${percent(seat.turnout?.basisPoints)}</dd>
        <dd class="sub">${number(seat.turnout?.votesCast)} of ${number(seat.turnout?.registeredVoters)} registered${seat.liveTurnout?.basisPoints !== null && seat.liveTurnout?.basisPoints !== undefined ? html` · live ${percent(seat.liveTurnout.basisPoints)} at ${number(seat.liveTurnout.stations)} stations` : ''}</dd>
      </div>
      <div class="card">
        <dt>Ballots counted</dt>
        <dd>${number(seat.totalCast)}</dd>
        <dd class="sub">${number(seat.validVotes)} valid · ${number(seat.rejected)} rejected</dd>
      </div>
      ${photoCard(photos)}
    </dl>`;
}

export function renderSeat(store, code, ui, { loading, error }) {
  const seat = store.seats.get(code);
  if (!seat) {
    return html`<div class="layout"><div class="primary">
      <nav class="crumbs" aria-label="Breadcrumb"><a href="#/">${areaName()}</a> › ${code}</nav>
      <h1>${code}</h1>
      <p class="empty">${error ?? (loading ? 'Loading…' : `There is no tally for ${code}: no such seat is defined.`)}</p></div></div>`;
  }
  const other = seat.assembly === 'national' ? 'provincial' : 'national';
  const stationCodes = store.stationsOf(code);
  const related = [...new Set(stationCodes.map((s) => store.summary(s, code)?.[other]).filter(Boolean))].sort(compareCodes);
  return html`
    <div class="layout">
      <div class="primary">
        <nav class="crumbs" aria-label="Breadcrumb"><a href="#/">${areaName()}</a> › ${seat.district ?? ''} › <span aria-current="page">${code}</span></nav>
        <div class="title-row">
          <h1>${code} <span class="subtitle">${seat.name ?? 'not defined'}</span></h1>
          <p class="meta">${assemblies[seat.assembly]?.title ?? seat.assembly}${seat.district ? ` · ${seat.district} district` : ''}</p>
        </div>
        ${seat.postponed ? html`<p class="note" data-region="postponed">Postponed: the election did not poll this seat on the day. Its stations are not waiting for reports, and the roll-ups of ${seat.district ?? 'its district'} and ${areaName()} leave it out.</p>` : ''}
        ${renderFlags(seat.flags, seat.stationFlags)}
        ${summary(seat, store.seatPhotos.get(code)?.photos)}
        ${turnoutPanel('seat-turnout', `Turnout through the day in ${seat.constituency}`, seat.turnoutByHour)}
        ${candidatesTable(seat)}
        ${officialSection(seat)}
        ${disputedSection(store, seat)}
        ${partyTable(seat, ui)}
        ${stationsTable(store, seat, ui, loading)}
        ${related.length ? html`<p class="note">${assemblies[other].title} seats at these stations: ${related.map((c) => html`<a href="#/${c}">${c}</a> `)}</p>` : ''}
        ${error ? html`<p class="problem">${error}</p>` : ''}
      </div>
      <aside class="secondary">
        ${renderIncidentFeed(collectIncidents(store, stationCodes), ui, { scope: code, coverage: loading ? 'Loading the stations…' : null })}
      </aside>
    </div>`;
}
