// The results page, /<username>: runs (or follows) a recommendation job and shows it live, then
// in its final order; or shows the list saved on this device. Filters, sorts, "not interested",
// CSV export and shareable links work on whatever is shown.
import {cacheKey, loadResult, saveResult} from './cache.js';
import {offersOf, decadeOf, renderCard} from './cards.js';
import {
  applyFilters, downloadText, emptyFilters, filtersFromParams, filtersToParams, isFiltering,
  toLetterboxdCsv,
} from './filters.js';
import {Job} from './job.js';
import {
  $, COUNTRY_RE, countryName, el, fillCountrySelect, formatAgo, formatClock, formatDuration,
  isCountry, newRequestId, preferredCountry, stars, store, USERNAME_RE,
} from './util.js';

const HIDDEN_KEY = 'lbrec:hidden';
const SERVICES_KEY = 'lbrec:services';
const MAX_LOG_LINES = 500;
const RUNNING_TTL_MS = 10 * 60 * 1000;

function readPage() {
  let username = '';
  try {
    username = decodeURIComponent(window.location.pathname.replace(/^\/+|\/+$/g, ''));
  } catch (e) {
    username = window.location.pathname;
  }
  const params = new URLSearchParams(window.location.search);
  const rawCountry = params.get('country');
  const country = rawCountry === null || rawCountry === '' ? preferredCountry()
                                                          : rawCountry.trim().toUpperCase();
  const count = Number(params.get('count'));
  const minr = params.get('minr') === null || params.get('minr') === '' ? NaN : Number(params.get('minr'));
  const options = {
    count: Number.isInteger(count) && count >= 1 && count <= 200 ? count : '',
    minr: Number.isFinite(minr) && minr >= 0 && minr <= 10 ? minr : '',
    wl: params.get('wl') === '1',
  };
  const rid = params.get('rid');
  return {
    username,
    country,
    rawCountry,
    options,
    params,
    rid: rid && /^[A-Za-z0-9_-]{1,64}$/.test(rid) ? rid : null,
    refresh: params.get('refresh') === '1',
  };
}

class ResultsPage {
  constructor(page) {
    this.page = page;
    this.key = cacheKey(page.username, page.country, page.options);
    this.runningKey = `lbrec:running:${this.key}`;
    this.items = new Map();  // tmdb_id -> {rec, order, rank, node, json}
    this.arrivals = 0;
    this.final = false;
    this.payload = null;
    this.job = null;
    this.filters = filtersFromParams(page.params);
    this.hidden = new Set((store.get(HIDDEN_KEY, []) || []).filter((x) => Number.isInteger(x)));
    this.savedServices = (store.get(SERVICES_KEY, []) || []).filter((x) => typeof x === 'string');
    this.showHidden = false;
    this.logCount = 0;
    this.sources = new Set();
  }

  // --- start ---

  start() {
    const {username, country} = this.page;
    const title = $('heading');
    title.textContent = 'Recommendations for ';
    title.append(el('span', 'who', username));
    document.title = `${username}: recommendations \u00b7 lbrec`;
    this.bindControls();
    if (!USERNAME_RE.test(username)) {
      this.showError('invalid', 'That is not a Letterboxd username',
                     `\u201c${username}\u201d cannot be a Letterboxd username.`,
                     'Usernames are 1 to 50 letters, digits, underscores (_) or hyphens (-).');
      return;
    }
    if (!COUNTRY_RE.test(country)) {
      this.showError('invalid', 'That is not a country code',
                     `\u201c${this.page.rawCountry}\u201d is not a two-letter country code.`,
                     'Pick a country on the first page.');
      return;
    }
    if (isCountry(country)) store.set('lbrec:country', country);
    window.addEventListener('pagehide', () => this.job && this.job.stop());
    // Back to a page from the back/forward cache whose run was stopped on leaving: run it again.
    window.addEventListener('pageshow', (e) => {
      if (e.persisted && $('results').dataset.state === 'running') window.location.reload();
    });

    if (this.page.rid) {
      this.runJob(this.page.rid, null);
      return;
    }
    const cached = this.page.refresh ? null : loadResult(this.key);
    if (cached) {
      this.showSaved(cached);
      return;
    }
    const running = store.get(this.runningKey);
    if (!this.page.refresh && running && typeof running.id === 'string' &&
        Date.now() - running.at < RUNNING_TTL_MS) {
      this.runJob(running.id, null, {resumed: true});
      return;
    }
    this.runJob(newRequestId(), this.requestBody());
  }

