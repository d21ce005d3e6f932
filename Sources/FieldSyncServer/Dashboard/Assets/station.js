// A polling station: its tally (opening, agents, turnout history, incidents, the Form-45 of each
// device for each seat, corrections, flags), read whole from its own document (`GET /v1/stations/{code}`), and
// every event about it, in log order.

import {
  html, number, percent, share, partyBadge, statusBadge, timeTag, clock, device, incidentTitle,
  areaName,
} from './format.js';
import { renderFlags } from './seat.js';
import { turnoutLine } from './charts.js';
import { form45Table } from './form45.js';
import { reportPhotos } from './photos.js';
import { heldSection, resultDecisions, decisionNotes } from './review.js';

function yesNo(value) {
  if (value === true) return 'yes';
  if (value === false) return html`<strong class="warn">no</strong>`;
  return '–';
}

function openingCard(station) {
  const opening = station.opening;
  const closing = station.closing;
  return html`
    <dl class="cards" data-region="station-summary">
      <div class="card">
        <dt>Latest turnout</dt>
        <dd data-field="turnout">${percent(station.turnout?.basisPoints)}</dd>
        <dd class="sub">${station.turnout?.latest
          ? html`${number(station.turnout.latest.votesCast)} of ${number(station.registeredVoters)} registered, at ${timeTag(station.turnout.latest.asOf)}`
          : html`${number(station.registeredVoters)} registered voters`}</dd>
      </div>
      <div class="card ${opening?.minutesLate > 0 ? 'warning' : ''}">
        <dt>Opened</dt>
        <dd>${opening ? timeTag(opening.openedAt) : html`<span class="muted">not reported</span>`}</dd>
        ${opening ? html`<dd class="sub">${opening.minutesLate > 0 ? html`<strong class="warn">${opening.minutesLate} min late</strong>` : 'on time'} · materials complete: ${yesNo(opening.materialsComplete)} · staff present: ${yesNo(opening.staffPresent)} · ${number(opening.devices)} report${opening.devices === 1 ? '' : 's'}</dd>` : ''}
      </div>
      <div class="card">
        <dt>Closed</dt>
        <dd>${closing ? timeTag(closing.closedAt) : html`<span class="muted">not reported</span>`}</dd>
        ${closing ? html`<dd class="sub">${number(closing.votersInQueue)} voters still in the queue · ${number(closing.devices)} report${closing.devices === 1 ? '' : 's'}</dd>` : ''}
      </div>
    </dl>`;
}

function resultSection(store, station, result, ui) {
  const reports = result.reports ?? [];
  const columns = [
    ...(result.counted ? [{ heading: 'Counted', figures: result.counted }] : []),
    ...(result.range ? [{ heading: 'Range', range: result.range }] : []),
    ...reports.map((report) => ({ heading: html`Device ${device(report.device)}<small>${clock(report.time)}</small>`, figures: report, compare: true })),
  ];
  return html`
    <section class="panel result" aria-labelledby="result-${result.constituency}" data-result="${result.constituency}">
      <div class="panel-head">
        <h3 id="result-${result.constituency}">Form-45 for <a href="#/${result.constituency}">${result.constituency}</a> ${statusBadge(result.status)}</h3>
        <p class="meta">${number(result.devices)} report${result.devices === 1 ? '' : 's'}${result.counted ? html` · ${number(result.counted.totalCast)} cast${statusNote(result.status)}` : ''}${result.held ? html` · <strong class="warn">${number(result.held)} held, not counted</strong>` : ''}</p>
      </div>
      ${result.verification ? html`<p class="verified-box">Verified by an editor as these reports stand (decision <code>${result.verification.slice(0, 8)}</code>).</p>` : ''}
      ${reports.length === 0
        ? html`<p class="empty">No Form-45 counts for this seat yet${result.held ? ' (held reports are below)' : ''}.</p>`
        : html`
      ${result.status === 'disputed' ? html`<p class="warn-box">The reports disagree: this station is left out of the seat's counted votes. Cells that differ are marked.</p>` : ''}
      <div class="result-body">
        ${form45Table(store, result.constituency, columns, `Figures of each reporter's Form-45 for ${result.constituency}`)}
        ${reportPhotos(store, reports, ui.enlargedPhoto)}
      </div>`}
      ${resultDecisions(station, result)}
    </section>`;
}

