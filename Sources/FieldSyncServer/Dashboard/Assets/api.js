// The dashboard's side of the FieldSync API: the editor's credentials, kept in this browser, and
// requests that carry them. Only this server is ever called.

const storageKey = 'fieldsync.dashboard.credentials';

/** The editor's credentials saved in this browser: {token, device, name, role}, or null. */
export function savedCredentials() {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
    return saved && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

export function saveCredentials(credentials) {
  localStorage.setItem(storageKey, JSON.stringify(credentials));
}

export function forgetCredentials() {
  localStorage.removeItem(storageKey);
}

/** A failed request: the HTTP status and the problem's detail (RFC 9457), in words for the editor. */
export class APIError extends Error {
  constructor(status, message, problem = null) {
    super(message);
    this.status = status;
    this.problem = problem;
  }

  /** The credentials are not (or no longer) accepted: sign in again. */
  get signsOut() {
    return this.status === 401 || this.problem?.type === 'urn:fieldsync:problem:device-revoked';
  }

  /** The token has outlived its lifetime (an editor's sign-in lasts a day unless the server says otherwise). */
  get expired() {
    return this.problem?.type === 'urn:fieldsync:problem:token-expired';
  }
}

async function failure(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // Not problem+json: a proxy's page, say.
  }
  const detail = problem?.detail ?? problem?.title ?? response.statusText;
  return new APIError(response.status, `${response.status}: ${detail || 'the server refused'}`, problem);
}

/** GET a JSON document with the editor's token. */
export async function getJSON(path, token, { signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new APIError(0, 'the server cannot be reached');
  }
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** POST a JSON body with the editor's token; the answer's JSON, or an APIError carrying the problem. */
export async function postJSON(path, token, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new APIError(0, 'the server cannot be reached');
  }
  if (!response.ok) throw await failure(response);
  return response.json();
}

/**
 * Exchanges a one-time enrollment code for an editor's credentials (`POST /v1/enroll`; an editor's
 * device sends no key, and is enrolled under the name on the code). Refuses a code made for another
 * role: the dashboard is for editors. This sign-in form is the only way credentials get into the page.
 */
export async function enroll(code) {
  const body = { code: code.trim().toUpperCase() };
  let response;
  try {
    response = await fetch('/v1/enroll', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new APIError(0, 'the server cannot be reached');
  }
  if (!response.ok) {
    const error = await failure(response);
    const field = error.problem?.errors?.[0];
    if (field?.field === 'code') error.message = `That code was not accepted: ${field.problem ?? error.message}`;
    throw error;
  }
  const enrolled = await response.json();
  if (enrolled.role !== 'editor') {
    throw new APIError(
      403,
      `That code was made for the role "${enrolled.role}"; the dashboard needs an editor's code ` +
        '(fieldsync admin enroll --role editor).',
    );
  }
  return {
    token: enrolled.token,
    device: enrolled.device,
    name: enrolled.name,
    role: enrolled.role,
    server: enrolled.server?.name ?? null,
    expires: enrolled.tokenExpires ?? null,
  };
}

/**
 * What the reference data says about itself: how many definitions are marked synthetic (demo data),
 * the server's name, the election's definition (its name, time zone, polling day and assemblies), and the
 * synthetic seats. Read from `GET /v1/reference` (NDJSON); the summary
 * is kept in this browser with the list's entity tag, so an unchanged list is not downloaded again.
 */
export async function referenceSummary(token) {
  const cacheKey = 'fieldsync.dashboard.reference.v2';
  let cached = null;
  try {
    cached = JSON.parse(localStorage.getItem(cacheKey) ?? 'null');
  } catch {
    cached = null;
  }
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' };
  if (cached?.tag) headers['If-None-Match'] = cached.tag;
  const response = await fetch('/v1/reference', { headers, cache: 'no-store' });
  if (response.status === 304 && cached) return cached.summary;
  if (!response.ok) throw await failure(response);
  const summary = { server: null, election: null, definitions: 0, synthetic: 0, syntheticSeats: [], byType: {} };
  const text = await response.text();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    const data = event.data ?? {};
    if (event.type === 'fieldsync.server.identified.v1') {
      summary.server = data.name ?? null;
      continue;
    }
    if (event.type === 'fieldsync.election.defined.v1') summary.election = data;
    const kind = event.type?.split('.')[1];
    summary.definitions += 1;
    const counts = (summary.byType[kind] ??= { all: 0, synthetic: 0 });
    counts.all += 1;
    if (data.synthetic === true) {
      summary.synthetic += 1;
      counts.synthetic += 1;
      if (kind === 'constituency') summary.syntheticSeats.push(data.code);
    }
  }
  const tag = response.headers.get('ETag');
  if (tag) {
    try {
      localStorage.setItem(cacheKey, JSON.stringify({ tag, summary }));
    } catch {
      // Storage full or refused: read the list again next time.
    }
  }
  return summary;
}