  requestBody() {
    const {username, country, options} = this.page;
    const body = {username, country, include_streaming: true};
    if (options.count !== '') body.count = options.count;
    if (options.minr !== '') body.min_rating = options.minr;
    if (options.wl) body.include_watchlist = true;
    return body;
  }

  // The page's own URL without one-shot parameters, with the current filters.
  cleanUrl() {
    const params = new URLSearchParams(this.page.params);
    params.delete('rid');
    params.delete('refresh');
    if (!params.has('country')) params.set('country', this.page.country);
    // A link carries the services it filters on, so it shows the same list to someone else.
    const services = this.filters.services || this.savedServices;
    const q = filtersToParams({...this.filters, services}, params).toString();
    return `${window.location.pathname}${q ? `?${q}` : ''}`;
  }

  syncUrl() {
    const url = this.cleanUrl();
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(null, '', url);
    }
  }

  // --- running a job ---

  runJob(requestId, body, how = {}) {
    this.resetView();
    this.setState('running');
    this.setStatus(`Reading ${this.page.username}\u2019s films\u2026`);
    this.announce(`Getting recommendations for ${this.page.username}\u2026`);
    this.syncUrl();
    store.set(this.runningKey, {id: requestId, at: Date.now()});
    if (body) body.request_id = requestId;
    this.job = new Job(requestId, body, {
      onEvent: (stream, data) => this.onEvent(stream, data),
      onResult: (status, payload, retryAfter) => this.onResult(status, payload, retryAfter, how),
      onNetwork: (net) => this.onNetwork(net),
      onWait: (text) => {
        if (text) this.setStatus(text);
      },
      onProgress: (p) => this.onProgress(p),
    });
    this.job.start();
  }

  resetView() {
    if (this.job) this.job.stop();
    this.items.clear();
    this.arrivals = 0;
    this.final = false;
    this.payload = null;
    this.sources.clear();
    $('cards').replaceChildren();
    $('log').replaceChildren();
    $('log-panel').hidden = true;
    this.logCount = 0;
    for (const id of ['error', 'stale-banner', 'network-banner', 'saved-note', 'prefs', 'attribution']) {
      $(id).hidden = true;
    }
    this.render();
  }

  onEvent(stream, data) {
    if (stream === 'logs') {
      if (typeof data.message === 'string' && data.message !== '') this.log(data.message);
      return;
    }
    if (stream === 'status') {
      if (data.status === 'complete' || typeof data.title !== 'string') return;
      const rated = typeof data.user_rating === 'number' && data.user_rating > 0
                        ? ` (you gave it ${stars(data.user_rating)})`
                        : '';
      const status = $('status');
      status.replaceChildren('Exploring films like ', el('cite', 'seed-title', data.title),
                             `${rated}\u2026`);
      return;
    }
    if (stream === 'recommendations') {
      if (data.status === 'complete') {
        if (!this.final) this.setStatus('Putting the list in its final order\u2026');
        return;
      }
      if (typeof data.title === 'string' && data.tmdb_id !== undefined) this.addRec(data);
    }
  }

  onProgress(p) {
    if (this.final || !p) return;
    const parts = [];
    if (p.films) parts.push(`${p.films} films read`);
    if (p.seeds) parts.push(`${p.seeds_explored || 0} of ${p.seeds} favourites explored`);
    if (parts.length > 0) this.setStatus(`Working: ${parts.join(', ')}\u2026`);
  }

  onNetwork({down, kind, text}) {
    $('network-title').textContent = kind === 'live' ? 'The live connection keeps dropping.'
                                                     : 'Can\u2019t reach the lbrec server.';
    $('network-text').textContent = text || '';
    $('network-banner').hidden = !down;
  }

  onResult(status, body, retryAfter, how) {
    store.remove(this.runningKey);
    const payload = body && typeof body === 'object' ? body : {};
    if (status === 200 && Array.isArray(payload.recommendations)) {
      this.showFinal(payload);
      saveResult(this.key, {
        username: this.page.username,
        country: this.page.country,
        options: this.page.options,
        url: this.cleanUrl().replace(/\?.*$/, '') + `?${this.jobQuery()}`,
        payload,
      });
      return;
    }
    const code = typeof payload.code === 'string' ? payload.code : '';
    const message = typeof payload.error === 'string' ? payload.error : `The server answered ${status}.`;
    const hint = typeof payload.hint === 'string' ? payload.hint : '';
    if (status === 404 && code === 'not_found') {
      this.showError('not_found', `No films found for ${this.page.username}`, message, hint);
    } else if (status === 404) {
      if (how.resumed) {
        // The job this tab was following is gone (expired, or the server restarted).
        this.runJob(newRequestId(), this.requestBody());
        return;
      }
      this.showError('expired', 'This request has expired', message, hint, true);
    } else if (status === 400 || status === 413) {
      this.showError('invalid', 'The server could not take this request', message, hint);
    } else if (status === 503 || status === 429 || code === 'blocked' || code === 'rate_limited') {
      const incident = payload.incident && typeof payload.incident === 'object' ? payload.incident : {};
      let wait = retryAfter;
      if (!(wait > 0) && typeof incident.letterboxd_circuit_retry_after_s === 'number') {
        wait = incident.letterboxd_circuit_retry_after_s;
      }
      const when = wait > 0
                       ? `Try again in ${formatDuration(wait)} (after ${formatClock(new Date(Date.now() + wait * 1000))}).`
                       : 'Try again in a few minutes.';
      // With a time to give, the server's generic "try again later" hint says nothing more.
      this.showError('blocked', 'Letterboxd is not letting us in right now', `${message} ${when}`,
                     wait > 0 ? '' : hint, true);
      $('error').dataset.retryAfter = wait > 0 ? String(wait) : '';
    } else {
      this.showError('server', 'Something went wrong', message, hint, true);
    }
    // A list saved on this device is better than nothing while the live one fails.
    const saved = loadResult(this.key);
    if (saved && this.items.size === 0) this.showSaved(saved, {keepError: true});
  }

  jobQuery() {
    const q = new URLSearchParams();
    q.set('country', this.page.country);
    if (this.page.options.count !== '') q.set('count', String(this.page.options.count));
    if (this.page.options.minr !== '') q.set('minr', String(this.page.options.minr));
    if (this.page.options.wl) q.set('wl', '1');
    return q.toString();
  }

  // --- showing results ---

  addRec(rec) {
    const id = rec.tmdb_id;
    const json = JSON.stringify(rec);
    const existing = this.items.get(id);
    if (existing) {
      if (existing.json === json) return;
      existing.rec = rec;
      existing.json = json;
      existing.node = this.renderNode(existing);
    } else {
      const item = {rec, order: this.arrivals++, rank: 0, json, node: null};
      item.node = this.renderNode(item);
      item.node.classList.add('card-new');
      this.items.set(id, item);
      if (this.items.size === 1) this.announce('The first recommendations are arriving.');
    }
    if (rec.streaming_source) this.sources.add(rec.streaming_source);
    this.render();
  }

  renderNode(item) {
    const hidden = this.hidden.has(item.rec.tmdb_id);
    return renderCard(item.rec, item.rank, {
      countryName: this.payload && this.payload.country_name ? this.payload.country_name
                                                             : countryName(this.page.country),
      hidden,
      onHide: (rec) => this.hide(rec, true),
      onUnhide: (rec) => this.hide(rec, false),
    });
  }

  showFinal(payload, saved = null) {
    this.payload = payload;
    const recs = payload.recommendations.filter(
        (r) => r && typeof r === 'object' && typeof r.title === 'string' && r.tmdb_id !== undefined);
    const next = new Map();
    recs.forEach((rec, i) => {
      const json = JSON.stringify(rec);
      const old = this.items.get(rec.tmdb_id);
      const item = old || {rec, order: i, rank: i + 1, json, node: null};
      item.order = i;
      item.rank = i + 1;
      if (!old || old.json !== json) {
        item.rec = rec;
        item.json = json;
        item.node = this.renderNode(item);
      } else {
        const rank = item.node.querySelector('.rank');
        if (rank) rank.textContent = `${item.rank}.`;
      }
      if (rec.streaming_source) this.sources.add(rec.streaming_source);
      next.set(rec.tmdb_id, item);
    });
    this.items = next;
    this.final = true;
    this.setState('done');

    const where = payload.country_name ? `, streaming in ${payload.country_name}` : '';
    const n = recs.length;
    if (n === 0) {
      this.setStatus(`No recommendations found for ${this.page.username}. Try a lower minimum rating.`);
    } else {
      this.setStatus(`${n} film${n === 1 ? '' : 's'} for ${this.page.username}${where}.` +
                     (payload.cancelled ? ' (The run was stopped early.)' : ''));
    }
    this.announce($('status').textContent);
    this.renderPreferences(payload);
    const stale = payload.data_freshness === 'stale_cache';
    $('stale-banner').hidden = !stale;
    $('stale-text').textContent = stale && typeof payload.hint === 'string' ? payload.hint : '';
    if (saved) {
      $('saved-text').textContent = `Saved on this device ${formatAgo(saved.savedAt)}.`;
      $('saved-note').hidden = false;
    }
    this.render();
  }

  showSaved(entry, how = {}) {
    if (!how.keepError) this.resetView();
    this.page.options = entry.options || this.page.options;
    this.showFinal(entry.payload, entry);
    if (how.keepError) this.setState('error');
    this.syncUrl();
  }

  renderPreferences(payload) {
    const prefs = payload.preferences && typeof payload.preferences === 'object' ? payload.preferences : null;
    const list = $('prefs-list');
    list.replaceChildren();
    let any = false;
    for (const [key, label] of [['genres', 'Genres'], ['directors', 'Directors'], ['decades', 'Decades']]) {
      const values = prefs && Array.isArray(prefs[key]) ? prefs[key].filter((v) => typeof v === 'string') : [];
      if (values.length === 0) continue;
      any = true;
      list.append(el('dt', null, label), el('dd', null, values.join(', ')));
    }
    const s = payload.stats && typeof payload.stats === 'object' ? payload.stats : null;
    $('prefs-stats').textContent =
        s && typeof s.films === 'number'
            ? `From ${s.films} films (${s.identified} found on TMDB); ${s.seeds_explored} of ` +
                  `${s.seeds} favourites explored.`
            : '';
    $('prefs').hidden = !any;
  }

  // Applies filters and sort and puts the cards in order, moving as few nodes as possible.
  render() {
    const all = [...this.items.values()].sort((a, b) => a.order - b.order);
    const services = this.filters.services || this.savedServices;
    const visible = applyFilters(all, this.filters, services, this.hidden, this.showHidden);
    const list = $('cards');
    visible.forEach((item, i) => {
      if (list.children[i] !== item.node) list.insertBefore(item.node, list.children[i] || null);
    });
    while (list.children.length > visible.length) list.lastElementChild.remove();
    this.visible = visible;

    const total = all.length;
    const hiddenCount = all.filter((it) => this.hidden.has(it.rec.tmdb_id)).length;
    if (hiddenCount === 0) this.showHidden = false;
    $('filters-section').hidden = total === 0;
    $('shown-count').textContent =
        total === 0 ? '' : visible.length === total ? `${total} film${total === 1 ? '' : 's'}`
                                                    : `Showing ${visible.length} of ${total} films`;
    const toggle = $('show-hidden');
    toggle.hidden = hiddenCount === 0;
    toggle.textContent = this.showHidden ? `Hide the ${hiddenCount} not interested`
                                         : `Show ${hiddenCount} not interested`;
    toggle.setAttribute('aria-pressed', this.showHidden ? 'true' : 'false');
    $('empty-filtered').hidden = !(total > 0 && visible.length === 0);
    $('export-csv').disabled = visible.length === 0;
    const active = activeFilterCount(this.filters);
    $('filters-active').textContent = active > 0 ? `(${active} active)` : '';
    this.renderFilterOptions(all);
    this.renderAttribution(all);
  }

  renderFilterOptions(all) {
    const genres = new Map();
    const decades = new Set();
    for (const {rec} of all) {
      for (const g of Array.isArray(rec.genres) ? rec.genres : []) {
        if (typeof g === 'string') genres.set(g, (genres.get(g) || 0) + 1);
      }
      const d = decadeOf(rec);
      if (d !== null) decades.add(d);
    }
    if (this.filters.genre) genres.set(this.filters.genre, genres.get(this.filters.genre) || 0);
    if (this.filters.decade !== null) decades.add(this.filters.decade);
    const genreList = [...genres].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    fillSelect($('f-genre'), 'Any genre', genreList.map(([g, c]) => [g, `${g} (${c})`]),
               this.filters.genre);
    fillSelect($('f-decade'), 'Any decade',
               [...decades].sort((a, b) => b - a).map((d) => [String(d), `${d}s`]),
               this.filters.decade === null ? '' : String(this.filters.decade));
  }

  renderAttribution(all) {
    const any = all.some(({rec}) => {
      const o = offersOf(rec);
      return o.stream.length > 0 || o.paid.length > 0;
    });
    const node = $('attribution');
    if (!any) {
      node.hidden = true;
      return;
    }
    const parts = [];
    if (this.payload && typeof this.payload.streaming_attribution === 'string') {
      parts.push(`${this.payload.streaming_attribution}.`);
    } else if (this.sources.has('justwatch') || this.sources.size === 0) {
      parts.push('Streaming data provided by JustWatch.');
    }
    if (this.sources.has('tmdb')) parts.push('Some availability from TMDB, powered by JustWatch.');
    parts.push('Stream means included with a subscription, free or with ads; rent or buy costs extra.');
    node.textContent = parts.join(' ');
    node.hidden = false;
  }

  // --- filters ---

  bindControls() {
    const form = $('filters');
    // Open on wide screens; on a phone the list comes first and the filters fold away.
    const wide = window.matchMedia('(min-width: 720px)');
    $('filters-details').open = wide.matches || isFiltering(this.filters);
    wide.addEventListener('change', (e) => {
      if (e.matches) $('filters-details').open = true;
    });
    this.writeFilterForm();
    form.addEventListener('submit', (e) => e.preventDefault());
    form.addEventListener('change', () => this.readFilterForm());
    form.addEventListener('input', (e) => {
      if (e.target instanceof HTMLInputElement && e.target.type === 'number') this.readFilterForm();
    });
    const reset = () => {
      const keepServices = this.filters.services;
      this.filters = emptyFilters();
      this.filters.services = keepServices;
      this.writeFilterForm();
      this.afterFilterChange();
    };
    $('f-reset').addEventListener('click', reset);
    $('empty-reset').addEventListener('click', reset);
    $('show-hidden').addEventListener('click', () => {
      this.showHidden = !this.showHidden;
      this.render();
    });
    $('export-csv').addEventListener('click', () => this.exportCsv());
    $('copy-link').addEventListener('click', () => this.copyLink());
    $('services-button').addEventListener('click', () => this.openServices());
    $('services-form').addEventListener('submit', (e) => this.onServicesClose(e));
    $('refresh').addEventListener('click', () => this.runJob(newRequestId(), this.requestBody()));
    $('error-retry').addEventListener('click', () => this.runJob(newRequestId(), this.requestBody()));
    this.updateServicesCount();
  }

  writeFilterForm() {
    const f = this.filters;
    $('f-sort').value = f.sort;
    $('f-rtmin').value = f.rtmin === null ? '' : String(f.rtmin);
    $('f-rtmax').value = f.rtmax === null ? '' : String(f.rtmax);
    $('f-rmin').value = f.rmin === null ? '' : String(f.rmin);
    $('f-mine').checked = f.mine;
    // Genre and decade options depend on the films; render() selects the wanted ones.
  }

  readFilterForm() {
    const num = (id, min, max) => {
      const input = $(id);
      if (input.value.trim() === '') return null;
      const n = Number(input.value);
      const ok = Number.isFinite(n) && n >= min && n <= max;
      input.setAttribute('aria-invalid', ok ? 'false' : 'true');
      return ok ? n : null;
    };
    const f = this.filters;
    f.sort = $('f-sort').value || 'rank';
    f.genre = $('f-genre').value;
    f.decade = $('f-decade').value === '' ? null : Number($('f-decade').value);
    f.rtmin = num('f-rtmin', 0, 600);
    f.rtmax = num('f-rtmax', 0, 600);
    f.rmin = num('f-rmin', 0, 10);
    const mine = $('f-mine').checked;
    if (mine && !f.mine && (f.services || this.savedServices).length === 0) {
      f.mine = true;
      this.afterFilterChange();
      this.openServices();
      return;
    }
    f.mine = mine;
    this.afterFilterChange();
  }

  afterFilterChange() {
    this.render();
    this.syncUrl();
  }

  // --- not interested ---

  hide(rec, hidden) {
    const id = rec.tmdb_id;
    const item = this.items.get(id);
    const list = $('cards');
    const index = item ? [...list.children].indexOf(item.node) : -1;
    if (hidden) this.hidden.add(id);
    else this.hidden.delete(id);
    const ids = [...this.hidden].filter((x) => Number.isInteger(x));
    store.set(HIDDEN_KEY, ids.slice(-2000));
    if (item) {
      const old = item.node;
      item.node = this.renderNode(item);
      old.replaceWith(item.node);
    }
    this.render();
    $('list-note').textContent = hidden ? `\u201c${rec.title}\u201d hidden: it will stay hidden on this device.`
                                        : `\u201c${rec.title}\u201d is back in the list.`;
    // Keep the keyboard where it was: on the next card, or on the same card when it stays.
    const target = item && item.node.isConnected ? item.node : list.children[Math.max(0, index)] || null;
    const focusable = target ? target.querySelector('.hide-button') : null;
    if (focusable) focusable.focus();
    else list.focus();
  }

  // --- my services ---

  knownProviders() {
    const names = new Set(this.savedServices);
    for (const s of this.filters.services || []) names.add(s);
    for (const {rec} of this.items.values()) {
      for (const o of offersOf(rec).stream) names.add(o.provider);
    }
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  openServices() {
    const box = $('services-options');
    box.replaceChildren();
    const chosen = new Set(this.filters.services || this.savedServices);
    const providers = this.knownProviders();
    if (providers.length === 0) {
      box.append(el('p', 'help', 'No streaming service appears in these results yet.'));
    }
    providers.forEach((name, i) => {
      const row = el('div', 'check');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.id = `svc-${i}`;
      input.value = name;
      input.checked = chosen.has(name);
      const label = el('label', null, name);
      label.htmlFor = input.id;
      row.append(input, label);
      box.append(row);
    });
    const dialog = $('services-dialog');
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }

  onServicesClose(event) {
    const submitter = event.submitter;
    if (submitter && submitter.value === 'save') {
      const picked = [...$('services-options').querySelectorAll('input[type=checkbox]')]
                         .filter((i) => i.checked)
                         .map((i) => i.value);
      this.savedServices = picked;
      store.set(SERVICES_KEY, picked);
      this.filters.services = null;  // the remembered set from now on, not a shared link's
      this.filters.mine = picked.length > 0 ? $('f-mine').checked || this.filters.mine : false;
      $('f-mine').checked = this.filters.mine;
    } else if ((this.filters.services || this.savedServices).length === 0) {
      this.filters.mine = false;
      $('f-mine').checked = false;
    }
    this.updateServicesCount();
    this.afterFilterChange();
    $('services-button').focus();
  }

  updateServicesCount() {
    const n = (this.filters.services || this.savedServices).length;
    $('services-count').textContent = n > 0 ? ` (${n})` : '';
  }

  // --- export and share ---

  exportCsv() {
    const recs = (this.visible || []).map((it) => it.rec);
    if (recs.length === 0) return;
    const name = `lbrec-${this.page.username}-${this.page.country}.csv`.replace(/[^A-Za-z0-9_.-]/g, '_');
    downloadText(name, toLetterboxdCsv(recs), 'text/csv;charset=utf-8');
    $('list-note').textContent = `Exported ${recs.length} film${recs.length === 1 ? '' : 's'} to ${name} ` +
                                 '(import it at letterboxd.com/import).';
  }

  async copyLink() {
    const url = window.location.origin + this.cleanUrl();
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(url);
        copied = true;
      }
    } catch (e) {
      copied = false;
    }
    const note = $('list-note');
    if (copied) {
      note.textContent = 'Link copied: it opens this list with the same filters.';
    } else {
      note.replaceChildren('Copy this link: ');
      const input = el('input', 'share-url');
      input.type = 'text';
      input.readOnly = true;
      input.value = url;
      input.setAttribute('aria-label', 'Link to this list');
      note.append(input);
      input.select();
    }
    $('list-note').dataset.url = url;
  }

  // --- status, log, errors ---

  setState(state) {
    $('results').dataset.state = state;
    $('cards').setAttribute('aria-busy', state === 'running' ? 'true' : 'false');
  }

  setStatus(text) {
    $('status').textContent = text;
  }

  // The status line changes with every seed film; a screen reader hears only the milestones.
  announce(text) {
    $('announcer').textContent = text;
  }

  log(message) {
    const list = $('log');
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(el('li', null, message));
    $('log-panel').hidden = false;
    this.logCount += 1;
    while (list.children.length > MAX_LOG_LINES) list.firstElementChild.remove();
    if (nearBottom) list.scrollTop = list.scrollHeight;
  }

  showError(kind, title, message, hint, retry = false) {
    this.setState('error');
    const panel = $('error');
    panel.dataset.kind = kind;
    $('error-title').textContent = title;
    $('error-message').textContent = message;
    $('error-hint').textContent = hint || '';
    $('error-hint').hidden = !hint;
    $('error-retry').hidden = !retry;
    panel.hidden = false;
    this.setStatus('Stopped.');
    this.announce('');
    $('network-banner').hidden = true;
  }
}

function activeFilterCount(f) {
  return [f.genre, f.decade !== null, f.rtmin !== null || f.rtmax !== null, f.rmin !== null, f.mine]
      .filter(Boolean).length;
}

function fillSelect(select, anyLabel, options, selected) {
  const wanted = [['', anyLabel], ...options];
  const same = select.options.length === wanted.length &&
               wanted.every(([v, t], i) => select.options[i].value === v && select.options[i].text === t);
  if (!same) {
    select.replaceChildren();
    for (const [value, text] of wanted) {
      const o = el('option', null, text);
      o.value = value;
      select.append(o);
    }
  }
  select.value = selected || '';
}

function initCountrySwitch(page) {
  const select = $('country-switch');
  if (!select) return;
  fillCountrySelect(select, page.country);
  $('country-form').addEventListener('submit', (e) => e.preventDefault());
  select.addEventListener('change', () => {
    const params = new URLSearchParams(window.location.search);
    params.set('country', select.value);
    params.delete('rid');
    params.delete('refresh');
    window.location.assign(`${window.location.pathname}?${params}`);
  });
}

export function initResults() {
  const page = readPage();
  initCountrySwitch(page);
  new ResultsPage(page).start();
}