function statusNote(status) {
  return status === 'reported' ? ' (one source, not yet confirmed)' : '';
}

function turnoutSection(station) {
  const history = station.turnout?.history ?? [];
  return html`
    <section class="panel" aria-labelledby="turnout-title" data-region="turnout">
      <h2 id="turnout-title">Turnout through the day</h2>
      ${history.length === 0 ? html`<p class="empty">No turnout count yet.</p>` : html`
        ${turnoutLine({
          id: 'station-turnout', title: `Turnout through the day at ${station.station}`,
          points: history.map((reading) => ({
            at: reading.asOf, votesCast: reading.votesCast,
            turnout: station.registeredVoters ? share(reading.votesCast, station.registeredVoters) : null,
          })),
          note: station.registeredVoters ? `${number(station.registeredVoters)} registered` : '' })}
        <div class="table-wrap">
        <table class="responsive">
          <thead><tr><th scope="col">As of</th><th scope="col" class="num">Votes cast</th><th scope="col" class="num">Turnout</th><th scope="col" class="num">Men</th><th scope="col" class="num">Women</th><th scope="col">Device</th></tr></thead>
          <tbody>${history.map((reading) => html`
            <tr><th scope="row" data-label="As of">${timeTag(reading.asOf)}</th>
              <td data-label="Votes cast" class="num">${number(reading.votesCast)}</td>
              <td data-label="Turnout" class="num">${share(reading.votesCast, station.registeredVoters)}</td>
              <td data-label="Men" class="num">${number(reading.male)}</td>
              <td data-label="Women" class="num">${number(reading.female)}</td>
              <td data-label="Device">${device(reading.device)}</td></tr>`)}
          </tbody>
        </table>
        </div>`}
    </section>`;
}

function agentsSection(station) {
  const agents = station.agents ?? [];
  return html`
    <section class="panel" aria-labelledby="agents-title" data-region="agents">
      <h2 id="agents-title">Polling agents</h2>
      ${agents.length === 0 ? html`<p class="empty">Not reported.</p>` : html`
        <ul class="chips">${agents.map((agent) => html`<li class="chip" data-presence="${agent.presence}">${partyBadge({ party: agent.party })} ${agent.presence}</li>`)}</ul>`}
    </section>`;
}

function incidentsSection(store, station, ui) {
  const incidents = [...(station.incidents ?? [])].reverse();
  return html`
    <section class="panel" aria-labelledby="station-incidents-title" data-region="station-incidents">
      <h2 id="station-incidents-title">Incidents <span class="count">${incidents.length}</span></h2>
      ${incidents.length === 0 ? html`<p class="empty">None reported.</p>` : html`
        <ol class="incidents">${incidents.map((item) => html`
          <li class="incident" data-severity="${item.severity}">
            <div class="incident-head"><span class="severity" data-severity="${item.severity}">${item.severity}</span>
              <strong>${incidentTitle(item.kind)}</strong> <span class="when">${timeTag(item.occurredAt ?? item.time)}</span></div>
            <p class="what">${item.description}</p>
            <p class="who">Device ${device(item.device)}</p>
            ${reportPhotos(store, [item], ui.enlargedPhoto, { region: 'incident-photo', alt: 'The incident as photographed by this device' })}
          </li>`)}</ol>`}
    </section>`;
}

function correctionsSection(station) {
  const corrections = station.corrections ?? [];
  if (corrections.length === 0) return '';
  return html`
    <section class="panel" aria-labelledby="corrections-title" data-region="corrections">
      <h2 id="corrections-title">Corrections <span class="count">${corrections.length}</span></h2>
      <div class="table-wrap">
      <table class="responsive">
        <thead><tr><th scope="col">Correction</th><th scope="col">Device</th><th scope="col">Change</th><th scope="col">Corrects</th><th scope="col">Outcome</th></tr></thead>
        <tbody>${corrections.map((c) => html`
          <tr class="${c.outcome === 'not-applied' ? 'flagged' : ''}">
            <th scope="row" data-label="Correction"><code>${c.event.slice(0, 8)}</code></th>
            <td data-label="Device">${device(c.device)}</td>
            <td data-label="Change">${c.change}</td>
            <td data-label="Corrects"><code>${(c.corrects ?? '').slice(0, 8)}</code></td>
            <td data-label="Outcome">${c.outcome}${c.problem ? html`: ${c.problem}` : ''}${c.supersededBy ? html` by <code>${c.supersededBy.slice(0, 8)}</code>` : ''}</td>
          </tr>`)}</tbody>
      </table>
      </div>
    </section>`;
}

