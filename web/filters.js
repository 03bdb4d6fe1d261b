// Filters and sorts over the results, their place in the URL (so a link carries them), and the
// CSV export of what is shown.
import {decadeOf, streamProviders} from './cards.js';

export const SORTS = ['rank', 'rating', 'newest', 'oldest', 'shortest', 'title'];
// The results page's own parameters (the job's), kept as they are when filters change.
const FILTER_PARAMS = ['sort', 'genre', 'decade', 'rtmin', 'rtmax', 'rmin', 'mine', 'svc'];

function numberParam(params, name, min, max) {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

export function emptyFilters() {
  return {sort: 'rank', genre: '', decade: null, rtmin: null, rtmax: null, rmin: null, mine: false,
          services: null};
}

export function filtersFromParams(params) {
  const f = emptyFilters();
  const sort = params.get('sort');
  if (SORTS.includes(sort)) f.sort = sort;
  f.genre = (params.get('genre') || '').slice(0, 60);
  const decade = numberParam(params, 'decade', 1800, 2100);
  f.decade = decade !== null && decade % 10 === 0 ? decade : null;
  f.rtmin = numberParam(params, 'rtmin', 0, 600);
  f.rtmax = numberParam(params, 'rtmax', 0, 600);
  f.rmin = numberParam(params, 'rmin', 0, 10);
  f.mine = params.get('mine') === '1';
  const svc = params.getAll('svc').map((s) => s.slice(0, 80)).filter((s) => s !== '');
  f.services = svc.length > 0 ? svc : null;
  return f;
}

// Writes the filters into `params` (a copy of the page's), defaults left out.
export function filtersToParams(f, params) {
  const out = new URLSearchParams(params);
  for (const name of FILTER_PARAMS) out.delete(name);
  if (f.sort !== 'rank') out.set('sort', f.sort);
  if (f.genre) out.set('genre', f.genre);
  if (f.decade !== null) out.set('decade', String(f.decade));
  if (f.rtmin !== null) out.set('rtmin', String(f.rtmin));
  if (f.rtmax !== null) out.set('rtmax', String(f.rtmax));
  if (f.rmin !== null) out.set('rmin', String(f.rmin));
  if (f.mine) {
    out.set('mine', '1');
    for (const s of f.services || []) out.append('svc', s);
  }
  return out;
}

export function isFiltering(f) {
  return Boolean(f.genre) || f.decade !== null || f.rtmin !== null || f.rtmax !== null ||
         f.rmin !== null || f.mine;
}

function matches(rec, f, services) {
  if (f.genre && !(Array.isArray(rec.genres) && rec.genres.includes(f.genre))) return false;
  if (f.decade !== null && decadeOf(rec) !== f.decade) return false;
  const rt = typeof rec.runtime === 'number' && rec.runtime > 0 ? rec.runtime : null;
  if (f.rtmin !== null && (rt === null || rt < f.rtmin)) return false;
  if (f.rtmax !== null && (rt === null || rt > f.rtmax)) return false;
  const rating = typeof rec.rating_tmdb === 'number' ? rec.rating_tmdb : null;
  if (f.rmin !== null && (rating === null || rating < f.rmin)) return false;
  if (f.mine) {
    const mine = new Set(services);
    if (!streamProviders(rec).some((p) => mine.has(p))) return false;
  }
  return true;
}

const num = (x, fallback) => (typeof x === 'number' && Number.isFinite(x) ? x : fallback);
const yearOf = (rec) => {
  const y = Number.parseInt(rec.year, 10);
  return Number.isFinite(y) ? y : null;
};

const COMPARE = {
  rank: () => 0,
  rating: (a, b) => num(b.rec.rating_tmdb, -1) - num(a.rec.rating_tmdb, -1),
  newest: (a, b) => num(yearOf(b.rec), -1) - num(yearOf(a.rec), -1),
  oldest: (a, b) => num(yearOf(a.rec), 9999) - num(yearOf(b.rec), 9999),
  shortest: (a, b) => num(a.rec.runtime || null, 9999) - num(b.rec.runtime || null, 9999),
  title: (a, b) => String(a.rec.title).localeCompare(String(b.rec.title)),
};

// items: [{rec, order}] in ranking (or arrival) order. Returns what to show, in display order.
export function applyFilters(items, f, services, hidden, showHidden) {
  const kept = items.filter((it) => (showHidden || !hidden.has(it.rec.tmdb_id)) &&
                                    matches(it.rec, f, services));
  const cmp = COMPARE[f.sort] || COMPARE.rank;
  return kept.sort((a, b) => cmp(a, b) || a.order - b.order);
}

// --- CSV in Letterboxd's import format (letterboxd.com/import: tmdbID, Title, Year, Directors) ---

function csvField(value) {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toLetterboxdCsv(recs) {
  const lines = [['tmdbID', 'Title', 'Year', 'Directors'].join(',')];
  for (const r of recs) {
    lines.push([r.tmdb_id, r.title, r.year, r.director].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function downloadText(filename, text, type) {
  const blob = new Blob([text], {type});
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}
