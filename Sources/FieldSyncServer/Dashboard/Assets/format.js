// Formatting for the dashboard: numbers, percentages, times in the election's zone, parties, flags and incidents,
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

/**
 * The election the server defines (`fieldsync.election.defined.v1`'s data): times are shown in its zone,
 * and without their date on its polling day. Until it is known, times are shown in UTC with their date.
 */
const election = { offsetMinutes: 0, zone: 'UTC', pollingDay: null, name: null, area: null, assemblies: {} };

/** "+05:00" as 300; null unless ±HH:MM. */
function offsetMinutes(text) {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text ?? '');
  if (!match) return null;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * Takes the election's definition: its name, time zone, polling day and assemblies. The area the
 * dashboard's top level covers is named from the election's name: the part after its last comma
 * ("Pakistan general election 2024, Karachi" → "Karachi"), else the whole name.
 */
export function setElection(definition) {
  if (!definition) return;
  const offset = offsetMinutes(definition.utcOffset);
  if (offset !== null) {
    election.offsetMinutes = offset;
    election.zone = offset === 0 ? 'UTC' : `UTC${definition.utcOffset}`;
  }
  election.pollingDay = localParts(definition.pollingOpens)?.date ?? null;
  election.name = definition.name ?? null;
  const comma = (definition.name ?? '').lastIndexOf(',');
  election.area = comma >= 0 ? definition.name.slice(comma + 1).trim() : definition.name ?? null;
  election.assemblies = definition.assemblies ?? {};
}

/** The area the top level covers, named from the election ("Karachi"); "All seats" until it is known. */
export function areaName() {
  return election.area || 'All seats';
}

/** The time zone times are shown in: "UTC+05:00". */
export function zoneName() {
  return election.zone;
}

/** "Karachi · 8 February 2024", from the election; null until it is known. */
export function electionHeading() {
  if (!election.area) return null;
  const day = longDate(election.pollingDay);
  return day ? `${election.area} · ${day}` : election.area;
}

/**
 * The title of one kind of assembly: the National Assembly's name from the election; for `provincial`,
 * its one provincial assembly's name, or "Provincial assemblies" when it elects several (or is not known).
 */
export function assemblyTitle(kind) {
  const names = election.assemblies ?? {};
  if (kind === 'national') return names.NA ?? 'National Assembly';
  const provincial = seatPrefixes.slice(1).filter((prefix) => names[prefix]);
  return provincial.length === 1 ? names[provincial[0]] : 'Provincial assemblies';
}

/** One assembly's name from the election, by its seats' prefix (`PS`); "PS seats" when it is not known. */
export function assemblyName(prefix) {
  return election.assemblies?.[prefix] ?? `${prefix} seats`;
}

/** "8 February 2024" for "2024-02-08"; null for none. */
export function longDate(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!match) return null;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  return `${Number(match[3])} ${months[Number(match[2]) - 1]} ${match[1]}`;
}

function localParts(text) {
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) return null;
  const shifted = new Date(instant + election.offsetMinutes * 60_000);
  const two = (n) => String(n).padStart(2, '0');
  return {
    date: `${shifted.getUTCFullYear()}-${two(shifted.getUTCMonth() + 1)}-${two(shifted.getUTCDate())}`,
    time: `${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`,
    seconds: two(shifted.getUTCSeconds()),
  };
}

/** "14:32" in the election's time, with the date when it is not polling day. */
export function clock(text) {
  const parts = localParts(text);
  if (!parts) return text ?? '–';
  return parts.date === election.pollingDay ? parts.time : `${parts.date} ${parts.time}`;
}

/** A time element for a reported time: shown in the election's time, the reporter's own text kept as its value. */
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
  'official-differs-from-field': 'Official Form-45 differs from the field',
  'official-for-refused-station': 'Official Form-45 where observers were refused it',
  'field-changes-winner': "The field's figures would change the winner",
  'official-exceeds-stations': 'Official total above the stations',
};

export function flagTitle(code) {
  return flagTitles[code] ?? code;
}

/** Seat flags are about the result itself: shown first and in red. */
export function flagSeverity(code) {
  switch (code) {
    case 'disputed-could-change-leader':
    case 'field-changes-winner':
    case 'official-exceeds-stations':
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
