// One recommendation job seen from the browser: the POST that starts it, its three SSE streams
// (logs, recommendations, status) and GET /api/result for the final payload.
//
// Streams reconnect on their own schedule, with capped exponential backoff; events already seen
// (by their SSE id) are skipped after a reconnect, since a new EventSource starts from the
// oldest retained event. While a stream is in trouble, /api/result is polled instead, so a
// proxy that breaks SSE still ends in a result. A slow watchdog poll covers a stream that goes
// quiet without an error.
import {backoffDelay, parseJson, retryAfterSeconds} from './util.js';

const WATCHDOG_MS = 15000;
const LOG_GRACE_MS = 15000;
const STREAMS = [
  ['logs', '/api/logs-stream'],
  ['recommendations', '/api/recommendations-stream'],
  ['status', '/api/status-stream'],
];

class LiveStream {
  constructor(name, url, job) {
    this.name = name;
    this.url = url;
    this.job = job;
    this.lastId = 0;
    this.failures = 0;
    this.closed = false;
    this.complete = false;
    this.source = null;
    this.timer = 0;
  }

  open() {
    if (this.closed) return;
    const source = new EventSource(this.url);
    this.source = source;
    source.addEventListener('open', () => {
      this.failures = 0;
      this.job.streamUp(this);
    });
    source.addEventListener('message', (event) => this.onMessage(event));
    source.addEventListener('error', () => {
      if (this.closed || source !== this.source) return;
      // EventSource would retry by itself at a fixed pace (or give up on an HTTP error); this
      // takes over so the pace backs off and every failure is seen.
      source.close();
      this.failures += 1;
      const delay = backoffDelay(this.failures);
      this.job.streamDown(this, delay);
      this.timer = window.setTimeout(() => {
        this.timer = 0;
        this.open();
      }, delay);
    });
  }

  onMessage(event) {
    const id = Number(event.lastEventId);
    if (Number.isInteger(id) && id > 0) {
      if (id <= this.lastId) return;  // replayed after a reconnect
      this.lastId = id;
    }
    const data = parseJson(event.data);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return;
    this.job.event(this.name, data);
    if (data.status === 'complete') {
      this.complete = true;
      this.close();
      this.job.streamComplete(this);
    }
  }

  // Reconnects now if a retry is pending (the network came back).
  kick() {
    if (this.closed || !this.timer) return;
    window.clearTimeout(this.timer);
    this.timer = 0;
    this.open();
  }

  close() {
    this.closed = true;
    window.clearTimeout(this.timer);
    if (this.source) this.source.close();
  }
}

export class Job {
  // request: the JSON body for POST /api/recommend, or null to follow a job already started
  // (an export upload). handlers: onEvent(stream, data), onResult(status, body, retryAfterS),
  // onNetwork({down, text}), onWait(text|null), onProgress(progress).
  constructor(requestId, request, handlers) {
    this.requestId = requestId;
    this.request = request;
    this.h = handlers;
    this.finished = false;
    this.accepted = request === null;
    this.streams = [];
    this.timers = new Set();
    this.polling = false;
    this.pollAttempt = 0;
    this.resultInFlight = false;
    this.troubled = new Set();
    this.fetchFailures = 0;
    this.fetchWorks = false;  // a request went through since the last failure
  }

  start() {
    this.onOnline = () => this.retryNow();
    window.addEventListener('online', this.onOnline);
    const q = `?request_id=${encodeURIComponent(this.requestId)}`;
    // The streams open before the job is posted, as the seed's client does: the server holds
    // them for an id it has not seen yet, so no early event is missed.
    for (const [name, path] of STREAMS) {
      const stream = new LiveStream(name, path + q, this);
      this.streams.push(stream);
      stream.open();
    }
    if (this.request) {
      this.post(0);
    } else {
      this.schedule(() => this.fetchResult('watchdog'), WATCHDOG_MS);
    }
  }

  stop() {
    this.finished = true;
    window.clearTimeout(this.graceTimer);
    if (this.onOnline) window.removeEventListener('online', this.onOnline);
    for (const s of this.streams) s.close();
    for (const t of this.timers) window.clearTimeout(t);
    this.timers.clear();
  }

  schedule(fn, ms) {
    const t = window.setTimeout(() => {
      this.timers.delete(t);
      if (!this.finished) fn();
    }, ms);
    this.timers.add(t);
  }

  // --- network health, shown as one banner ---

  // The network is back (the browser says so, or a request just went through): streams waiting
  // out a backoff reconnect at once.
  retryNow() {
    for (const s of this.streams) s.kick();
  }

  networkOk() {
    if (this.fetchFailures > 0 || this.troubled.size > 0) this.retryNow();
    this.fetchFailures = 0;
    this.fetchWorks = true;
    if (this.troubled.size === 0) {
      this.h.onNetwork({down: false, text: ''});
    } else {
      this.networkTrouble(0, 'live');
    }
  }

  // kind 'server': nothing gets through; 'live': requests work but the event streams do not (a
  // proxy that buffers them, say), so the page polls for the result instead.
  networkTrouble(delayMs, kind = 'server') {
    const s = Math.max(1, Math.round(delayMs / 1000));
    const text = kind === 'live'
                     ? 'Live updates are interrupted; the list will appear when it is ready.'
                     : `Trying again in ${s} second${s === 1 ? '' : 's'}\u2026`;
    this.h.onNetwork({down: true, kind, text});
  }

