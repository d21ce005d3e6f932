// The live stream (`GET /v1/live`, server-sent events) read with fetch(), because a browser's
// EventSource cannot send the Authorization header. Reconnects by itself, resuming with
// Last-Event-ID from the last position it saw, so nothing is missed across a dropped connection.

/** Connection states, as the header shows them. */
export const LiveState = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  stopped: 'stopped',
};

/** Parses server-sent events out of text chunks, as the HTML standard says. */
export class EventStreamParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.name = '';
    this.data = [];
    this.id = null;
    this.retry = null;
    this.comment = false;
  }

  push(text) {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const end = this.buffer.slice(start).search(/\r\n|\r|\n/);
      if (end < 0) break;
      const line = this.buffer.slice(start, start + end);
      const breakLength = this.buffer.startsWith('\r\n', start + end) ? 2 : 1;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (breakLength === 1 && this.buffer[start + end] === '\r' && start + end + 1 === this.buffer.length) break;
      start += end + breakLength;
      this.line(line);
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0 || this.name) {
        this.onEvent({ name: this.name || 'message', data: this.data.join('\n'), id: this.id, retry: this.retry });
      } else if (this.comment) {
        this.onEvent({ name: 'heartbeat', data: '', id: null, retry: this.retry });
      } else if (this.retry !== null) {
        this.onEvent({ name: 'retry', data: '', id: null, retry: this.retry });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) {
      this.comment = true;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event': this.name = value; break;
      case 'data': this.data.push(value); break;
      case 'id': if (!value.includes('\0')) this.id = value; break;
      case 'retry': if (/^\d+$/.test(value)) this.retry = Number(value); break;
      default: break;
    }
  }
}

/**
 * One live stream for as long as the page wants it: `onEvent({name, data, id})` for each `hello`,
 * `tallies` and `reload` (what changed since the last position is no longer kept: read everything again), `onState(state, detail)` when the connection changes, `onUnauthorized(error)` when the
 * server refuses the credentials (the stream then stops).
 */
export class LiveStream {
  constructor({ token, lastEventID, onEvent, onState, onUnauthorized }) {
    this.token = token;
    this.lastEventID = lastEventID ?? null;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onUnauthorized = onUnauthorized;
    this.retryMilliseconds = 3000;
    this.failures = 0;
    this.running = false;
    this.controller = null;
    this.heardAt = 0;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.loop();
    // Three heartbeats (15 s each) missed: the connection is dead even if the socket says otherwise.
    this.watchdog = setInterval(() => {
      if (this.controller && this.heardAt && Date.now() - this.heardAt > 50_000) this.controller.abort();
    }, 5000);
  }

  stop() {
    this.running = false;
    clearInterval(this.watchdog);
    this.controller?.abort();
    this.onState(LiveState.stopped);
  }

  async loop() {
    while (this.running) {
      this.onState(this.failures === 0 ? LiveState.connecting : LiveState.reconnecting, { resumeFrom: this.lastEventID });
      try {
        await this.connect();
      } catch (error) {
        if (!this.running) return;
        if (error.unauthorized) {
          this.running = false;
          clearInterval(this.watchdog);
          this.onUnauthorized(error);
          return;
        }
      }
      if (!this.running) return;
      this.failures += 1;
      const wait = Math.min(30_000, this.retryMilliseconds * Math.min(this.failures, 5)) * (0.8 + 0.4 * Math.random());
      this.onState(LiveState.reconnecting, { inSeconds: Math.round(wait / 1000), resumeFrom: this.lastEventID });
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async connect() {
    this.controller = new AbortController();
    const headers = { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' };
    if (this.lastEventID !== null) headers['Last-Event-ID'] = String(this.lastEventID);
    const response = await fetch('/v1/live', { headers, cache: 'no-store', signal: this.controller.signal });
    if (response.status === 401 || response.status === 403) {
      let detail = '';
      try {
        detail = (await response.json()).detail ?? '';
      } catch {
        detail = response.statusText;
      }
      throw Object.assign(new Error(detail || 'the server refused the credentials'), { unauthorized: true });
    }
    if (!response.ok || !response.body) throw new Error(`the live stream answered ${response.status}`);

    const parser = new EventStreamParser((event) => this.received(event));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    this.heardAt = Date.now();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      this.heardAt = Date.now();
      parser.push(value);
    }
  }

  received(event) {
    if (event.retry !== null && event.retry !== undefined) this.retryMilliseconds = event.retry;
    if (event.id !== null && event.id !== undefined && event.id !== '') this.lastEventID = event.id;
    if (event.name === 'hello') {
      this.failures = 0;
      this.onState(LiveState.live, { position: Number(event.id) });
    }
    if (event.name === 'hello' || event.name === 'tallies' || event.name === 'reload') {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      this.onEvent({ name: event.name, id: event.id, data });
    } else if (event.name === 'heartbeat') {
      this.onEvent({ name: 'heartbeat', id: null, data: null });
    }
  }
}
