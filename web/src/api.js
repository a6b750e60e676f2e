// The one way the app talks to the server: JSON over fetch to /api/v1, with the
// current language as Accept-Language and the session token (kept in localStorage)
// as a bearer token. Every call resolves, never throws: {ok, status, data, retryAfter}
// where data is the parsed JSON reply (a problem+json object on errors) or null.
// status 0 means the network failed. Replies are capped in size before parsing.
// me() keeps the signed-in person's GET /me per token, for the navigation's role.
// Issue 5 adds cached look-ups the catalog pages share (the course categories, a
// region's name by code, the smallest training hours of any scheme) and page(),
// which reads one page of a cursor list ({items, next}).
import { lang } from './i18n.js';

const TOKEN_KEY = 'prakerja.token';
const MAX_REPLY = 1 << 20;
const TIMEOUT_MS = 20000;

export function token() {
  try { return localStorage.getItem(TOKEN_KEY); } catch (_) { return null; }
}

export function setToken(tok) {
  meCache = null;
  try {
    if (tok) localStorage.setItem(TOKEN_KEY, tok);
    else localStorage.removeItem(TOKEN_KEY);
  } catch (_) { /* storage blocked: the session lasts this page only */ }
}

export async function api(method, path, body, { auth = false } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const tok = auth ? token() : null;
  if (tok) headers.Authorization = 'Bearer ' + tok;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    const res = await fetch('/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctl.signal,
      credentials: 'same-origin',
    });
    const text = await res.text();
    let data = null;
    if (text.length > 0 && text.length <= MAX_REPLY) {
      try { data = JSON.parse(text); } catch (_) { data = null; }
    }
    const ra = parseInt(res.headers.get('Retry-After') || '', 10);
    return { ok: res.ok, status: res.status, data, retryAfter: Number.isFinite(ra) ? ra : 0 };
  } catch (_) {
    return { ok: false, status: 0, data: null, retryAfter: 0 };
  } finally {
    clearTimeout(timer);
  }
}

let meCache = null;

/**
 * GET /me for the kept token, asked once per token and shared by the navigation and
 * the pages (the role decides which links and pages apply). Resolves like api(); a
 * failed reply is not kept, so the next call asks again. No token: a 401 at once.
 */
export function me() {
  const tok = token();
  if (!tok) return Promise.resolve({ ok: false, status: 401, data: null, retryAfter: 0 });
  if (meCache && meCache.tok === tok) return meCache.promise;
  const entry = { tok, promise: null };
  entry.promise = api('GET', '/me', undefined, { auth: true }).then((res) => {
    if (!(res.ok && res.data) && meCache === entry) meCache = null;
    return res;
  });
  meCache = entry;
  return entry.promise;
}

/** The caller's role from a GET /me reply, or ''. */
export function roleOf(res) {
  return res && res.ok && res.data && typeof res.data.role === 'string' ? res.data.role : '';
}

/** The list of field errors in a problem reply: [{field, code, message}]. */
export function fieldErrors(res) {
  const errs = res && res.data && Array.isArray(res.data.errors) ? res.data.errors : [];
  return errs.filter((e) => e && typeof e.field === 'string' && typeof e.code === 'string')
    .slice(0, 64)
    .map((e) => ({ field: e.field, code: e.code,
      message: typeof e.message === 'string' ? e.message.slice(0, 500) : '' }));
}

/** The stable code of a problem reply, or ''. */
export function problemCode(res) {
  return res && res.data && typeof res.data.code === 'string' ? res.data.code : '';
}

/** The problem's (server-localised) title, or ''. */
export function problemTitle(res) {
  return res && res.data && typeof res.data.title === 'string' ? res.data.title.slice(0, 500) : '';
}

/**
 * Fetches every region under parent (or every region of level when parent is empty),
 * following pages; at most 40 pages of 500. Resolves to an array of items, or null.
 */
export async function regions({ level = '', parent = '' }) {
  const out = [];
  for (let page = 1; page <= 40; page++) {
    const q = new URLSearchParams();
    if (level) q.set('level', level);
    if (parent) q.set('parent', parent);
    q.set('page', String(page));
    q.set('per_page', '500');
    const res = await api('GET', '/regions?' + q.toString());
    if (!res.ok || !res.data || !Array.isArray(res.data.items)) return null;
    for (const it of res.data.items)
      if (it && typeof it.code === 'string') out.push(it);
    const total = Number(res.data.total) || 0;
    if (res.data.items.length === 0 || out.length >= total) break;
  }
  return out;
}

// Issue 5: look-ups shared by the catalog, course, provider and curation pages.

let categoriesCache = null;

/**
 * The course categories (GET /course-categories): [{code, name: {id, en}}], asked
 * once per page load. Resolves to the list, or null when it could not be read (the
 * next call asks again).
 */
export function categories() {
  if (categoriesCache) return categoriesCache;
  const p = api('GET', '/course-categories').then((res) => {
    const items = res.ok && res.data && Array.isArray(res.data.items) ? res.data.items : null;
    if (!items) {
      categoriesCache = null;
      return null;
    }
    return items.filter((c) => c && typeof c.code === 'string').slice(0, 200).map((c) => ({
      code: c.code,
      name: c.name && typeof c.name === 'object'
        ? { id: String(c.name.id || c.code), en: String(c.name.en || c.name.id || c.code) }
        : { id: c.code, en: c.code },
    }));
  });
  categoriesCache = p;
  return p;
}

const regionCache = new Map();

/** A region's display name by code (GET /regions/{code}), cached; '' when unknown. */
export function regionName(code) {
  if (typeof code !== 'string' || !/^[0-9.]{2,13}$/.test(code)) return Promise.resolve('');
  if (regionCache.has(code)) return regionCache.get(code);
  const p = api('GET', '/regions/' + encodeURIComponent(code)).then((res) => {
    if (!res.ok || !res.data) {
      regionCache.delete(code);
      return '';
    }
    return String(res.data.display_name || res.data.name || code);
  });
  regionCache.set(code, p);
  return p;
}

let minHoursCache = null;

/** The smallest min_course_hours of any scheme (GET /schemes), or 0 when unknown. */
export function minCourseHours() {
  if (minHoursCache) return minHoursCache;
  minHoursCache = api('GET', '/schemes').then((res) => {
    const items = res.ok && res.data && Array.isArray(res.data.items) ? res.data.items : [];
    const hours = items.map((s) => s && s.min_course_hours).filter((h) => Number.isSafeInteger(h) && h >= 0);
    if (!hours.length) minHoursCache = null;
    return hours.length ? Math.min(...hours) : 0;
  });
  return minHoursCache;
}

/**
 * One page of a cursor list: GET path (which may hold a query already) with after
 * when given. Resolves to {res, items, next}: items null when the reply is not a list.
 */
export async function page(path, after, opts) {
  const sep = path.includes('?') ? '&' : '?';
  const res = await api('GET', after ? path + sep + 'after=' + encodeURIComponent(after) : path, undefined, opts);
  const ok = res.ok && res.data && Array.isArray(res.data.items);
  return {
    res,
    items: ok ? res.data.items.filter((x) => x && typeof x === 'object').slice(0, 500) : null,
    next: ok && typeof res.data.next === 'string' && res.data.next ? res.data.next : null,
  };
}
