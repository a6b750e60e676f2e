// The course catalog (public): a search box and filters (category from GET
// /api/v1/course-categories, mode, regency chosen as province then regency the way
// the registration form does, and a price range in rupiah) over GET
// /api/v1/courses, which lists approved courses by price. The filters live in the
// page's address (#/catalog?q=...&mode=webinar), so a search can be shared and the
// back button returns to it; submitting changes the address and the results load
// again, with focus on the results' heading. "More" asks for the next page with the
// reply's cursor and appends it. Each result links to its course page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatRupiah, lang, t } from '../i18n.js';
import { categories, page, regions } from '../api.js';
import { Alert, Badge, Field, MODES, Select, Stars, focusFirst, go, problemToErrors } from '../ui.jsx';

const ROUTE = '/catalog';
const KEYS = ['q', 'category', 'mode', 'province', 'regency', 'min_price', 'max_price'];
const API_KEYS = ['q', 'category', 'mode', 'regency', 'min_price', 'max_price'];
const PAGE_SIZE = 20;
const MAX_PRICE = 100000000;

/* Set by a search submitted here, so the page made for its address focuses the results. */
let focusResults = false;

function str(x) {
  return typeof x === 'string' ? x : '';
}

/** The filters in the address, bounded. */
function fromQuery(query) {
  const v = {};
  for (const k of KEYS) v[k] = (query.get(k) || '').slice(0, k === 'q' ? 200 : 40);
  if (!/^[0-9]{2}\.[0-9]{2}$/.test(v.regency)) v.regency = '';
  if (v.regency && v.province !== v.regency.slice(0, 2)) v.province = v.regency.slice(0, 2);
  return v;
}

/** A price typed as "1.500.000", "1500000" or "Rp 1.500.000": its digits, '' when empty, null when bad. */
export function priceValue(s) {
  const x = str(s).replace(/^\s*rp\.?\s*/i, '').replace(/[.\s]/g, '');
  if (x === '') return '';
  if (!/^[0-9]{1,12}$/.test(x) || Number(x) > MAX_PRICE) return null;
  return String(Number(x));
}

/** The client's checks of the filters: {field: {code}}. */
function check(v) {
  const e = {};
  const lo = priceValue(v.min_price);
  const hi = priceValue(v.max_price);
  if (lo === null) e.min_price = { code: 'price.invalid' };
  if (hi === null) e.max_price = { code: 'price.invalid' };
  if (lo && hi && Number(lo) > Number(hi)) e.max_price = { code: 'price.range' };
  if (v.q.length > 200) e.q = { code: 'field.too_long' };
  return e;
}

/** The address and the API query of filters v. */
function params(v, keys) {
  const q = new URLSearchParams();
  for (const k of keys) {
    let x = k === 'min_price' || k === 'max_price' ? priceValue(v[k]) : v[k].trim();
    if (k === 'regency' && !v.province) x = '';
    if (x) q.set(k, x);
  }
  return q;
}

export function categoryName(cats, code) {
  const c = (cats || []).find((x) => x.code === code);
  return c ? c.name[lang()] || c.name.id : code;
}

export function CourseItem({ c, cats }) {
  const id = str(c.course_id);
  const provider = c.provider && typeof c.provider === 'object' ? str(c.provider.name) : '';
  return (
    <li class="course-item" id={'course-' + id} data-course={id}>
      <h3><a href={'#/course?id=' + encodeURIComponent(id)} class="wrap">{str(c.title)}</a></h3>
      {provider && <p class="muted wrap">{provider}</p>}
      <p class="course-price"><strong data-price={String(c.price)}>{formatRupiah(c.price)}</strong></p>
      <p class="course-meta">
        <Badge kind="info">{t('mode.' + str(c.mode))}</Badge>{' '}
        <span>{t('course.hours_n', { h: Number.isSafeInteger(c.hours) ? c.hours : '?' })}</span>{' · '}
        <span>{categoryName(cats, str(c.category))}</span>{' · '}
        <span>{t('level.' + str(c.level))}</span>
      </p>
      <p class="small"><Stars rating={c.rating} /></p>
    </li>
  );
}

