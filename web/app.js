// lbrec's placeholder UI: the landing form and the results page. No framework, no inline code
// (the server's Content-Security-Policy forbids it), and data from the server only ever reaches
// the page through textContent.
'use strict';

const USERNAME_RE = /^[A-Za-z0-9_-]{1,50}$/;
const COUNTRY_RE = /^[A-Z]{2}$/;
const DEFAULT_COUNTRY = 'CL';

function $(id) {
  return document.getElementById(id);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// ---- landing page ----

function initLanding(form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const username = $('username').value.trim();
    const country = $('country').value;
    if (!USERNAME_RE.test(username)) {
      $('username').reportValidity();
      return;
    }
    const cc = COUNTRY_RE.test(country) ? country : DEFAULT_COUNTRY;
    window.location.assign('/' + encodeURIComponent(username) + '?country=' + cc);
  });
}

// ---- results page ----

function newRequestId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') {
    return window.crypto.randomUUID();
  }
  // randomUUID needs a secure context; getRandomValues does not.
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}

function isComplete(data) {
  return data !== null && typeof data === 'object' && data.status === 'complete';
}

class ResultsPage {
  constructor(username, country) {
    this.username = username;
    this.country = country;
    this.requestId = newRequestId();
    this.streams = [];
    this.cards = new Map();  // tmdb_id (or title) -> <li>
    this.finished = false;
  }

  start() {
    document.title = this.username + ': lbrec';
    $('heading').textContent = 'Recommendations for ' + this.username;
    const q = '?request_id=' + encodeURIComponent(this.requestId);
    // The streams open before the job is posted, as the seed's client does; the server holds
    // them for an id it has not seen yet.
    this.open('/api/logs-stream' + q, (data) => this.onLog(data));
    this.open('/api/recommendations-stream' + q, (data) => this.onRecommendation(data));
    this.open('/api/status-stream' + q, (data) => this.onStatus(data));
    this.setStatus('Reading ' + this.username + '\u2019s films\u2026');
    this.post();
  }

  open(url, handler) {
    const source = new EventSource(url);
    source.addEventListener('message', (event) => {
      const data = parseJson(event.data);
      if (data === null) return;
      handler(data);
      if (isComplete(data)) source.close();
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED && !this.finished) {
        this.showError({error: 'Lost the connection to the server.'});
      }
    });
    this.streams.push(source);
  }

  closeStreams() {
    for (const source of this.streams) source.close();
  }

  async post() {
    let response;
    try {
      response = await fetch('/api/recommend', {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({
          username: this.username,
          country: this.country,
          request_id: this.requestId,
          include_streaming: true,
        }),
      });
    } catch (e) {
      this.fail({error: 'Could not reach the server.'});
      return;
    }
    if (!response.ok) {
      const body = parseJson(await response.text());
      this.fail(body || {error: 'The server answered ' + response.status + '.'});
    }
  }

  onLog(data) {
    if (typeof data.message === 'string' && data.message !== '') {
      $('log').append(el('li', null, data.message));
    }
  }

  onStatus(data) {
    if (isComplete(data)) return;
    if (typeof data.title !== 'string') return;
    let text = 'Exploring films like ' + data.title;
    if (typeof data.user_rating === 'number') {
      text += ' (rated ' + data.user_rating + '\u2605)';
    }
    this.setStatus(text + '\u2026');
  }

  onRecommendation(data) {
    if (isComplete(data)) {
      this.setStatus('Putting the list in its final order\u2026');
      this.fetchResult(0);
      return;
    }
    if (data.error) {
      this.showError(data);
      return;
    }
    if (typeof data.title !== 'string') return;
    const key = data.tmdb_id !== undefined ? 'id:' + data.tmdb_id : 'title:' + data.title;
    const card = renderCard(data);
    const old = this.cards.get(key);
    if (old) {
      old.replaceWith(card);
    } else {
      $('recommendations').append(card);
    }
    this.cards.set(key, card);
  }

  async fetchResult(attempt) {
    const url = '/api/result?request_id=' + encodeURIComponent(this.requestId);
    let response;
    let body;
    try {
      response = await fetch(url, {headers: {Accept: 'application/json'}});
      body = parseJson(await response.text());
    } catch (e) {
      this.fail({error: 'Could not fetch the final list.'});
      return;
    }
    if (response.status === 202 && attempt < 20) {
      window.setTimeout(() => this.fetchResult(attempt + 1), 500);
      return;
    }
    this.finished = true;
    this.closeStreams();
    if (!response.ok || body === null || body.error) {
      this.showError(body || {error: 'The server answered ' + response.status + '.'});
      return;
    }
    this.showFinal(body);
  }

  showFinal(payload) {
    const recs = Array.isArray(payload.recommendations) ? payload.recommendations : [];
    const list = $('recommendations');
    list.replaceChildren(...recs.filter((r) => r && typeof r.title === 'string').map(renderCard));
    if (payload.hint) {
      $('notice').textContent = String(payload.hint);
      $('notice').hidden = false;
    }
    const where = payload.country_name ? ' (streaming in ' + payload.country_name + ')' : '';
    this.setStatus(recs.length === 0 ? 'No recommendations found.'
                                     : recs.length + ' recommendations' + where + '.');
  }

  setStatus(text) {
    $('status').textContent = text;
  }

  showError(payload) {
    $('error-message').textContent = String(payload.error || 'Something went wrong.');
    $('error-hint').textContent = payload.hint ? String(payload.hint) : '';
    $('error').hidden = false;
    this.setStatus('Stopped.');
  }

  fail(payload) {
    this.finished = true;
    this.closeStreams();
    this.showError(payload);
  }
}

function renderCard(rec) {
  const card = el('li', 'card');
  const title = el('h2', 'card-title', rec.title);
  if (rec.year) title.append(' ', el('span', 'year', '(' + rec.year + ')'));
  card.append(title);

  const meta = [];
  if (rec.director) meta.push(String(rec.director));
  if (typeof rec.rating_tmdb === 'number') meta.push('TMDB ' + rec.rating_tmdb.toFixed(1));
  if (meta.length > 0) card.append(el('p', 'meta', meta.join(' \u00b7 ')));

  if (Array.isArray(rec.streaming)) {
    const text = rec.streaming.length > 0 ? 'Streaming on ' + rec.streaming.join(', ')
                                          : 'Not streaming here';
    card.append(el('p', 'streaming', text));
  }
  if (rec.reason) card.append(el('p', 'reason', rec.reason));
  return card;
}

function initResults() {
  let username = '';
  try {
    username = decodeURIComponent(window.location.pathname.replace(/^\/+|\/+$/g, ''));
  } catch (e) {
    username = '';
  }
  const params = new URLSearchParams(window.location.search);
  const country = (params.get('country') || DEFAULT_COUNTRY).toUpperCase();
  const page = new ResultsPage(username, COUNTRY_RE.test(country) ? country : DEFAULT_COUNTRY);
  if (!USERNAME_RE.test(username)) {
    page.showError({
      error: 'That is not a Letterboxd username.',
      hint: 'Usernames are 1 to 50 letters, digits, underscores or hyphens.',
    });
    return;
  }
  page.start();
}

document.addEventListener('DOMContentLoaded', () => {
  const form = $('search-form');
  if (form) {
    initLanding(form);
  } else if ($('results')) {
    initResults();
  }
});
