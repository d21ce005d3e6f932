// Formatting for the dashboard: numbers, percentages, Karachi times, parties, flags and incidents,
// and HTML escaping. Every value that comes from the server goes through `html` or `esc` before it
// reaches the page.

/** Escapes text for HTML element content and attribute values. */
export function esc(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A raw HTML fragment that `html` inserts as is. */
class Raw {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

export function raw(text) { return new Raw(text); }

/**
 * Tagged template for HTML: interpolated values are escaped, except fragments made by `html` or
 * `raw`; arrays are joined.
 */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) {
    out += fragment(values[i]) + strings[i + 1];
  }
  return new Raw(out);
}

function fragment(value) {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === null || value === undefined || value === false) return '';
  return esc(value);
}

const integer = new Intl.NumberFormat('en-US');

/** 12,345; an en dash for a missing value. */
export function number(value) {
  return value === null || value === undefined ? '–' : integer.format(value);
}

/** Basis points as a percentage: 4823 → "48.23%"; an en dash for null. */
export function percent(basisPoints, digits = 1) {
  if (basisPoints === null || basisPoints === undefined) return '–';
  return (basisPoints / 100).toFixed(digits) + '%';
}

/** part / whole as a percentage with one decimal, or an en dash. */
export function share(part, whole) {
  if (!whole) return '–';
  return ((100 * part) / whole).toFixed(1) + '%';
}

/** Karachi's offset from UTC: polling day times are shown in Pakistan Standard Time. */
const karachiOffsetMinutes = 5 * 60;

function karachiParts(text) {
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) return null;
  const shifted = new Date(instant + karachiOffsetMinutes * 60_000);
  const two = (n) => String(n).padStart(2, '0');
  return {
    date: `${shifted.getUTCFullYear()}-${two(shifted.getUTCMonth() + 1)}-${two(shifted.getUTCDate())}`,
    time: `${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`,
    seconds: two(shifted.getUTCSeconds()),
  };
}

/** "14:32" in Karachi time (PKT), with the date when it is not polling day. */
export function clock(text) {
  const parts = karachiParts(text);
  if (!parts) return text ?? '–';
  return parts.date === '2024-02-08' ? parts.time : `${parts.date} ${parts.time}`;
}

/** A time element for a reported time: shown in PKT, the reporter's own text kept as its value. */
export function timeTag(text) {
  if (!text) return html`–`;
  return html`<time datetime="${text}" title="${text}">${clock(text)}</time>`;
}

/** The browser's clock, for "updated at". */
export function now() {
  const d = new Date();
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A device id, shortened for tables: the first 8 hex digits. */
export function device(id) {
  if (!id) return '–';
  return id === 'server' ? 'server' : id.slice(0, 8);
}

/** The key of a party in `votesByParty` or `seatsLed`, in words. */
export function partyKey(key) {
  if (key === '(independent)') return 'Independent';
  const backed = /^\(independent backed by (.+)\)$/.exec(key);
  if (backed) return `Independents backed by ${backed[1]}`;
  return key;
}

/** A candidate's affiliation in words: "PPP", "Independent (backed by PTI)", "Independent". */
export function affiliation(candidate) {
  if (!candidate) return 'unknown candidate';
  if (candidate.independent) {
    return candidate.backedBy ? `Independent, backed by ${candidate.backedBy}` : 'Independent';
  }
  return candidate.party ?? '–';
}

/** A short party label for badges: the party, the backer of a backed independent, or "IND". */
export function partyBadge(candidate) {
  if (!candidate) return html``;
  const label = candidate.independent ? (candidate.backedBy ? `IND·${candidate.backedBy}` : 'IND') : candidate.party;
  const title = affiliation(candidate);
  return html`<span class="party" data-party="${partyClass(candidate.independent ? candidate.backedBy : candidate.party)}" title="${title}">${label}</span>`;
}

/** A stable CSS hook for a party's colour (a few known parties, else a neutral). */
export function partyClass(party) {
  const known = ['MQM-P', 'PPP', 'JI', 'PML-N', 'PTI', 'TLP', 'ANP', 'MQM-H'];
  return known.includes(party) ? party : 'other';
}

/** What each flag code means, for an editor. */
export const flagTitles = {
  'form45-totals-mismatch': "Form-45 figures don't add up",
  'form45-above-registered': 'Form-45 votes above registered voters',
  'form45-not-of-station': "Form-45 for a seat the station isn't in",
  'turnout-over-100': 'Turnout over 100%',
  'turnout-decreased': 'Turnout count went down',
  'closed-without-result': 'Closed without a result',
  'form45-refused': 'Form-45 refused to observers',
  'correction-not-applied': 'Correction not applied',
  'rejected-at-or-above-margin': 'Rejected ballots at or above the margin',
  'disputed-could-change-leader': 'Disputed stations could change the leader',
  'report-held': 'Reports held: device not assigned here',
  'verification-outdated': 'Verification outdated: the reports changed',
};

export function flagTitle(code) {
  return flagTitles[code] ?? code;
}

/** Seat flags are about the result itself: shown first and in red. */
export function flagSeverity(code) {
  switch (code) {
    case 'disputed-could-change-leader':
    case 'rejected-at-or-above-margin':
    case 'form45-above-registered':
    case 'turnout-over-100':
      return 'critical';
    default:
      return 'warning';
  }
}

export const incidentTitles = {
  violence: 'Violence',
  intimidation: 'Intimidation',
  'agent-expelled': 'Polling agent expelled',
  'form45-refused': 'Form-45 refused',
  'ballot-stuffing': 'Ballot stuffing',
  'voters-turned-away': 'Voters turned away',
  'late-opening': 'Late opening',
  'materials-missing': 'Materials missing',
  'power-outage': 'Power outage',
  'network-down': 'Network down',
  other: 'Other',
};

export function incidentTitle(kind) {
  return incidentTitles[kind] ?? kind;
}

export const severityRank = { high: 3, medium: 2, low: 1 };

/** Result status words, as editors say them. */
export const statusTitles = {
  unreported: 'Not reported',
  reported: 'Reported (1 source)',
  confirmed: 'Confirmed',
  verified: 'Verified',
  disputed: 'Disputed',
};

export function statusBadge(status) {
  if (!status) return html`<span class="status" data-status="none">–</span>`;
  return html`<span class="status" data-status="${status}">${statusTitles[status] ?? status}</span>`;
}

/** The seats' prefixes in the protocol's order: the National Assembly, then the provincial assemblies. */
export const seatPrefixes = ['NA', 'PP', 'PS', 'PK', 'PB'];

/**
 * Compares seat or station codes as the protocol does: NA first, then PP, PS, PK and PB, each by number.
 */
export function compareCodes(a, b) {
  const [pa, na, sa] = codeParts(a);
  const [pb, nb, sb] = codeParts(b);
  if (pa !== pb) return pa - pb;
  if (na !== nb) return na - nb;
  return sa - sb;
}

function codeParts(code) {
  const match = /^(NA|PP|PS|PK|PB)-(\d+)(?:-(\d+))?$/.exec(code ?? '');
  if (!match) return [seatPrefixes.length, 0, 0];
  return [seatPrefixes.indexOf(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}
