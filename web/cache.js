// The last result per username, country and options, kept in LocalStorage so a reload, a return
// visit or a visit without a network shows the list at once. Entries expire after a day; at most
// MAX_ENTRIES are kept, the oldest going first (also when the browser's quota is reached).
import {store} from './util.js';

const PREFIX = 'lbrec:result:';
const MAX_ENTRIES = 8;
export const MAX_AGE_MS = 24 * 60 * 60 * 1000;
// A results page of this origin: /<username> and an optional query, nothing else.
const SAFE_URL = /^\/[A-Za-z0-9_-]{1,50}(\?[A-Za-z0-9_.~%=&+-]*)?$/;

// options: {count, minr, wl} as given in the URL ('' when not given).
export function cacheKey(username, country, options) {
  const o = options || {};
  return PREFIX + [username.toLowerCase(), country, o.count || '', o.minr || '', o.wl ? '1' : '']
                      .join('|');
}

function entries() {
  const out = [];
  for (const key of store.keys(PREFIX)) {
    const entry = store.get(key);
    if (entry && typeof entry === 'object' && typeof entry.savedAt === 'number' &&
        entry.payload && typeof entry.payload === 'object') {
      out.push({key, entry});
    } else {
      store.remove(key);
    }
  }
  return out.sort((a, b) => b.entry.savedAt - a.entry.savedAt);
}

export function loadResult(key) {
  const entry = store.get(key);
  if (!entry || typeof entry !== 'object' || !entry.payload || typeof entry.savedAt !== 'number') {
    return null;
  }
  if (Date.now() - entry.savedAt > MAX_AGE_MS || !Array.isArray(entry.payload.recommendations)) {
    store.remove(key);
    return null;
  }
  return entry;
}

export function saveResult(key, entry) {
  const value = {...entry, savedAt: Date.now()};
  const all = entries().filter((e) => e.key !== key);
  for (const old of all.slice(MAX_ENTRIES - 1)) store.remove(old.key);
  let kept = all.slice(0, MAX_ENTRIES - 1);
  while (!store.set(key, value)) {
    if (kept.length === 0) return false;  // one result alone does not fit: keep nothing
    store.remove(kept.pop().key);
  }
  return true;
}

export function removeResult(key) {
  store.remove(key);
}

// For the landing page: the saved lists still fresh enough to open, newest first.
export function recentResults() {
  return entries()
      .filter(({entry}) => Date.now() - entry.savedAt <= MAX_AGE_MS && typeof entry.url === 'string' &&
                           SAFE_URL.test(entry.url))
      .map(({entry}) => ({
             username: String(entry.username || ''),
             country: String(entry.country || ''),
             url: entry.url,
             savedAt: entry.savedAt,
             count: Array.isArray(entry.payload.recommendations) ? entry.payload.recommendations.length
                                                                 : 0,
           }));
}
