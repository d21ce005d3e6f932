// The election's area at a glance (Karachi, or all of Pakistan): every seat of one kind of assembly with its
// leader, margin and progress, the area's and
// district roll-ups, the flags an editor must see, and the incident feed.

import {
  html, number, percent, share, partyKey, partyBadge, partyClass, flagTitle, flagSeverity, compareCodes, areaName,
  assemblyTitle, assemblyName, seatPrefixes,
} from './format.js';
import { collectIncidents, renderIncidentFeed } from './incidents.js';
import { officialVotesByParty, partyBars, partySeries, turnoutPanel } from './charts.js';

/** The two kinds of assembly the overview toggles between, titled from the election's definition. */
export const assemblies = {
  national: { get title() { return assemblyTitle('national'); } },
  provincial: { get title() { return assemblyTitle('provincial'); } },
};

const sorts = [
  ['seat', 'Seat number'],
  ['attention', 'Needs attention first'],
  ['margin', 'Closest race first'],
  ['reported', 'Least reported first'],
  ['turnout', 'Highest turnout first'],
];

/** Stations with any Form-45 that counts or disputes (reported, confirmed, verified or disputed); held ones are not in. */
export function stationsIn(counts) {
  return counts ? counts.total - counts.unreported : 0;
}

function flagTotal(counts) {
  return Object.values(counts ?? {}).reduce((sum, n) => sum + n, 0);
}

function attention(seat) {
  return [
    -(seat.flags?.length ?? 0),
    -(seat.stations?.disputed ?? 0),
    -flagTotal(seat.stationFlags),
  ];
}

function sortSeats(seats, sort) {
  const byCode = (a, b) => compareCodes(a.constituency, b.constituency);
  const list = [...seats];
  switch (sort) {
    case 'attention':
      return list.sort((a, b) => {
        const ka = attention(a);
        const kb = attention(b);
        for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
        return byCode(a, b);
      });
    case 'margin':
      return list.sort((a, b) => (a.lead?.margin ?? Infinity) - (b.lead?.margin ?? Infinity) || byCode(a, b));
    case 'reported':
      return list.sort((a, b) => stationsIn(a.stations) / (a.stations.total || 1) - stationsIn(b.stations) / (b.stations.total || 1) || byCode(a, b));
    case 'turnout':
      return list.sort((a, b) => (b.turnout?.basisPoints ?? -1) - (a.turnout?.basisPoints ?? -1) || byCode(a, b));
    default:
      return list.sort(byCode);
  }
}

function candidateOf(seat, id) {
  return seat.candidates?.find((candidate) => candidate.candidate === id) ?? null;
}

/** Leader, runner-up and margin cells of a seat row. */
function leadCells(seat) {
  const lead = seat.lead;
  if (!lead) {
    return html`<td data-label="Leader" data-field="leader" colspan="3" class="muted">No station counted yet</td>`;
  }
  const leader = candidateOf(seat, lead.leader);
  const runnerUp = lead.runnerUp ? candidateOf(seat, lead.runnerUp) : null;
  const inDoubt = seat.flags?.some((flag) => flag.code === 'disputed-could-change-leader');
  return html`
    <td data-label="Leader" data-field="leader">
      <span class="name">${leader?.name ?? lead.leader}</span> ${partyBadge(leader)}
      <small>${number(leader?.votes)} votes</small>
    </td>
    <td data-label="Runner-up" data-field="runner-up">
      ${runnerUp ? html`<span class="name">${runnerUp.name}</span> ${partyBadge(runnerUp)} <small>${number(runnerUp.votes)} votes</small>` : html`<span class="muted">–</span>`}
    </td>
    <td data-label="Margin" data-field="margin" class="num">
      ${number(lead.margin)}
      <small>${lead.margin !== null ? share(lead.margin, seat.validVotes) + ' of valid' : ''}</small>
      ${inDoubt ? html`<span class="badge critical" title="${flagTitle('disputed-could-change-leader')}">in doubt</span>` : ''}
    </td>`;
}

