// Form-45 figures side by side: a row per candidate (in the seat's order), then rejected ballots,
// total cast and the registered voters printed on the form; a column per source (the counted
// figures, a disputed range, each report). Cells that differ between the compared columns are marked.

import { html, number, partyBadge } from './format.js';

function candidateLabel(store, id) {
  const candidate = store.candidate(id);
  return candidate ? html`${candidate.name} ${partyBadge(candidate)}` : html`${id}`;
}

/** Whether two sets of figures agree as the protocol says: rejected, total cast and every candidate's votes (absent = 0). */
export function figuresAgree(a, b) {
  if (!a || !b || a.rejected !== b.rejected || a.totalCast !== b.totalCast) return false;
  const ids = new Set([...Object.keys(a.votes ?? {}), ...Object.keys(b.votes ?? {})]);
  return [...ids].every((id) => (a.votes?.[id] ?? 0) === (b.votes?.[id] ?? 0));
}

/**
 * The table. Each column is `{heading, figures, compare}` (figures: votes, rejected, totalCast and,
 * for a report, registeredVoters; `compare`: whether its cells are compared) or `{heading, range}`
 * (a disputed result's range).
 */
export function form45Table(store, constituency, columns, caption) {
  const ids = new Set();
  for (const column of columns) {
    for (const id of Object.keys(column.figures?.votes ?? column.range?.maximum ?? {})) ids.add(id);
  }
  const seat = store.seats.get(constituency);
  const order = new Map((seat?.candidates ?? []).map((c, i) => [c.candidate, i]));
  const candidates = [...ids].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b));
  const compared = columns.filter((column) => column.compare);
  const row = (label, figure, range, key) => {
    const values = compared.map((column) => figure(column.figures) ?? 0);
    return html`
      <tr class="${new Set(values).size > 1 ? 'differs' : ''}" ${key ? html`data-candidate="${key}"` : ''}>
        <th scope="row">${label}</th>
        ${columns.map((column) => {
          if (!column.range) return html`<td class="num">${number(figure(column.figures) ?? 0)}</td>`;
          const [minimum, maximum] = range(column.range);
          return html`<td class="num">${number(minimum ?? 0)} – ${number(maximum ?? 0)}</td>`;
        })}
      </tr>`;
  };
  const registered = (column) => column.figures?.registeredVoters;
  return html`
    <div class="table-wrap">
    <table class="figures">
      <caption class="visually-hidden">${caption}</caption>
      <thead><tr>
        <th scope="col">Candidate</th>
        ${columns.map((column) => html`<th scope="col" class="num">${column.heading}</th>`)}
      </tr></thead>
      <tbody>
        ${candidates.map((id) => row(candidateLabel(store, id), (f) => f?.votes?.[id], (r) => [r.minimum?.[id], r.maximum?.[id]], id))}
        ${row('Rejected', (f) => f?.rejected, (r) => [r.rejected?.minimum, r.rejected?.maximum])}
        ${row('Total cast', (f) => f?.totalCast, (r) => [r.totalCast?.minimum, r.totalCast?.maximum])}
        <tr><th scope="row">Registered (printed)</th>${columns.map((column) => html`<td class="num">${registered(column) === undefined ? '' : number(registered(column))}</td>`)}</tr>
      </tbody>
    </table>
    </div>`;
}
