// The landing page: a username (or a Letterboxd export ZIP), a country, a few options. A username
// goes to the results page, which runs the job; an export is uploaded here and the results page
// then follows the job the upload started.
import {recentResults} from './cache.js';
import {
  $, countryName, el, fillCountrySelect, flag, formatAgo, isCountry, newRequestId, parseJson,
  preferredCountry, retryAfterSeconds, formatDuration, store, USERNAME_RE,
} from './util.js';

const DEFAULT_COUNT = 30;
const DEFAULT_MIN_RATING = 7;

// The query string of the results page for the chosen options (defaults are left out, so the
// common URL stays /<username>?country=CC).
function optionsQuery(country) {
  const q = new URLSearchParams();
  q.set('country', country);
  const count = Number($('count').value);
  if (Number.isInteger(count) && count >= 1 && count <= 200 && count !== DEFAULT_COUNT) {
    q.set('count', String(count));
  }
  const minRating = $('min-rating').value === '' ? NaN : Number($('min-rating').value);
  if (Number.isFinite(minRating) && minRating >= 0 && minRating <= 10 &&
      minRating !== DEFAULT_MIN_RATING) {
    q.set('minr', String(minRating));
  }
  if ($('include-watchlist').checked) q.set('wl', '1');
  return q;
}

function showFieldError(id, message) {
  const node = $(id);
  node.textContent = message;
  node.hidden = !message;
}

function validateUsername() {
  const input = $('username');
  const value = input.value.trim();
  let message = '';
  if (value === '') {
    message = 'Type a Letterboxd username.';
  } else if (value.length > 50) {
    message = 'A Letterboxd username has at most 50 characters.';
  } else if (!USERNAME_RE.test(value)) {
    message = `\u201c${value}\u201d is not a Letterboxd username: use only letters, digits, ` +
              'underscores (_) or hyphens (-).';
  }
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  showFieldError('username-error', message);
  return message ? null : value;
}

function chosenCountry() {
  const c = $('country').value;
  return isCountry(c) ? c : preferredCountry();
}

function onSearch(event) {
  event.preventDefault();
  const username = validateUsername();
  if (username === null) {
    $('username').focus();
    return;
  }
  const country = chosenCountry();
  store.set('lbrec:country', country);
  window.location.assign(`/${encodeURIComponent(username)}?${optionsQuery(country)}`);
}

async function onUpload(event) {
  event.preventDefault();
  const input = $('export-file');
  const file = input.files && input.files[0];
  showFieldError('upload-error', '');
  if (!file) {
    showFieldError('upload-error', 'Choose the ZIP file Letterboxd sent you first.');
    input.focus();
    return;
  }
  if (!/\.zip$/i.test(file.name)) {
    showFieldError('upload-error', 'That is not a ZIP file: choose the export ZIP from Letterboxd.');
    input.focus();
    return;
  }
  const country = chosenCountry();
  store.set('lbrec:country', country);
  const requestId = newRequestId();
  const form = new FormData();
  form.append('export', file, file.name);
  form.append('country', country);
  form.append('request_id', requestId);
  form.append('include_streaming', 'true');
  const options = optionsQuery(country);
  if (options.has('count')) form.append('count', options.get('count'));
  if (options.has('minr')) form.append('min_rating', options.get('minr'));
  if (options.has('wl')) form.append('include_watchlist', 'true');

  const button = $('upload-submit');
  button.disabled = true;
  $('upload-status').textContent = `Uploading ${file.name}\u2026`;
  let response;
  let body;
  try {
    response = await fetch('/api/recommend', {method: 'POST', body: form});
    body = parseJson(await response.text());
  } catch (e) {
    button.disabled = false;
    $('upload-status').textContent = '';
    showFieldError('upload-error',
                   'Could not reach the lbrec server. Check your connection and try again.');
    return;
  }
  button.disabled = false;
  if (response.status === 202 && body && typeof body.username === 'string') {
    $('upload-status').textContent = 'Uploaded. Opening your recommendations\u2026';
    options.set('rid', String(body.request_id || requestId));
    const who = USERNAME_RE.test(body.username) ? body.username : 'export';
    window.location.assign(`/${encodeURIComponent(who)}?${options}`);
    return;
  }
  $('upload-status').textContent = '';
  let message = body && typeof body.error === 'string' ? body.error : `The server answered ${response.status}.`;
  if (response.status === 413) message = 'That file is too large for this server.';
  if (response.status === 429) {
    const wait = retryAfterSeconds(response);
    message = `Too many requests from this device. Try again in ${formatDuration(wait || 60)}.`;
  }
  const hint = body && typeof body.hint === 'string' ? ` ${body.hint}` : '';
  showFieldError('upload-error', message + hint);
}

function renderRecent() {
  const items = recentResults();
  const list = $('recent-list');
  list.replaceChildren();
  for (const item of items.slice(0, 8)) {
    const li = el('li');
    const a = el('a', 'recent-link');
    a.href = item.url;
    a.append(el('span', 'recent-name', item.username),
             el('span', 'recent-meta',
                `${flag(item.country)} ${countryName(item.country)} \u00b7 ${item.count} films \u00b7 ` +
                    formatAgo(item.savedAt)));
    li.append(a);
    list.append(li);
  }
  $('recent').hidden = items.length === 0;
}

export function initLanding() {
  const params = new URLSearchParams(window.location.search);
  const fromQuery = (params.get('country') || '').toUpperCase();
  fillCountrySelect($('country'), isCountry(fromQuery) ? fromQuery : preferredCountry());
  const username = params.get('username');
  if (username) $('username').value = username;
  $('username').addEventListener('input', () => {
    if ($('username').getAttribute('aria-invalid') === 'true') validateUsername();
  });
  $('search-form').addEventListener('submit', onSearch);
  $('upload-form').addEventListener('submit', onUpload);
  $('export-file').addEventListener('change', () => showFieldError('upload-error', ''));
  renderRecent();
}
