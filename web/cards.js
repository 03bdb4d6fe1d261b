// One recommendation card. Every piece of film data goes in as text; the only URLs used are
// the poster (https://image.tmdb.org, allowed by the CSP's img-src) and links built from the
// numeric TMDB id.
import {el, formatRuntime} from './util.js';

const STREAM_TYPES = {flatrate: 'Subscription', free: 'Free', ads: 'Free with ads'};
const PAID_TYPES = {rent: 'Rent', buy: 'Buy'};

export function decadeOf(rec) {
  const y = Number.parseInt(rec.year, 10);
  return Number.isFinite(y) && y > 1800 ? Math.floor(y / 10) * 10 : null;
}

// Providers by how they offer the film: {stream: [{provider, kinds}], paid: [{provider, kinds}]}.
export function offersOf(rec) {
  const stream = new Map();
  const paid = new Map();
  const add = (map, provider, kind) => {
    if (typeof provider !== 'string' || provider === '') return;
    if (!map.has(provider)) map.set(provider, []);
    if (kind && !map.get(provider).includes(kind)) map.get(provider).push(kind);
  };
  if (Array.isArray(rec.streaming_offers) && rec.streaming_offers.length > 0) {
    for (const offer of rec.streaming_offers) {
      if (!offer || typeof offer !== 'object') continue;
      if (STREAM_TYPES[offer.type]) add(stream, offer.provider, STREAM_TYPES[offer.type]);
      else if (PAID_TYPES[offer.type]) add(paid, offer.provider, PAID_TYPES[offer.type]);
    }
  } else {
    // The seed's fields: names that stream, and (an lbrec extra) names to rent or buy.
    for (const p of Array.isArray(rec.streaming) ? rec.streaming : []) add(stream, p, null);
    for (const p of Array.isArray(rec.streaming_rent) ? rec.streaming_rent : []) add(paid, p, null);
  }
  const list = (map) => [...map].map(([provider, kinds]) => ({provider, kinds}));
  return {stream: list(stream), paid: list(paid)};
}

export function streamProviders(rec) {
  return offersOf(rec).stream.map((o) => o.provider);
}

function posterBlock(rec) {
  const box = el('div', 'poster');
  const fallback = el('span', 'poster-fallback');
  fallback.setAttribute('aria-hidden', 'true');
  fallback.append(el('span', 'poster-fallback-title', rec.title));
  if (rec.year) fallback.append(el('span', 'poster-fallback-year', rec.year));
  box.append(fallback);
  const src = typeof rec.poster === 'string' ? rec.poster : '';
  if (/^https:\/\/image\.tmdb\.org\/[A-Za-z0-9_./-]+$/.test(src)) {
    const img = document.createElement('img');
    img.alt = '';
    img.loading = 'lazy';
    img.decoding = 'async';
    img.width = 120;
    img.height = 180;
    // Offline, or TMDB's image host unreachable: the drawn placeholder underneath stays.
    img.addEventListener('error', () => {
      img.remove();
      box.classList.add('poster-missing');
    }, {once: true});
    img.addEventListener('load', () => box.classList.add('poster-loaded'), {once: true});
    img.src = src;
    box.append(img);
  } else {
    box.classList.add('poster-missing');
  }
  return box;
}

function badges(list, className, label) {
  const wrap = el('div', `offers ${className}`);
  wrap.append(el('span', 'offers-label', label));
  const ul = el('ul', 'badges');
  for (const {provider, kinds} of list) {
    const li = el('li', `badge ${className}-badge`);
    li.append(el('span', 'badge-name', provider));
    if (kinds.length > 0) li.append(el('span', 'badge-kind', kinds.join(' \u00b7 ')));
    ul.append(li);
  }
  wrap.append(ul);
  return wrap;
}

function whereToWatch(rec, countryName) {
  const box = el('div', 'where');
  const {stream, paid} = offersOf(rec);
  if (stream.length > 0) box.append(badges(stream, 'offers-stream', 'Stream'));
  if (paid.length > 0) box.append(badges(paid, 'offers-paid', 'Rent or buy'));
  if (stream.length === 0 && paid.length === 0) {
    const where = countryName ? ` in ${countryName}` : '';
    box.append(el('p', 'offers-none',
                  rec.streaming_lookup_failed ? 'Streaming availability could not be checked.'
                                              : `Not streaming${where} right now.`));
  }
  return box;
}

// context: {countryName, hidden, onHide(rec), onUnhide(rec)}
export function renderCard(rec, rank, context) {
  const card = el('li', 'card');
  card.dataset.tmdbId = String(rec.tmdb_id);
  if (context.hidden) card.classList.add('card-hidden');

  card.append(posterBlock(rec));
  const body = el('div', 'card-body');

  const heading = el('h3', 'card-title');
  // The rank is known once the list is final; live cards leave it empty (and unseen).
  heading.append(el('span', 'rank', rank ? `${rank}.` : ''), ' ');
  const title = el('a', 'title-link', rec.title);
  title.href = `https://letterboxd.com/tmdb/${encodeURIComponent(String(rec.tmdb_id))}/`;
  title.rel = 'noopener noreferrer';
  title.target = '_blank';
  heading.append(title);
  if (rec.year) heading.append(' ', el('span', 'year', rec.year));
  body.append(heading);
  if (rec.original_title && rec.original_title !== rec.title) {
    body.append(el('p', 'original-title', rec.original_title));
  }

  const facts = el('p', 'facts');
  const add = (cls, text, label) => {
    if (!text) return;
    const span = el('span', cls, text);
    if (label) span.setAttribute('aria-label', label);
    facts.append(span);
  };
  if (rec.director) add('director', `Directed by ${rec.director}`);
  add('runtime', formatRuntime(rec.runtime));
  if (typeof rec.rating_tmdb === 'number') {
    add('rating', `\u2605 ${rec.rating_tmdb.toFixed(1)} TMDB`,
        `TMDB rating ${rec.rating_tmdb.toFixed(1)} out of 10`);
  }
  body.append(facts);

  if (Array.isArray(rec.genres) && rec.genres.length > 0) {
    const genres = el('ul', 'genres');
    genres.setAttribute('aria-label', 'Genres');
    for (const g of rec.genres) genres.append(el('li', 'genre', g));
    body.append(genres);
  }
  if (rec.on_watchlist) body.append(el('p', 'watchlist-flag', 'On your watchlist'));
  if (rec.reason) body.append(el('p', 'reason', rec.reason));
  body.append(whereToWatch(rec, context.countryName));

  const actions = el('div', 'card-actions');
  const button = el('button', 'link-button hide-button', context.hidden ? 'Show again' : 'Not interested');
  button.type = 'button';
  button.setAttribute('aria-label', `${context.hidden ? 'Show again' : 'Not interested in'}: ${rec.title}`);
  button.addEventListener('click', () => (context.hidden ? context.onUnhide(rec) : context.onHide(rec)));
  actions.append(button);
  body.append(actions);

  card.append(body);
  return card;
}