export function Catalog({ query }) {
  const [v, setV] = useState(() => fromQuery(query));
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [cats, setCats] = useState([]);
  const [provinces, setProvinces] = useState(null);
  const [regencies, setRegencies] = useState([]);
  const [loadingReg, setLoadingReg] = useState(false);
  const [items, setItems] = useState(null);
  const [next, setNext] = useState(null);
  const [error, setError] = useState('');
  const [more, setMore] = useState(false);
  const formRef = useRef(null);
  const resultsRef = useRef(null);
  const applied = useRef(fromQuery(query));
  const regSeq = useRef(0);

  async function loadRegencies(province) {
    const my = ++regSeq.current;
    setRegencies([]);
    if (!province) return;
    setLoadingReg(true);
    const list = await regions({ parent: province });
    if (my !== regSeq.current) return;
    setLoadingReg(false);
    setRegencies(list || []);
  }

  async function search() {
    setError('');
    const q = params(applied.current, API_KEYS);
    q.set('limit', String(PAGE_SIZE));
    const r = await page('/courses?' + q.toString());
    if (!r.items) {
      setError(problemToErrors(r.res, []).form);
      setItems(null);
      return;
    }
    setItems(r.items);
    setNext(r.next);
    if (focusResults) {
      focusResults = false;
      requestAnimationFrame(() => resultsRef.current && resultsRef.current.focus());
    }
  }

  useEffect(() => {
    categories().then((c) => setCats(c || []));
    regions({ level: 'province' }).then((p) => setProvinces(p || []));
    if (v.province) loadRegencies(v.province);
    search();
  }, []);

  async function loadMore() {
    if (!next || more) return;
    setMore(true);
    const q = params(applied.current, API_KEYS);
    q.set('limit', String(PAGE_SIZE));
    const r = await page('/courses?' + q.toString(), next);
    setMore(false);
    if (!r.items) {
      setError(problemToErrors(r.res, []).form);
      return;
    }
    const seen = new Set(items.map((x) => x.course_id));
    setItems([...items, ...r.items.filter((x) => !seen.has(x.course_id))]);
    setNext(r.next);
  }

  function set(name, value) {
    setV((o) => ({ ...o, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  }

  function setProvince(name, value) {
    setV((o) => ({ ...o, province: value, regency: '' }));
    loadRegencies(value);
  }

  function submit(ev) {
    ev.preventDefault();
    setFormError('');
    const local = check(v);
    setErrors(local);
    if (Object.keys(local).length) {
      setFormError(t('reg.fix'));
      focusFirst(formRef.current, local);
      return;
    }
    const route = ROUTE + '?' + params(v, KEYS).toString();
    focusResults = true;
    if (location.hash === '#' + route) {
      applied.current = { ...v };
      search();
    } else {
      go(route);
    }
  }

  function reset() {
    focusResults = true;
    go(ROUTE);
  }

  const filtered = API_KEYS.some((k) => applied.current[k]);
  return (
    <article class="catalog">
      <h1 tabIndex={-1}>{t('cat.title')}</h1>
      <p>{t('cat.intro')}</p>
      <form ref={formRef} id="catalog-form" aria-label={t('cat.q')} noValidate onSubmit={submit}>
        <Field name="q" type="search" label={t('cat.q')} value={v.q} error={errors.q} onInput={set}
          maxLength={200} autocomplete="off" enterKeyHint="search" />
        <details class="filters" open={API_KEYS.some((k) => k !== 'q' && applied.current[k]) || undefined}>
          <summary>{t('cat.filters')}</summary>
          <Select name="category" label={t('cat.category')} value={v.category} onChange={set}
            placeholder={t('cat.all')} options={cats.map((c) => ({ value: c.code, label: c.name[lang()] || c.name.id }))} />
          <Select name="mode" label={t('cat.mode')} value={v.mode} onChange={set} placeholder={t('cat.all')}
            options={MODES.map((m) => ({ value: m, label: t('mode.' + m) }))} />
          <Select name="province" label={t('field.province')} value={v.province} onChange={setProvince}
            placeholder={t('cat.all')} loading={provinces === null}
            options={(provinces || []).map((r) => ({ value: r.code, label: r.display_name || r.name || r.code }))} />
          <Select name="regency" label={t('field.regency')} value={v.regency} onChange={set}
            placeholder={t('cat.all')} loading={loadingReg} disabled={!v.province}
            hint={t('cat.regency_hint')}
            options={regencies.map((r) => ({ value: r.code, label: r.display_name || r.name || r.code }))} />
          <div class="grid-2">
            <Field name="min_price" label={t('cat.min_price')} value={v.min_price} error={errors.min_price}
              onInput={set} inputMode="numeric" maxLength={16} placeholder="0" autocomplete="off" />
            <Field name="max_price" label={t('cat.max_price')} value={v.max_price} error={errors.max_price}
              onInput={set} inputMode="numeric" maxLength={16} placeholder="3.500.000" autocomplete="off" />
          </div>
        </details>
        <Alert id="catalog-form-error">{formError}</Alert>
        <div class="buttons">
          <button type="submit" id="catalog-search">{t('cat.search')}</button>
          {filtered && <button type="button" class="secondary" id="catalog-reset" onClick={reset}>{t('cat.reset')}</button>}
        </div>
      </form>
      <section aria-labelledby="results-h">
        <h2 id="results-h" tabIndex={-1} ref={resultsRef}>{t('cat.results')}</h2>
        {items === null ? (error ? (
          <>
            <Alert>{error}</Alert>
            <button type="button" onClick={search}>{t('common.retry')}</button>
          </>
        ) : <p aria-busy="true">{t('common.loading')}</p>) : (
          <>
            <p role="status" id="results-count">
              {items.length === 0 ? t('cat.none') : t(next ? 'cat.shown_more' : 'cat.shown', { n: items.length })}
            </p>
            {items.length > 0 && (
              <ul class="cards" id="course-list">
                {items.map((c) => <CourseItem key={str(c.course_id)} c={c} cats={cats} />)}
              </ul>
            )}
            {error && <Alert>{error}</Alert>}
            {next && (
              <button type="button" id="catalog-more" class="secondary" onClick={loadMore} disabled={more}
                aria-busy={more ? 'true' : undefined}>{more ? t('common.loading') : t('cat.more')}</button>
            )}
          </>
        )}
      </section>
    </article>
  );
}
