// Small helpers shared by both pages: DOM building (text only), LocalStorage that never throws,
// validation, countries with flags, backoff, and formatting.
//
// Rule for the whole UI: data from the server or from LocalStorage reaches the page only through
// textContent, attribute setters of known attributes, or element properties, never as HTML.

export const USERNAME_RE = /^[A-Za-z0-9_-]{1,50}$/;
export const COUNTRY_RE = /^[A-Z]{2}$/;
export const DEFAULT_COUNTRY = 'CL';

// The countries the server knows (src/domain/country.cpp), in display order.
export const COUNTRIES = [
  ['AR', 'Argentina'], ['AU', 'Australia'], ['BR', 'Brazil'], ['CA', 'Canada'],
  ['CL', 'Chile'], ['CO', 'Colombia'], ['FR', 'France'], ['DE', 'Germany'],
  ['IN', 'India'], ['IE', 'Ireland'], ['IT', 'Italy'], ['JP', 'Japan'],
  ['MX', 'Mexico'], ['NL', 'Netherlands'], ['NZ', 'New Zealand'], ['PE', 'Peru'],
  ['KR', 'South Korea'], ['ES', 'Spain'], ['GB', 'United Kingdom'], ['US', 'United States'],
];

export function $(id) {
  return document.getElementById(id);
}

// Creates an element; `text` goes in as text, never parsed.
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// A country's flag as the two regional-indicator symbols of its code (no image, no font).
export function flag(code) {
  if (!COUNTRY_RE.test(code)) return '';
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

export function countryName(code) {
  const hit = COUNTRIES.find(([c]) => c === code);
  return hit ? hit[1] : code;
}

export function isCountry(code) {
  return COUNTRIES.some(([c]) => c === code);
}

// LocalStorage that degrades to nothing (private mode, disabled storage, quota) instead of
// throwing. Values are JSON.
export const store = {
  get(key, fallback = null) {
    try {
      const raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      // nothing to do
    }
  },
  keys(prefix) {
    const out = [];
    try {
      for (let i = 0; i < window.localStorage.length; ++i) {
        const k = window.localStorage.key(i);
        if (k && k.startsWith(prefix)) out.push(k);
      }
    } catch (e) {
      // storage unavailable
    }
    return out;
  },
};

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}

export function newRequestId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') {
    return window.crypto.randomUUID();
  }
  // randomUUID needs a secure context; getRandomValues does not.
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Capped exponential backoff with a little jitter: 0.5 s, 1 s, 2 s, 4 s ... up to `cap` ms.
export function backoffDelay(attempt, base = 500, cap = 15000) {
  const exp = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.85 + Math.random() * 0.3));
}

// Seconds from a Retry-After header (delta-seconds or an HTTP date), or null.
export function retryAfterSeconds(response) {
  const value = response && response.headers ? response.headers.get('Retry-After') : null;
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const when = Date.parse(value);
  return Number.isNaN(when) ? null : Math.max(0, Math.round((when - Date.now()) / 1000));
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? '1 minute' : `${m} minutes`;
  const h = Math.round(m / 60);
  return h === 1 ? '1 hour' : `${h} hours`;
}

export function formatClock(date) {
  return date.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
}

export function formatAgo(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 45) return 'just now';
  return `${formatDuration(s)} ago`;
}

export function formatRuntime(minutes) {
  if (typeof minutes !== 'number' || !(minutes > 0)) return '';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function stars(rating) {
  // Letterboxd ratings are half stars from 0.5 to 5.
  if (typeof rating !== 'number' || !(rating > 0)) return '';
  const full = Math.floor(rating);
  return '\u2605'.repeat(full) + (rating - full >= 0.5 ? '\u00bd' : '');
}

// The theme: 'dark' or 'light', as theme.js set it (the choice, else the system's).
export function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'dark' || chosen === 'light') return chosen;
  return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches
             ? 'dark'
             : 'light';
}

export function initThemeToggle(button) {
  if (!button) return;
  const label = button.querySelector('.theme-label');
  const sync = () => {
    const dark = currentTheme() === 'dark';
    button.setAttribute('aria-pressed', dark ? 'true' : 'false');
    if (label) label.textContent = dark ? 'Dark' : 'Light';
    button.title = dark ? 'Switch to the light theme' : 'Switch to the dark theme';
  };
  button.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    store.set('lbrec:theme', next);
    sync();
  });
  if (window.matchMedia) {
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', sync);
  }
  sync();
}

// The country to preselect: the last one used, else the browser's region when supported.
export function preferredCountry() {
  const saved = store.get('lbrec:country');
  if (typeof saved === 'string' && isCountry(saved)) return saved;
  const langs = navigator.languages || [navigator.language || ''];
  for (const lang of langs) {
    const m = /[-_]([A-Za-z]{2})$/.exec(lang || '');
    if (m && isCountry(m[1].toUpperCase())) return m[1].toUpperCase();
  }
  return DEFAULT_COUNTRY;
}

export function fillCountrySelect(select, selected) {
  select.replaceChildren();
  for (const [code, name] of COUNTRIES) {
    const option = el('option', null, `${flag(code)} ${name}`);
    option.value = code;
    if (code === selected) option.selected = true;
    select.append(option);
  }
}
