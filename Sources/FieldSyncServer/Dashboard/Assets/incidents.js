// The incident feed: the incidents of the station summaries of the seats on screen, newest first,
// with their severity.

import { html, clock, timeTag, incidentTitle, severityRank, device, number, zoneName } from './format.js';

/** Every incident of the given stations, newest first (by when it happened, else when recorded). */
export function collectIncidents(store, stationCodes) {
  const items = [];
  for (const code of stationCodes) {
    const station = store.summary(code);
    if (!station) continue;
    for (const incident of station.incidents ?? []) {
      items.push({ ...incident, station: code, stationName: station.name, at: incident.occurredAt ?? incident.time });
    }
  }
  items.sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0) || (severityRank[b.severity] ?? 0) - (severityRank[a.severity] ?? 0));
  return items;
}

const severityChoices = [
  ['all', 'All'],
  ['medium', 'Medium and high'],
  ['high', 'High only'],
];

/**
 * The feed as an aside. `scope` says whose incidents these are (the election's area, "NA-248"); `coverage`,
 * when not everything is read yet, says how much is.
 */
export function renderIncidentFeed(items, ui, { scope, coverage = null, limit = 60 }) {
  const minimum = ui.severity === 'high' ? 3 : ui.severity === 'medium' ? 2 : 1;
  const shown = items.filter((item) => (severityRank[item.severity] ?? 0) >= minimum);
  const visible = shown.slice(0, ui.feedAll ? shown.length : limit);
  const high = items.filter((item) => item.severity === 'high').length;
  return html`
    <section class="feed" aria-labelledby="feed-title" data-region="incidents">
      <div class="feed-head">
        <h2 id="feed-title">Incidents <span class="count">${number(shown.length)}</span></h2>
        <label class="compact">Severity
          <select data-control="severity" id="control-severity">
            ${severityChoices.map(([value, label]) => html`<option value="${value}" ${value === ui.severity ? html`selected` : ''}>${label}</option>`)}
          </select>
        </label>
      </div>
      <p class="note">${scope}: ${number(items.length)} reported${high ? html`, <strong class="sev-high">${number(high)} high severity</strong>` : ''}. Newest first, times in ${zoneName()}.${coverage ? html` ${coverage}` : ''}</p>
      ${visible.length === 0
        ? html`<p class="empty">No incidents reported${minimum > 1 ? ' at this severity' : ''}.</p>`
        : html`<ol class="incidents">${visible.map(renderIncident)}</ol>`}
      ${shown.length > visible.length
        ? html`<button type="button" class="link" data-action="feed-all">Show all ${number(shown.length)}</button>`
        : ''}
    </section>`;
}

function renderIncident(item) {
  return html`
    <li class="incident" data-severity="${item.severity}">
      <div class="incident-head">
        <span class="severity" data-severity="${item.severity}">${item.severity}</span>
        <strong>${incidentTitle(item.kind)}</strong>
        <span class="when">${timeTag(item.at)}</span>
      </div>
      <p class="where"><a href="#/station/${item.station}">${item.station}</a> ${item.stationName ?? ''}</p>
      ${item.description ? html`<p class="what">${item.description}</p>` : ''}
      <p class="who">Reported by device ${device(item.device)}${item.occurredAt ? html`, recorded ${clock(item.time)}` : ''}</p>
    </li>`;
}
