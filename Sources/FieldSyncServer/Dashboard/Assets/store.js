// What the dashboard knows: the tally documents read from the API and kept current by the live
// stream. Of the seat, district and city documents, each live `tallies` event carries the members that
// changed (or, resuming mid-event, the documents whole); the stations' summaries are read per seat
// (`GET /v1/tallies/{seat}`), a station's whole document on its own (`GET /v1/stations/{code}`), when
// the stream says they changed, and only for what is on screen.

import { getJSON } from './api.js';
import { compareCodes } from './format.js';

/** How long a changed row stays marked as "just updated". */
export const freshMilliseconds = 6000;

export class Store {
  constructor(token) {
    this.token = token;
    /** The log position the tallies shown reflect. */
    this.position = null;
    this.city = null;
    this.districts = new Map();
    this.seats = new Map();
    /** Station code → {doc, position}: stations' whole documents (their page, the review list). */
    this.stations = new Map();
    /**
     * Seat code → station code → {doc, position}: stations' summaries for that seat, read with it (no history,
     * and only that seat's result: each of a station's seats has its own).
     */
    this.summaries = new Map();
    /** Station code → {position, events, doc}: a station page's events. */
    this.stationEvents = new Map();
    /** Seat code → {position, at}: when its stations' summaries were last read. */
    this.seatStationsRead = new Map();
    /** Seat code → {photos, at}: its reporting stations by Form-45 photo (`GET /v1/tallies/{code}/photos`). */
    this.seatPhotos = new Map();
    /** Station code → the newest position the live stream said it changed at. */
    this.stationChangedAt = new Map();
    /** 'seat:NA-248', 'station:NA-248-001', 'district:Central' → when it last changed (ms). */
    this.freshSince = new Map();
    this.reference = null;
    this.overviewLoaded = false;
    /** The review list (`GET /v1/reviews`): {position, codes} in station order, or null before it is read. */
    this.reviews = null;
    /** The official comparison (`GET /v1/official`): {position, listing}, or null before it is read. */
    this.official = null;
    /** The newest position at which any station changed, as far as this page knows. */
    this.stationsChangedAt = 0;
  }

  /** The city, its districts and every seat: `GET /v1/tallies`. */
  async loadOverview() {
    const overview = await getJSON('/v1/tallies', this.token);
    this.position = overview.position;
    this.city = overview.city;
    this.districts = new Map(Object.entries(overview.districts ?? {}));
    this.seats = new Map(Object.entries(overview.constituencies ?? {}));
    /** How many witnesses cosigned a tree head covering the tallies' position: {position, witnesses, treeSize}. */
    this.witnessed = await getJSON(`/v1/tree/witnessed?position=${overview.position}`, this.token).catch(() => null);
    this.overviewLoaded = true;
  }

  /** Everything read again, when the live stream says what changed is no longer kept (`reload`). */
  async reload() {
    this.seatStationsRead.clear();
    this.stationEvents.clear();
    await this.loadOverview();
  }

  /** One seat and the summaries of all its stations: `GET /v1/tallies/{code}`. */
  async loadSeatStations(code) {
    const answer = await getJSON(`/v1/tallies/${encodeURIComponent(code)}`, this.token);
    const known = this.seats.get(code);
    if (!known || (this.position ?? 0) <= answer.position) this.seats.set(code, answer.constituency);
    for (const [station, doc] of Object.entries(answer.stations ?? {})) this.putSummary(code, station, doc, answer.position);
    this.seatStationsRead.set(code, { position: answer.position, at: Date.now() });
    return answer;
  }

  /** Which of a seat's reporting stations have their Form-45 photo: `GET /v1/tallies/{code}/photos`. */
  async loadSeatPhotos(code) {
    const photos = await getJSON(`/v1/tallies/${encodeURIComponent(code)}/photos`, this.token);
    this.seatPhotos.set(code, { photos, at: Date.now() });
    return photos;
  }

  /** One station's document and every event about it: `GET /v1/stations/{code}`. */
  async loadStation(code) {
    const answer = await getJSON(`/v1/stations/${encodeURIComponent(code)}`, this.token);
    this.putStation(code, answer.station, answer.position);
    this.stationEvents.set(code, { position: answer.position, events: answer.events ?? [] });
    return answer;
  }

  /** The stations an editor should look at: their documents, and their codes in order. */
  async loadReviews() {
    const answer = await getJSON('/v1/reviews', this.token);
    for (const doc of answer.stations ?? []) this.putStation(doc.station, doc, answer.position);
    this.reviews = { position: answer.position, codes: (answer.stations ?? []).map((doc) => doc.station) };
    return answer;
  }