function seatRow(store, seat) {
  const counts = seat.stations;
  const seatFlags = seat.flags?.length ?? 0;
  const stationFlags = flagTotal(seat.stationFlags);
  const fresh = store.isFresh(`seat:${seat.constituency}`);
  return html`
    <tr data-seat="${seat.constituency}" class="${fresh ? 'fresh' : ''} ${seatFlags ? 'flagged' : ''}">
      <th scope="row" data-label="Seat">
        <a href="#/${seat.constituency}">${seat.constituency}</a>
        <small>${seat.name ?? 'not defined'}${seat.district ? ` · ${seat.district}` : ''}</small>
        ${seat.postponed ? html`<span class="badge" data-field="postponed" title="Not polled on the day; left out of the roll-ups">postponed</span>` : ''}
      </th>
      ${leadCells(seat)}
      <td data-label="Reported" data-field="reported" class="num">
        <span>${number(stationsIn(counts))} / ${number(counts.total)}</span>
        <progress max="${counts.total || 1}" value="${stationsIn(counts)}" aria-hidden="true"></progress>
      </td>
      <td data-label="Counted" data-field="counted" class="num">${number(counts.counted)}
        <small title="${number(counts.confirmed)} confirmed, ${number(counts.reported)} one source">${number(counts.verified)} verified</small></td>
      <td data-label="Disputed" data-field="disputed" class="num ${counts.disputed ? 'warn' : ''}">${number(counts.disputed)}</td>
      <td data-label="Held" data-field="held" class="num ${counts.held ? 'warn' : ''}">${number(counts.held)}</td>
      <td data-label="Turnout" data-field="turnout" class="num">
        ${percent(seat.turnout?.basisPoints)}
        ${seat.liveTurnout?.basisPoints !== null && seat.liveTurnout?.basisPoints !== undefined
          ? html`<small title="Latest turnout counts during the day, ${number(seat.liveTurnout.stations)} stations">live ${percent(seat.liveTurnout.basisPoints)}</small>`
          : ''}
      </td>
      <td data-label="Flags" data-field="flags">
        ${seatFlags ? html`<span class="badge critical" title="${seat.flags.map((f) => flagTitle(f.code)).join('; ')}">⚑ ${seatFlags} seat</span>` : ''}
        ${stationFlags ? html`<span class="badge warning" title="${Object.entries(seat.stationFlags).map(([c, n]) => `${flagTitle(c)}: ${n}`).join('; ')}">${stationFlags} station</span>` : ''}
        ${!seatFlags && !stationFlags ? html`<span class="muted">none</span>` : ''}
      </td>
    </tr>`;
}

/**
 * The roll-ups of one kind of assembly in a roll-up document (the city's, a district's), each with its
 * prefix and title: the National Assembly's, or each provincial assembly's on its own — the seats of two
 * assemblies are never summed together.
 */
function rollUpsOf(doc, assembly) {
  if (!doc?.national) return [];
  if (assembly === 'national') return [{ prefix: 'NA', title: assemblyTitle('national'), rollUp: doc.national }];
  return Object.entries(doc.provincial ?? {})
    .sort(([a], [b]) => seatPrefixes.indexOf(a) - seatPrefixes.indexOf(b))
    .map(([prefix, rollUp]) => ({ prefix, title: assemblyName(prefix), rollUp }));
}

/** The seats of one kind of assembly that a roll-up leaves out as postponed, as a note; '' without any. */
function postponedNote(doc, assembly) {
  const seats = (doc?.postponed ?? []).filter((code) => code.startsWith('NA-') === (assembly === 'national'));
  if (seats.length === 0) return '';
  return html`<p class="note" data-region="postponed">Postponed, not polled and left out of these sums:
    ${seats.map((code, index) => html`${index ? ', ' : ''}<a href="#/${code}" data-postponed="${code}">${code}</a>`)}.</p>`;
}

function summaryCards(city, assembly) {
  const rollUps = rollUpsOf(city, assembly);
  if (!city?.national) return html`<p class="empty">The projector has not folded any tallies yet.</p>`;
  const several = rollUps.length > 1;
  return html`${rollUps.map(({ prefix, title, rollUp }) => html`
    ${several ? html`<h2 class="assembly-title" data-assembly="${prefix}">${title}</h2>` : ''}
    ${assemblyCards(rollUp, prefix)}`)}
    ${postponedNote(city, assembly)}`;
}