function eventSummary(event) {
  const data = event.data ?? {};
  switch (event.type) {
    case 'fieldsync.turnout.counted.v1': return `${number(data.votesCast)} votes cast as of ${clock(data.asOf)}`;
    case 'fieldsync.result.reported.v1': return `Form-45 for ${data.constituency}: ${number(data.totalCast)} cast, ${number(data.rejected)} rejected`;
    case 'fieldsync.incident.observed.v1': return `${incidentTitle(data.kind)} (${data.severity})`;
    case 'fieldsync.station.opened.v1': return `Opened at ${clock(data.openedAt)}`;
    case 'fieldsync.station.closed.v1': return `Closed at ${clock(data.closedAt)}, ${number(data.votersInQueue)} in the queue`;
    case 'fieldsync.agents.observed.v1': return 'Polling agents';
    case 'fieldsync.report.corrected.v1': return data.replacement ? `Replaces ${String(data.corrects).slice(0, 8)}` : `Retracts ${String(data.corrects).slice(0, 8)}`;
    case 'fieldsync.station.defined.v1': return 'Station defined';
    default: return '';
  }
}

function eventsSection(events, ui) {
  if (!events) return html`<section class="panel" data-region="events"><h2>Events</h2><p class="empty">Loading…</p></section>`;
  return html`
    <section class="panel" aria-labelledby="events-title" data-region="events">
      <h2 id="events-title">Events <span class="count">${events.length}</span></h2>
      <p class="note">Every event about this station in the server's log, oldest first. Open one to see it whole, with its signature and chain hashes.</p>
      <ol class="events">${events.map((event) => html`
        <li>
          <details data-key="event-${event.id}" ${ui.openEvents.has(event.id) ? html`open` : ''}>
            <summary>
              <span class="pos">#${event.position}</span>
              <span class="type">${event.type.replace(/^fieldsync\./, '').replace(/\.v\d+$/, '')}</span>
              <span class="when">${timeTag(event.time)}</span>
              <span class="src">${event.source?.replace(/^\/devices\//, '') ? device(event.source.replace(/^\/devices\//, '')) : ''} · seq ${event.seq}</span>
              <span class="what">${eventSummary(event)}</span>
            </summary>
            <pre>${JSON.stringify(event, null, 2)}</pre>
          </details>
        </li>`)}</ol>
    </section>`;
}

export function renderStation(store, code, ui, { loading, error }) {
  const station = store.station(code);
  const events = store.stationEvents.get(code)?.events ?? null;
  if (!station) {
    return html`<div class="layout"><div class="primary">
      <nav class="crumbs" aria-label="Breadcrumb"><a href="#/">${areaName()}</a> › ${code}</nav>
      <h1>${code}</h1>
      <p class="empty">${error ?? (loading ? 'Loading…' : `No tally for ${code}.`)}</p></div></div>`;
  }
  return html`
    <div class="layout single">
      <div class="primary">
        <nav class="crumbs" aria-label="Breadcrumb"><a href="#/">${areaName()}</a> ›
          ${station.national ? html`<a href="#/${station.national}">${station.national}</a> ›` : ''}
          <span aria-current="page">${code}</span></nav>
        <div class="title-row">
          <h1>${code} <span class="subtitle">${station.name ?? 'not defined'}</span></h1>
          <p class="meta">Votes in ${station.national ? html`<a href="#/${station.national}">${station.national}</a>` : '–'} and
            ${station.provincial ? html`<a href="#/${station.provincial}">${station.provincial}</a>` : '–'} · ${number(station.registeredVoters)} registered voters</p>
        </div>
        ${renderFlags(station.flags)}
        ${decisionNotes(store, code)}
        ${openingCard(station)}
        ${(station.results ?? []).map((result) => resultSection(store, station, result, ui))}
        ${heldSection(store, station, events, eventSummary)}
        ${turnoutSection(station)}
        <div class="two">
          ${incidentsSection(store, station, ui)}
          ${agentsSection(station)}
        </div>
        ${correctionsSection(station)}
        ${eventsSection(events, ui)}
        ${error ? html`<p class="problem">${error}</p>` : ''}
      </div>
    </div>`;
}