  /** The commission's Form-45s against the field, every seat: `GET /v1/official`. */
  async loadOfficial() {
    const listing = await getJSON('/v1/official', this.token);
    this.official = { position: listing.position, listing };
    return listing;
  }

  /** Whether some station changed after the comparison was read (or it was never read). */
  officialStale() {
    return !this.official || this.stationsChangedAt > this.official.position;
  }

  /** Whether some station changed after the review list was read. */
  reviewsStale() {
    return !this.reviews || this.stationsChangedAt > this.reviews.position;
  }

  /** `station` changed at `position` (a decision made here): what was read before is stale. */
  noteChange(station, position) {
    this.stationChangedAt.set(station, Math.max(position, this.stationChangedAt.get(station) ?? 0));
    this.stationsChangedAt = Math.max(this.stationsChangedAt, position);
  }

  putStation(code, doc, position) {
    put(this.stations, code, doc, position, this.freshSince);
  }

  putSummary(seat, code, doc, position) {
    if (!this.summaries.has(seat)) this.summaries.set(seat, new Map());
    put(this.summaries.get(seat), code, doc, position, this.freshSince);
  }

  /** A station's whole document, or null when it was not read. */
  station(code) {
    return this.stations.get(code)?.doc ?? null;
  }

  /**
   * A station's summary for `seat` (read with it), or null when it was not read. Without a seat, its summary
   * for any seat read: what every seat's summary says alike (the station, its incidents, its statuses).
   */
  summary(code, seat = null) {
    if (seat !== null) return this.summaries.get(seat)?.get(code)?.doc ?? null;
    for (const stations of this.summaries.values()) {
      const held = stations.get(code);
      if (held) return held.doc;
    }
    return null;
  }

  /** The codes of every station whose summary for some seat we hold. */
  summarizedStations() {
    const codes = new Set();
    for (const stations of this.summaries.values()) for (const code of stations.keys()) codes.add(code);
    return [...codes];
  }

  /** Whether the live stream named the station after the document we hold was read. */
  isStale(code) {
    const changed = this.stationChangedAt.get(code);
    if (changed === undefined) return false;
    const held = this.stations.get(code);
    return !held || held.position < changed;
  }

  /** The stations voting in a seat whose summaries for it we hold, in code order. */
  stationsOf(seat) {
    return [...(this.summaries.get(seat)?.keys() ?? [])].sort(compareCodes);
  }

  /**
   * One live `tallies` event: station codes to read again, and the seats, districts and city. Whole
   * documents replace what the page holds; otherwise each document carries only its members that changed
   * after `after`, which apply only to documents as of `after`: false when the page's are not (it read
   * them at another position), and the stream must resume from the page's position.
   */
  applyLive(data) {
    const now = Date.now();
    const position = Number(data.position);
    for (const code of data.stations ?? []) this.noteChange(code, position);
    if (this.position !== null && position <= this.position) return true;
    if (!data.whole && this.position !== null && Number(data.after) !== this.position) return false;
    const apply = (known, changed) => (data.whole ? changed : { ...(known ?? {}), ...changed });
    for (const [code, doc] of Object.entries(data.constituencies ?? {})) {
      this.seats.set(code, apply(this.seats.get(code), doc));
      this.freshSince.set(`seat:${code}`, now);
    }
    for (const [name, doc] of Object.entries(data.districts ?? {})) {
      this.districts.set(name, apply(this.districts.get(name), doc));
      this.freshSince.set(`district:${name}`, now);
    }
    if (data.city) this.city = apply(this.city, data.city);
    if (!Number.isNaN(position) && position > (this.position ?? 0)) this.position = position;
    return true;
  }

  isFresh(key) {
    const since = this.freshSince.get(key);
    return since !== undefined && Date.now() - since < freshMilliseconds;
  }

  /** A candidate of a seat, by id, from the seat's document. */
  candidate(id) {
    const seat = this.seats.get(id.replace(/-C\d+$/, ''));
    return seat?.candidates?.find((candidate) => candidate.candidate === id) ?? null;
  }

  /** The seats of one assembly, in code order. */
  seatsOf(assembly) {
    return [...this.seats.values()].filter((seat) => seat.assembly === assembly).sort((a, b) => compareCodes(a.constituency, b.constituency));
  }
}

/** Keeps `doc` as `code`'s in `map` unless a newer one is there, marking it fresh when it changed. */
function put(map, code, doc, position, freshSince) {
  const known = map.get(code);
  if (known && known.position > position) return;
  if (known && JSON.stringify(known.doc) !== JSON.stringify(doc)) freshSince.set(`station:${code}`, Date.now());
  map.set(code, { doc, position });
}