function assemblyCards(rollUp, prefix) {
  const counts = rollUp.stations;
  return html`
    <dl class="cards" data-region="city-summary" data-assembly="${prefix}">
      <div class="card">
        <dt>Seats with a leader</dt>
        <dd data-field="seats-with-leader">${number(rollUp.seatsWithLeader)} <small>of ${number(rollUp.seats)}</small></dd>
      </div>
      <div class="card">
        <dt>Stations reported</dt>
        <dd data-field="city-reported">${number(stationsIn(counts))} <small>of ${number(counts.total)} · ${share(stationsIn(counts), counts.total)}</small></dd>
        <dd class="sub">${number(counts.verified)} verified · ${number(counts.confirmed)} confirmed · ${number(counts.reported)} one source · <span class="${counts.disputed ? 'warn' : ''}">${number(counts.disputed)} disputed</span></dd>
        <dd class="sub" data-field="city-held">${counts.held ? html`<a href="#/review" class="warn">${number(counts.held)} with held reports</a>, not counted` : 'no held reports'}</dd>
        <dd class="sub"><progress max="${counts.total || 1}" value="${stationsIn(counts)}" aria-hidden="true"></progress></dd>
      </div>
      <div class="card">
        <dt>Turnout at counted stations</dt>
        <dd>${percent(rollUp.turnout.basisPoints)}</dd>
        <dd class="sub">${number(rollUp.turnout.votesCast)} votes of ${number(rollUp.turnout.registeredVoters)} registered</dd>
      </div>
      <div class="card">
        <dt>Rejected ballots</dt>
        <dd>${number(rollUp.rejected)}</dd>
      </div>
      <div class="card ${rollUp.seatsInDoubt ? 'critical' : ''}">
        <dt>Seats in doubt</dt>
        <dd>${number(rollUp.seatsInDoubt)}</dd>
        <dd class="sub">disputed stations could change the leader</dd>
      </div>
    </dl>`;
}

/** The seats' votes by party summed, both ways, and the official ones when every seat carries them. */
function assemblyVotes(seats) {
  const sum = (documents) => {
    const total = { backedIndependentsApart: {}, countingBackedIndependents: {} };
    for (const votes of documents) {
      for (const view of Object.keys(total)) {
        for (const [party, n] of Object.entries(votes?.[view] ?? {})) total[view][party] = (total[view][party] ?? 0) + n;
      }
    }
    return total;
  };
  // The city's official bars only once every seat has standing official figures: a partial sum would
  // stand beside the field's whole one as if it were the commission's.
  const official = seats.map(officialVotesByParty);
  return {
    votesByParty: sum(seats.map((seat) => seat.votesByParty)),
    official: seats.length > 0 && official.every(Boolean) ? { votesByParty: sum(official) } : null,
  };
}

function cityCharts(store, assembly, ui) {
  const rollUps = rollUpsOf(store.city, assembly);
  // One id per assembly when several are shown; the National Assembly's (or a lone one's) as ever.
  const suffix = (prefix) => (rollUps.length > 1 ? `-${prefix}` : '');
  return html`${rollUps.map(({ prefix, title, rollUp }) => html`
    ${turnoutPanel(`city-turnout${suffix(prefix)}`, `Turnout through the day in ${areaName()}, ${title} seats`, rollUp.turnoutByHour)}
    <section class="panel" aria-labelledby="city-parties${suffix(prefix)}-title" data-region="city-parties" data-assembly="${prefix}">
      <div class="panel-head">
        <h2 id="city-parties${suffix(prefix)}-title">Votes by party, ${title}</h2>
        ${partyViewToggle(ui)}
      </div>
      ${partyBars({ id: `city-parties${suffix(prefix)}`, title: `Votes by party in ${areaName()}, ${title} seats`, series: partySeries(assemblyVotes(store.seatsOf(assembly).filter((seat) => seat.constituency.startsWith(`${prefix}-`))), ui.partyView) })}
    </section>`)}`;
}

function seatsLed(city, assembly, ui) {
  const rollUps = rollUpsOf(city, assembly);
  return html`${rollUps.map(({ prefix, title, rollUp }) => assemblySeatsLed(rollUp, rollUps.length > 1 ? { prefix, title } : null, ui))}`;
}

