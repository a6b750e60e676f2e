// One course of the provider (#/provider/course?id=..., or without an id a new
// one). The form (title, description, category, level, purpose, mode, hours,
// price, and for offline and hybrid courses the regency, chosen as province then
// regency, and the address) creates a draft (POST /api/v1/partner/courses) or
// saves one (PUT .../{id}); a course can be edited while it is a draft or was
// rejected, when the reviewer's reason is shown above the form. Sessions are
// added below (POST .../{id}/sessions): a start time typed in WIB and a capacity
// for live modes, one session with only a capacity for self-paced courses. "Submit
// for review" (POST .../{id}/submit) sends it to the admins; it needs a session.
// The client checks what it can (hours at least the smallest minimum of any
// scheme, price 0..100,000,000); the server's field errors show at their fields.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatRupiah, lang, t, wibInputToIso, wibInputValue } from '../i18n.js';
import { api, categories, minCourseHours, regions } from '../api.js';
import { Alert, Badge, Field, LEVELS, LIVE_MODES, MODES, PURPOSES, Select, TextArea, flash, focusFirst, go,
  needLogin, pageState, problemToErrors, roleFor } from '../ui.jsx';
import { courseIdOf, CourseFacts, loadCourse, SessionList, sessionsOf } from './Course.jsx';
import { priceValue } from './Catalog.jsx';
import { ProviderLinks, ProviderOnly, STATUS_KIND } from './ProviderCourses.jsx';

const FIELDS = ['title', 'description', 'category', 'level', 'purpose', 'mode', 'hours', 'price',
  'province', 'regency_code', 'address'];
const EDITABLE = ['draft', 'rejected'];
const TITLE_MAX = 200;
const DESC_MAX = 5000;
const PRICE_MAX = 100000000;

function str(x) {
  return typeof x === 'string' ? x : '';
}

function fromCourse(c) {
  const reg = str(c && c.regency_code);
  return {
    title: str(c && c.title), description: str(c && c.description), category: str(c && c.category),
    level: str(c && c.level), purpose: str(c && c.purpose), mode: str(c && c.mode),
    hours: c && Number.isSafeInteger(c.hours) ? String(c.hours) : '',
    price: c && Number.isSafeInteger(c.price) ? String(c.price) : '',
    province: reg ? reg.slice(0, 2) : '', regency_code: reg, address: str(c && c.address),
  };
}

/** The client's checks of the course form: {field: {code}}. */
function check(v, minHours) {
  const e = {};
  const title = v.title.trim();
  if (!title) e.title = { code: 'field.required' };
  else if ([...title].length > TITLE_MAX) e.title = { code: 'field.too_long' };
  if (!v.description.trim()) e.description = { code: 'field.required' };
  else if ([...v.description].length > DESC_MAX) e.description = { code: 'field.too_long' };
  for (const f of ['category', 'level', 'purpose', 'mode']) if (!v[f]) e[f] = { code: 'field.choose_one' };
  const h = v.hours.trim();
  if (!/^[0-9]{1,4}$/.test(h) || Number(h) < 1) e.hours = { code: 'number.invalid' };
  else if (minHours && Number(h) < minHours) e.hours = { code: 'course.hours_min', vars: { h: minHours } };
  const p = priceValue(v.price);
  if (p === '' ) e.price = { code: 'field.required' };
  else if (p === null || Number(p) > PRICE_MAX) e.price = { code: 'price.invalid' };
  if (v.mode === 'offline' || v.mode === 'hybrid') {
    if (!v.regency_code) e.regency_code = { code: 'field.choose_one' };
    if (!v.address.trim()) e.address = { code: 'field.required' };
  }
  return e;
}

function body(v) {
  const b = {
    title: v.title.trim(), description: v.description.trim(), category: v.category, level: v.level,
    purpose: v.purpose, mode: v.mode, hours: Number(v.hours.trim()), price: Number(priceValue(v.price)),
  };
  if (v.mode === 'offline' || v.mode === 'hybrid') {
    b.regency_code = v.regency_code;
    b.address = v.address.trim();
  }
  return b;
}

