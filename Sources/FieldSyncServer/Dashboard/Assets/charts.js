// Charts drawn as inline SVG from the tally documents: turnout through the day as a line, votes by
// party as bars. Each chart scales to its container through its viewBox, keeps its text at a size a
// phone can read, and carries a <title> and <desc> (and the figures as a list) for screen readers.
// Every value that goes into the markup passes through `html`, so a party code cannot inject markup.

import { html, number, percent, clock, partyKey, partyClass } from './format.js';

/** A document's `turnoutByHour` as the points of a turnout line. */
export function hourlyPoints(turnoutByHour) {
  return (turnoutByHour ?? []).map((hour) => ({ at: hour.at, votesCast: hour.votesCast, turnout: hour.basisPoints === null ? null : percent(hour.basisPoints) }));
}

/** The drawing's size in viewBox units: about a phone's width, so 12 units of text read as 12 pixels there. */
const width = 360;
const margin = { top: 14, right: 14, bottom: 26, left: 48 };

let chartCount = 0;

/** A short round number at or above `value`, for an axis's top: 1, 2, 2.5 or 5 × a power of ten. */
export function niceCeiling(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A party key short enough for the label column: "Ind. (PTI)" for independents backed by PTI. */
function shortParty(key) {
  if (key === '(independent)') return 'Independent';
  const backed = /^\(independent backed by (.+)\)$/.exec(key);
  const text = backed ? `Ind. (${backed[1]})` : key;
  return text.length > 12 ? `${text.slice(0, 11)}…` : text;
}

/** 12k for 12,000 on an axis with little room; figures under 10,000 in full. */
function compact(value) {
  if (value >= 1_000_000) return `${+(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${+(value / 1000).toFixed(1)}k`;
  return number(value);
}

/**
 * Turnout through the day as a line: votes cast (y) against time (x).
 * `points` are `{at, votesCast, turnout}` in time order: `at` an RFC 3339 time, `turnout` the share as text or null.
 */
export function turnoutLine({ id, title, points, note = '' }) {
  if (!points?.length) return html`<p class="empty" data-chart="${id}">No turnout count yet.</p>`;
  const key = `chart-${id}-${++chartCount}`;
  const height = 180;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const times = points.map((point) => Date.parse(point.at));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = last - first || 3_600_000;
  const top = niceCeiling(Math.max(...points.map((point) => point.votesCast)));
  const x = (time) => margin.left + (last === first ? plotWidth / 2 : ((time - first) / span) * plotWidth);
  const y = (value) => margin.top + plotHeight - (value / top) * plotHeight;
  const line = points.map((point, index) => `${x(times[index]).toFixed(1)},${y(point.votesCast).toFixed(1)}`).join(' ');
  const ticks = [0, top / 2, top];
  const latest = points[points.length - 1];
  const summary = `${number(latest.votesCast)} votes cast by ${clock(latest.at)}` +
    (latest.turnout ? `, ${latest.turnout} turnout` : '');
  return html`
    <figure class="chart line-chart" data-chart="${id}">
      <svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${key}-title ${key}-desc" preserveAspectRatio="xMidYMid meet">
        <title id="${key}-title">${title}</title>
        <desc id="${key}-desc">${summary}. ${points.map((point) => `${clock(point.at)}: ${number(point.votesCast)}`).join('; ')}.</desc>
        ${ticks.map((tick) => html`
          <line class="grid" x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}"></line>
          <text class="axis" x="${margin.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${compact(tick)}</text>`)}
        <text class="axis" x="${margin.left}" y="${height - 6}" text-anchor="start">${clock(points[0].at)}</text>
        ${last > first ? html`<text class="axis" x="${width - margin.right}" y="${height - 6}" text-anchor="end">${clock(latest.at)}</text>` : ''}
        <polyline class="series" points="${line}"></polyline>
        ${points.map((point, index) => html`<circle class="series" cx="${x(times[index]).toFixed(1)}" cy="${y(point.votesCast).toFixed(1)}" r="3"
          data-at="${point.at}" data-value="${point.votesCast}"><title>${clock(point.at)}: ${number(point.votesCast)} votes cast${point.turnout ? ` (${point.turnout})` : ''}</title></circle>`)}
      </svg>
      <figcaption>${summary}${note ? html` · ${note}` : ''}</figcaption>
    </figure>`;
}

/**
 * Votes by party as horizontal bars, one row per party, one bar per series: the field's tally and,
 * when given, the official figures beside it. `series` is `[{name, label, votes: {party: n}}]`, the
 * field first; a party missing from a series has no bar there (not a bar of 0). Parties are ordered
 * by the first series' votes, most first.
 */
export function partyBars({ id, title, series }) {
  const shown = series.filter((entry) => entry?.votes);
  const parties = [...new Set(shown.flatMap((entry) => Object.keys(entry.votes)))];
  if (parties.length === 0) return html`<p class="empty" data-chart="${id}">No votes counted yet.</p>`;
  const lead = shown[0].votes;
  parties.sort((a, b) => (lead[b] ?? 0) - (lead[a] ?? 0) || a.localeCompare(b));
  const key = `chart-${id}-${++chartCount}`;
  const label = 78;
  const valueRoom = 64;
  const plotWidth = width - label - valueRoom;
  const bar = 13;
  const row = bar * shown.length + 9;
  const legend = shown.length > 1 ? 18 : 0;
  const height = legend + row * parties.length + 4;
  const top = Math.max(1, ...shown.flatMap((entry) => Object.values(entry.votes)));
  const described = parties.map((party) => `${partyKey(party)}: ${shown.map((entry) => `${entry.label} ${number(entry.votes[party] ?? null)}`).join(', ')}`);
  return html`
    <figure class="chart bar-chart" data-chart="${id}">
      <svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${key}-title ${key}-desc" preserveAspectRatio="xMidYMid meet">
        <title id="${key}-title">${title}</title>
        <desc id="${key}-desc">${described.join('; ')}.</desc>
        ${legend ? shown.map((entry, index) => html`
          <rect class="swatch" data-party="other" data-series="${entry.name}" x="${label + index * 110}" y="3" width="10" height="10"></rect>
          <text class="axis" x="${label + index * 110 + 14}" y="12">${entry.label}</text>`) : ''}
        ${parties.map((party, index) => {
          const y0 = legend + index * row;
          return html`
            <g class="party-row" data-bar-party="${party}">
              <text class="label" x="${label - 6}" y="${(y0 + (row - 9) / 2 + 4).toFixed(1)}" text-anchor="end">${shortParty(party)}</text>
              ${shown.map((entry, s) => {
                const value = entry.votes[party];
                if (value === undefined) return '';
                const length = (value / top) * plotWidth;
                return html`<rect class="bar" data-party="${partyClass(party.replace(/^\(independent backed by (.+)\)$/, '$1'))}" data-series="${entry.name}" data-value="${value}"
                    x="${label}" y="${y0 + s * bar}" width="${length.toFixed(2)}" height="${bar - 2}"><title>${partyKey(party)}, ${entry.label}: ${number(value)}</title></rect>
                  <text class="value" x="${(label + length + 4).toFixed(1)}" y="${y0 + s * bar + bar - 3}">${compact(value)}</text>`;
              })}
            </g>`;
        })}
      </svg>
      <figcaption>${shown.length > 1 ? 'Field tally beside the official figures.' : 'Counted votes from the field.'} Bars share one scale; the top is ${number(top)} votes.</figcaption>
    </figure>`;
}

/**
 * A seat's standing official figures (its document's `official.standing`: the Form-49, else the Form-47,
 * else the stations' Form-45s summed) by party, shaped as its `votesByParty`: each candidate's votes under
 * its party, an independent's under its backer or `(independent)`, as the field's are; null without any.
 */
export function officialVotesByParty(seat) {
  const official = seat?.official;
  const standing = official?.standing;
  if (!standing) return null;
  const votes = official[`form${standing}`]?.votes;
  if (!votes) return null;
  const byId = new Map((seat.candidates ?? []).map((candidate) => [candidate.candidate, candidate]));
  const parties = { backedIndependentsApart: {}, countingBackedIndependents: {} };
  for (const [id, n] of Object.entries(votes)) {
    const candidate = byId.get(id);
    const apart = candidate?.party ?? '(independent)';
    const counting = candidate?.party ?? candidate?.backedBy ?? '(independent)';
    parties.backedIndependentsApart[apart] = (parties.backedIndependentsApart[apart] ?? 0) + n;
    parties.countingBackedIndependents[counting] = (parties.countingBackedIndependents[counting] ?? 0) + n;
  }
  return parties;
}

/** The series of a party chart: the field's votes and, when the document has them, the official ones. */
export function partySeries(document, view) {
  const series = [{ name: 'field', label: 'Field', votes: document?.votesByParty?.[view] ?? null }];
  const official = (document?.official?.votesByParty ?? officialVotesByParty(document))?.[view];
  if (official) series.push({ name: 'official', label: 'Official', votes: official });
  return series;
}

/** A seat's or a roll-up's turnout through the day, from its `turnoutByHour`. */
export function turnoutPanel(id, title, turnoutByHour) {
  return html`
    <section class="panel" aria-labelledby="${id}-title" data-region="turnout-by-hour">
      <h2 id="${id}-title">Turnout through the day</h2>
      ${turnoutLine({ id, title, points: hourlyPoints(turnoutByHour), note: 'each station\'s latest count by the hour' })}
    </section>`;
}