function assemblySeatsLed(rollUp, named, ui) {
  const view = ui.partyView;
  const led = Object.entries(rollUp.seatsLed?.[view] ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return html`
    <section class="panel" aria-labelledby="led-title${named ? `-${named.prefix}` : ''}" data-region="seats-led" data-assembly="${named?.prefix ?? ''}">
      <div class="panel-head">
        <h2 id="led-title${named ? `-${named.prefix}` : ''}">Seats led by party${named ? `, ${named.title}` : ''}</h2>
        ${partyViewToggle(ui)}
      </div>
      ${led.length === 0
        ? html`<p class="empty">No seat has a leader yet.</p>`
        : html`<ul class="bars">${led.map(([party, n]) => html`
            <li data-party-row="${party}">
              <span class="party" data-party="${partyClass(party)}">${partyKey(party)}</span>
              <progress max="${rollUp.seats}" value="${n}" aria-hidden="true"></progress>
              <strong>${n}</strong>
            </li>`)}</ul>`}
      <p class="note">${number(rollUp.seats - rollUp.seatsWithLeader)} of ${number(rollUp.seats)} seats have no counted station yet.</p>
    </section>`;
}

export function partyViewToggle(ui) {
  const choice = (value, label) =>
    html`<button type="button" data-action="party-view" data-value="${value}" aria-pressed="${ui.partyView === value}">${label}</button>`;
  return html`<div class="toggle" role="group" aria-label="Independents backed by a party">
    ${choice('countingBackedIndependents', 'Backed independents with their party')}
    ${choice('backedIndependentsApart', 'Apart')}
  </div>`;
}

/** Seat flags of one assembly, and the city's station flags by code. */
function alerts(store, assembly) {
  const seatFlags = store.seatsOf(assembly).flatMap((seat) => (seat.flags ?? []).map((flag) => ({ flag, seat })));
  const cityFlags = Object.entries(store.city?.flags ?? {}).filter(([code]) => !['rejected-at-or-above-margin', 'disputed-could-change-leader'].includes(code));
  if (seatFlags.length === 0 && cityFlags.length === 0) {
    return html`<section class="alerts calm" data-region="alerts"><h2>Flags</h2><p>No flags raised.</p></section>`;
  }
  return html`
    <section class="alerts" aria-labelledby="alerts-title" data-region="alerts">
      <h2 id="alerts-title">Flags an editor must see <span class="count">${number(seatFlags.length)} seat${seatFlags.length === 1 ? '' : 's'}</span></h2>
      ${seatFlags.length
        ? html`<ul class="flag-list">${seatFlags.map(({ flag, seat }) => html`
            <li class="flag" data-severity="${flagSeverity(flag.code)}" data-flag="${flag.code}">
              <strong>${flagTitle(flag.code)}</strong> in <a href="#/${seat.constituency}">${seat.constituency}</a> ${seat.name ?? ''}
              <p>${flag.message}</p>
            </li>`)}</ul>`
        : ''}
      ${cityFlags.length
        ? html`<p class="note">At stations across ${areaName()}:</p>
          <ul class="chips">${cityFlags.map(([code, n]) => html`<li class="chip" data-severity="${flagSeverity(code)}" title="${code}">${flagTitle(code)} <strong>${number(n)}</strong></li>`)}</ul>`
        : ''}
    </section>`;
}

function districtTable(store, assembly) {
  const districts = [...store.districts.values()].sort((a, b) => (a.district ?? '').localeCompare(b.district ?? ''));
  if (districts.length === 0) return '';
  return html`
    <section class="panel" aria-labelledby="districts-title" data-region="districts">
      <h2 id="districts-title">Districts</h2>
      <div class="table-wrap">
      <table class="responsive">
        <thead><tr>
          <th scope="col">District</th><th scope="col">Seats led</th><th scope="col" class="num">With leader</th>
          <th scope="col" class="num">Stations reported</th><th scope="col" class="num">Turnout</th>
          <th scope="col" class="num">Rejected</th><th scope="col" class="num">Flags</th>
        </tr></thead>
        <tbody>
          ${districts.flatMap((district) => rollUpsOf(district, assembly).map(({ prefix, rollUp }) => ({ district, prefix, rollUp }))).map(({ district, prefix, rollUp }) => {
            const led = Object.entries(rollUp.seatsLed?.countingBackedIndependents ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
            return html`<tr data-district="${district.district}" data-assembly="${prefix}" class="${store.isFresh(`district:${district.district}`) ? 'fresh' : ''}">
              <th scope="row" data-label="District">${district.district}${assembly === 'national' ? '' : html` <small>${prefix}</small>`}${district.postponed?.length ? html` <small class="muted" data-postponed="${district.postponed.join(' ')}">${district.postponed.length} postponed</small>` : ''}</th>
              <td data-label="Seats led">${led.length ? led.map(([party, n]) => html`<span class="party" data-party="${partyClass(party)}">${partyKey(party)} ${n}</span> `) : html`<span class="muted">none yet</span>`}</td>
              <td data-label="With leader" class="num">${rollUp.seatsWithLeader} / ${rollUp.seats}</td>
              <td data-label="Stations reported" class="num">${number(stationsIn(rollUp.stations))} / ${number(rollUp.stations.total)} <small>${share(stationsIn(rollUp.stations), rollUp.stations.total)}</small></td>
              <td data-label="Turnout" class="num">${percent(rollUp.turnout.basisPoints)}</td>
              <td data-label="Rejected" class="num">${number(rollUp.rejected)}</td>
              <td data-label="Flags" class="num">${number(flagTotal(district.flags))}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      </div>
    </section>`;
}

/** "This tally is at a head witnessed by N": the witnesses of the tree heads covering the tallies' position. */
function witnessedLine(store) {
  const witnessed = store.witnessed;
  if (!witnessed) return '';
  const count = witnessed.witnesses;
  const by = `witnessed by ${count} ${count === 1 ? 'witness' : 'witnesses'}`;
  const detail = witnessed.treeSize === null
    ? 'no witness has cosigned a tree head that covers it yet'
    : `the largest head they cosigned holds ${witnessed.treeSize} events`;
  return html`<p class="note witnessed" data-region="witnessed">This tally (position ${witnessed.position}) is at a head ${by}: ${detail}.</p>`;
}

export function renderOverview(store, ui, feedCoverage) {
  const assembly = ui.assembly;
  const all = store.seatsOf(assembly);
  const districts = [...new Set(all.map((seat) => seat.district).filter(Boolean))].sort();
  const filtered = ui.district === 'all' ? all : all.filter((seat) => seat.district === ui.district);
  const seats = sortSeats(filtered, ui.sort);
  const choice = (value) =>
    html`<button type="button" data-action="assembly" data-value="${value}" aria-pressed="${assembly === value}">${assemblies[value].title} <small>(${store.seatsOf(value).length})</small></button>`;
  const incidents = collectIncidents(store, store.summarizedStations());
  return html`
    <div class="layout">
      <div class="primary">
        <div class="title-row">
          <h1>${areaName()} at a glance</h1>
          <div class="toggle" role="group" aria-label="Assembly">${choice('national')} ${choice('provincial')}</div>
        </div>
        ${witnessedLine(store)}
        ${summaryCards(store.city, assembly)}
        ${alerts(store, assembly)}
        <section class="panel" aria-labelledby="seats-title" data-region="seats">
          <div class="panel-head">
            <h2 id="seats-title">${assemblies[assembly].title} seats <span class="count">${seats.length}</span></h2>
            <div class="controls">
              <label class="compact">Sort
                <select data-control="sort" id="control-sort">
                  ${sorts.map(([value, label]) => html`<option value="${value}" ${ui.sort === value ? html`selected` : ''}>${label}</option>`)}
                </select>
              </label>
              <label class="compact">District
                <select data-control="district" id="control-district">
                  <option value="all">All</option>
                  ${districts.map((name) => html`<option value="${name}" ${ui.district === name ? html`selected` : ''}>${name}</option>`)}
                </select>
              </label>
            </div>
          </div>
          <div class="table-wrap">
          <table class="responsive seats" data-assembly="${assembly}">
            <caption class="visually-hidden">${assemblies[assembly].title} seats: leader, runner-up, margin, stations reported of total, counted (of them verified), disputed and held stations, turnout and flags</caption>
            <thead><tr>
              <th scope="col">Seat</th><th scope="col">Leader</th><th scope="col">Runner-up</th>
              <th scope="col" class="num">Margin</th><th scope="col" class="num">Reported</th>
              <th scope="col" class="num">Counted</th><th scope="col" class="num">Disputed</th><th scope="col" class="num">Held</th>
              <th scope="col" class="num">Turnout</th><th scope="col">Flags</th>
            </tr></thead>
            <tbody>${seats.map((seat) => seatRow(store, seat))}</tbody>
          </table>
          </div>
          <p class="note">Reported: stations with at least one Form-45 that counts or disputes (held ones are not in), of all the seat's stations. Counted: stations whose votes are in the totals: one source, confirmed (two or more reporters agree) or verified by an editor. Disputed stations are left out of the counted votes until they agree. Held: stations with reports from devices not assigned there, not counted until an editor accepts them. Turnout: counted ballots over the registered voters of counted stations; "live" is the latest turnout counts of the day.</p>
        </section>
        ${seatsLed(store.city, assembly, ui)}
        ${cityCharts(store, assembly, ui)}
        ${districtTable(store, assembly)}
      </div>
      <aside class="secondary">
        ${renderIncidentFeed(incidents, ui, { scope: areaName(), coverage: feedCoverage })}
      </aside>
    </div>`;
}