/** Errors with vars (the hours' minimum) get their text here. */
function withText(errs) {
  const out = {};
  for (const [k, e] of Object.entries(errs)) out[k] = e && e.vars ? { code: e.code, message: t(e.code, e.vars) } : e;
  return out;
}

function CourseForm({ course, onSaved }) {
  const [v, setV] = useState(() => fromCourse(course));
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [cats, setCats] = useState([]);
  const [minHours, setMinHours] = useState(0);
  const [provinces, setProvinces] = useState(null);
  const [regencies, setRegencies] = useState([]);
  const [loadingReg, setLoadingReg] = useState(false);
  const formRef = useRef(null);
  const seq = useRef(0);
  const id = course ? str(course.course_id) : '';

  async function loadRegencies(province) {
    const my = ++seq.current;
    setRegencies([]);
    if (!province) return;
    setLoadingReg(true);
    const list = await regions({ parent: province });
    if (my !== seq.current) return;
    setLoadingReg(false);
    setRegencies(list || []);
  }

  useEffect(() => {
    categories().then((c) => setCats(c || []));
    minCourseHours().then(setMinHours);
    regions({ level: 'province' }).then((p) => setProvinces(p || []));
    if (v.province) loadRegencies(v.province);
  }, []);

  function set(name, value) {
    setV((o) => ({ ...o, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  }

  function setProvince(name, value) {
    setV((o) => ({ ...o, province: value, regency_code: '' }));
    setErrors((e) => ({ ...e, province: undefined, regency_code: undefined }));
    loadRegencies(value);
  }

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    const local = withText(check(v, minHours));
    setErrors(local);
    if (Object.keys(local).length) {
      setFormError(t('reg.fix'));
      focusFirst(formRef.current, local);
      return;
    }
    setBusy(true);
    const res = id
      ? await api('PUT', '/partner/courses/' + encodeURIComponent(id), body(v), { auth: true })
      : await api('POST', '/partner/courses', body(v), { auth: true });
    setBusy(false);
    if (needLogin(res, '/provider/courses')) return;
    if (res.ok && res.data && typeof res.data === 'object') {
      onSaved(res.data, !id);
      return;
    }
    const { fields, form } = problemToErrors(res, FIELDS);
    if (fields.regency && !fields.regency_code) fields.regency_code = fields.regency;
    setErrors(fields);
    setFormError(form || (Object.keys(fields).length ? t('reg.fix') : ''));
    focusFirst(formRef.current, fields);
  }

  const offline = v.mode === 'offline' || v.mode === 'hybrid';
  const fp = (name, extra) => ({
    name, label: t('pfield.' + name), value: v[name], error: errors[name], onInput: set, ...extra,
  });
  return (
    <form ref={formRef} id="course-form" noValidate onSubmit={submit}>
      <Field {...fp('title', { maxLength: TITLE_MAX, required: true })} />
      <TextArea {...fp('description', { rows: 6, maxLength: DESC_MAX, required: true, class: 'prose' })} />
      <Select name="category" label={t('pfield.category')} value={v.category} error={errors.category} onChange={set}
        options={cats.map((c) => ({ value: c.code, label: c.name[lang()] || c.name.id }))} loading={!cats.length} />
      <Select name="level" label={t('pfield.level')} value={v.level} error={errors.level} onChange={set}
        options={LEVELS.map((x) => ({ value: x, label: t('level.' + x) }))} />
      <Select name="purpose" label={t('pfield.purpose')} value={v.purpose} error={errors.purpose} onChange={set}
        options={PURPOSES.map((x) => ({ value: x, label: t('purpose.' + x) }))} />
      <Select name="mode" label={t('pfield.mode')} value={v.mode} error={errors.mode} onChange={set}
        options={MODES.map((x) => ({ value: x, label: t('mode.' + x) }))} />
      <Field {...fp('hours', { inputMode: 'numeric', maxLength: 4, required: true,
        hint: minHours ? t('pfield.hours_hint', { h: minHours }) : undefined })} />
      <Field {...fp('price', { inputMode: 'numeric', maxLength: 16, required: true, hint: t('pfield.price_hint') })} />
      {offline && (
        <>
          <Select name="province" label={t('field.province')} value={v.province} error={errors.province}
            onChange={setProvince} loading={provinces === null}
            options={(provinces || []).map((r) => ({ value: r.code, label: r.display_name || r.name || r.code }))} />
          <Select name="regency_code" label={t('field.regency')} value={v.regency_code} error={errors.regency_code}
            onChange={set} loading={loadingReg} disabled={!v.province}
            options={regencies.map((r) => ({ value: r.code, label: r.display_name || r.name || r.code }))} />
          <TextArea {...fp('address', { rows: 2, maxLength: 500, required: true })} />
        </>
      )}
      <Alert id="course-form-error">{formError}</Alert>
      <button type="submit" id="course-save" disabled={busy} aria-busy={busy ? 'true' : undefined}>
        {busy ? t('common.sending') : t(id ? 'prov.save' : 'prov.create')}</button>
    </form>
  );
}

function SessionForm({ course, onAdded }) {
  const live = LIVE_MODES.includes(str(course.mode));
  const [startsAt, setStartsAt] = useState(() =>
    wibInputValue(Math.ceil(Date.now() / 3600000) * 3600 + 86400));
  const [capacity, setCapacity] = useState('');
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef(null);

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    const local = {};
    const iso = live ? wibInputToIso(startsAt) : null;
    if (live && !iso) local.starts_at = { code: 'datetime.invalid' };
    else if (live && Date.parse(iso) <= Date.now()) local.starts_at = { code: 'session.past' };
    if (!/^[0-9]{1,6}$/.test(capacity.trim()) || Number(capacity) < 1) local.capacity = { code: 'number.invalid' };
    setErrors(local);
    if (Object.keys(local).length) {
      focusFirst(formRef.current, local);
      return;
    }
    setBusy(true);
    const res = await api('POST', '/partner/courses/' + encodeURIComponent(str(course.course_id)) + '/sessions',
      { starts_at: iso, capacity: Number(capacity.trim()) }, { auth: true });
    setBusy(false);
    if (needLogin(res, '/provider/courses')) return;
    if (res.ok) {
      setCapacity('');
      onAdded();
      return;
    }
    const { fields, form } = problemToErrors(res, ['starts_at', 'capacity']);
    setErrors(fields);
    setFormError(form);
    focusFirst(formRef.current, fields);
  }

  return (
    <form ref={formRef} id="session-form" noValidate onSubmit={submit}>
      <h3>{t('prov.add_session')}</h3>
      {live ? (
        <Field name="starts_at" type="datetime-local" label={t('pfield.starts_at')} value={startsAt}
          error={errors.starts_at} onInput={(_, x) => { setStartsAt(x); setErrors((e) => ({ ...e, starts_at: undefined })); }}
          hint={t('pfield.starts_at_hint')} required />
      ) : <p class="small">{t('prov.self_paced_session')}</p>}
      <Field name="capacity" label={t('pfield.capacity')} value={capacity} error={errors.capacity}
        onInput={(_, x) => { setCapacity(x); setErrors((e) => ({ ...e, capacity: undefined })); }}
        inputMode="numeric" maxLength={6} required />
      <Alert id="session-form-error">{formError}</Alert>
      <button type="submit" id="session-add" class="secondary" disabled={busy}
        aria-busy={busy ? 'true' : undefined}>{busy ? t('common.sending') : t('prov.add_session_submit')}</button>
    </form>
  );
}

export function ProviderCourse({ query }) {
  const id = courseIdOf(query);
  const [role, setRole] = useState(null);
  const [course, setCourse] = useState(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState(() => flash());
  const [actionError, setActionError] = useState('');
  const [busy, setBusy] = useState(false);
  const [cats, setCats] = useState([]);
  const route = '/provider/courses';
  const L = lang();

  async function load() {
    setError('');
    const r = await roleFor(route);
    if (r === null) return;
    if (typeof r === 'object') {
      setError(r.error);
      return;
    }
    setRole(r);
    if (r !== 'provider' || !id) return;
    const res = await loadCourse(id);
    if (needLogin(res, route)) return;
    if (!res.ok || !res.data || typeof res.data !== 'object') {
      setError(res.status === 404 ? t('course.not_found') : problemToErrors(res, []).form);
      return;
    }
    setCourse(res.data);
  }

  useEffect(() => {
    categories().then((c) => setCats(c || []));
    load();
  }, [L]);

  function saved(c, created) {
    if (created) {
      flash(t('prov.created'));
      go('/provider/course?id=' + encodeURIComponent(str(c.course_id)));
      return;
    }
    setCourse((old) => ({ ...old, ...c, sessions: Array.isArray(c.sessions) ? c.sessions : sessionsOf(old) }));
    setNotice(t('prov.saved'));
    setActionError('');
  }

  async function sessionAdded() {
    setNotice(t('prov.session_added'));
    await load();
  }

  async function submitForReview() {
    if (busy) return;
    setActionError('');
    setNotice('');
    if (!sessionsOf(course).length) {
      setActionError(t('prov.need_session'));
      return;
    }
    setBusy(true);
    const res = await api('POST', '/partner/courses/' + encodeURIComponent(id) + '/submit', {}, { auth: true });
    setBusy(false);
    if (needLogin(res, route)) return;
    if (res.ok) {
      setNotice(t('prov.submitted'));
      await load();
      return;
    }
    setActionError(problemToErrors(res, []).form);
  }

  const title = id ? t('prov.course') : t('prov.new');
  if (role !== null && role !== 'provider') return <ProviderOnly title={title} />;
  if (!id) {
    if (role === null) return pageState({ title, error, onRetry: load });
    return (
      <article class="provider-course">
        <h1 tabIndex={-1}>{title}</h1>
        <ProviderLinks here="" />
        <p>{t('prov.new_intro')}</p>
        <CourseForm course={null} onSaved={saved} />
      </article>
    );
  }
  if (!course) return pageState({ title, error, onRetry: load });

  const st = str(course.status);
  const editable = EDITABLE.includes(st);
  const sessions = sessionsOf(course);
  const canAddSession = st !== 'withdrawn' && !(course.mode === 'self_paced' && sessions.length >= 1);
  return (
    <article class="provider-course" data-status={st}>
      <ProviderLinks here="" />
      <h1 tabIndex={-1} class="wrap" id="pcourse-title">{str(course.title)}</h1>
      <p><Badge id="pcourse-status" kind={STATUS_KIND[st] || 'info'}>{t('cstat.' + st)}</Badge>{' '}
        <span>{formatRupiah(course.price)}</span></p>
      <p class="small">{t('prov.status_note.' + st)}</p>
      {st === 'rejected' && course.reject_reason && (
        <div class="alert alert-error" id="pcourse-reason" role="alert">
          <strong>{t('prov.rejected')}</strong>
          <p class="wrap">{str(course.reject_reason)}</p>
          <small>{t('prov.fix_resubmit')}</small>
        </div>
      )}
      <Alert kind="ok" id="pcourse-notice">{notice}</Alert>
      <section aria-labelledby="pc-details-h">
        <h2 id="pc-details-h">{t('prov.details')}</h2>
        {editable
          ? <CourseForm key={str(course.updated_at) + st} course={course} onSaved={saved} />
          : (
            <>
              <CourseFacts c={course} cats={cats} place={str(course.regency_code)} />
              <div class="description wrap">{str(course.description).split(/\n{2,}/).map((p, i) => <p key={i}>{p}</p>)}</div>
              {st === 'approved' && <p><a href={'#/course?id=' + encodeURIComponent(id)} id="pcourse-public">{t('prov.public_page')}</a></p>}
            </>
          )}
      </section>
      <section aria-labelledby="pc-sessions-h">
        <h2 id="pc-sessions-h">{t('course.sessions')}</h2>
        <SessionList course={course} id="pc-sessions" />
        {canAddSession && <SessionForm course={course} onAdded={sessionAdded} />}
      </section>
      {editable && (
        <section aria-labelledby="pc-submit-h">
          <h2 id="pc-submit-h">{t('prov.review')}</h2>
          <p>{t('prov.review_note')}</p>
          <Alert id="pcourse-action-error">{actionError}</Alert>
          <button type="button" id="course-submit" onClick={submitForReview} disabled={busy}
            aria-busy={busy ? 'true' : undefined}>{busy ? t('common.sending') : t('prov.submit')}</button>
        </section>
      )}
      {!editable && <Alert id="pcourse-action-error">{actionError}</Alert>}
    </article>
  );
}