  // --- the POST ---

  async post(attempt) {
    let response;
    let body;
    try {
      response = await fetch('/api/recommend', {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Accept: 'application/json'},
        body: JSON.stringify(this.request),
      });
      body = parseJson(await response.text());
    } catch (e) {
      if (this.finished) return;
      this.fetchFailures += 1;
      this.fetchWorks = false;
      const delay = backoffDelay(this.fetchFailures, 1000, 30000);
      this.networkTrouble(delay);
      this.schedule(() => this.post(attempt + 1), delay);
      return;
    }
    if (this.finished) return;
    this.networkOk();
    // A retried POST whose first try did reach the server finds its own request_id in use.
    if (response.status === 202 || (response.status === 409 && attempt > 0)) {
      this.accepted = true;
      this.h.onWait(null);
      if (this.polling || this.streams.every((s) => s.complete)) this.fetchResult('accepted');
      this.schedule(() => this.fetchResult('watchdog'), WATCHDOG_MS);
      return;
    }
    if (response.status === 429 || (response.status === 503 && body && !body.code)) {
      // Rate limited, or the server's queue is full: wait as asked, then try again.
      const wait = retryAfterSeconds(response) || Math.round(backoffDelay(attempt + 1, 2000) / 1000);
      this.h.onWait(response.status === 429
                        ? `Too many requests from this device: trying again in ${wait} s\u2026`
                        : `The server is busy: trying again in ${wait} s\u2026`);
      this.schedule(() => this.post(attempt + 1), wait * 1000);
      return;
    }
    this.finish(response.status, body, retryAfterSeconds(response));
  }

  // --- streams ---

  event(stream, data) {
    // After the result only the log still matters (the final list and status are shown).
    if (this.finished && stream !== 'logs') return;
    this.h.onEvent(stream, data);
  }

  streamUp(stream) {
    if (this.finished) return;
    this.troubled.delete(stream.name);
    if (this.troubled.size === 0 && this.fetchFailures === 0) {
      this.h.onNetwork({down: false, text: ''});
    }
  }

  streamDown(stream, delayMs) {
    if (this.finished) return;
    this.troubled.add(stream.name);
    if (stream.failures >= 2) {
      this.networkTrouble(delayMs, this.fetchWorks && this.fetchFailures === 0 ? 'live' : 'server');
    }
    if (stream.failures >= 2 && !this.polling) {
      this.polling = true;
      this.fetchResult('poll');
    }
  }

  streamComplete(stream) {
    if (this.finished) return;
    this.troubled.delete(stream.name);
    if (stream.name === 'recommendations' || stream.name === 'status') {
      this.fetchResult('complete');
    }
  }

  // --- the result ---

  async fetchResult(why) {
    if (this.finished || this.resultInFlight || !this.accepted) return;
    this.resultInFlight = true;
    let response;
    let body;
    try {
      response = await fetch(`/api/result?request_id=${encodeURIComponent(this.requestId)}`,
                             {headers: {Accept: 'application/json'}, cache: 'no-store'});
      body = parseJson(await response.text());
    } catch (e) {
      this.resultInFlight = false;
      if (this.finished) return;
      this.fetchFailures += 1;
      this.fetchWorks = false;
      const delay = backoffDelay(this.fetchFailures, 1000, 30000);
      this.networkTrouble(delay);
      this.schedule(() => this.fetchResult(why), delay);
      return;
    }
    this.resultInFlight = false;
    if (this.finished) return;
    this.networkOk();
    if (response.status === 202) {
      if (body && body.progress) this.h.onProgress(body.progress);
      const streamsDone = this.streams.some((s) => s.complete);
      if (this.polling || streamsDone) {
        // The streams said it is done (the result lands a moment later), or they are down.
        this.pollAttempt += 1;
        this.schedule(() => this.fetchResult(why),
                      streamsDone ? Math.min(3000, 250 * this.pollAttempt) : backoffDelay(this.pollAttempt, 1000, 5000));
      } else if (why === 'watchdog') {
        this.schedule(() => this.fetchResult('watchdog'), WATCHDOG_MS);
      }
      return;
    }
    if (response.status === 429) {
      const wait = retryAfterSeconds(response) || 5;
      this.schedule(() => this.fetchResult(why), wait * 1000);
      return;
    }
    this.finish(response.status, body, retryAfterSeconds(response));
  }

  // The job is over: the result (or error) is in. The log stream may still be catching up
  // (after a reconnect it replays from the start), so it stays until its terminator, for a
  // while; the others close now.
  finish(status, body, retryAfterS) {
    if (this.finished) return;
    this.finished = true;
    if (this.onOnline) window.removeEventListener('online', this.onOnline);
    for (const t of this.timers) window.clearTimeout(t);
    this.timers.clear();
    for (const s of this.streams) {
      if (s.name !== 'logs' || s.complete) s.close();
    }
    const logs = this.streams.find((s) => s.name === 'logs' && !s.closed);
    if (logs) this.graceTimer = window.setTimeout(() => logs.close(), LOG_GRACE_MS);
    this.h.onNetwork({down: false, text: ''});
    this.h.onWait(null);
    this.h.onResult(status, body, retryAfterS);
  }
}
