// Course curation (role admin): GET /api/v1/admin/courses?status=pending lists the
// courses waiting for review (another status can be chosen), "more" by cursor.
// Each shows what a reviewer needs: the provider, the facts, the description and
// the sessions (read from GET /api/v1/courses/{id} when the list leaves them out).
// Approve (POST .../approve) puts it on sale; reject (POST .../reject) needs a
// reason of 5..500 characters, which the provider sees. A decided course leaves
// the pending list with a note of what was done; refusals (no session, not
// pending any more) show their message at the course.
import { useEffect, useState } from 'preact/hooks';
import { lang, t } from '../i18n.js';
import { api, categories, page } from '../api.js';
import { Alert, Badge, Select, TextArea, needLogin, pageState, problemToErrors, roleFor } from '../ui.jsx';
import { CourseFacts, loadCourse, SessionList } from './Course.jsx';
import { STATUS_KIND } from './ProviderCourses.jsx';

const ROUTE = '/admin/courses';
const STATUSES = ['pending', 'approved', 'rejected', 'draft'];
const REASON_MIN = 5;
const REASON_MAX = 500;

function str(x) {
  return typeof x === 'string' ? x : '';
}

function Review({ c, cats, onDecided }) {
  const id = str(c.course_id);
  const st = str(c.status);
  const [reason, setReason] = useState('');
  const [reasonErr, setReasonErr] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');
  const provider = c.provider && typeof c.provider === 'object' ? str(c.provider.name) : '';

  async function decide(what) {
    if (busy) return;
    setError('');
    let body = {};
    if (what === 'reject') {
      const r = reason.trim();
      const n = [...r].length;
      if (n < REASON_MIN || n > REASON_MAX) {
        setReasonErr({ code: n < REASON_MIN ? 'cur.reason_short' : 'cur.reason_long' });
        document.getElementById('reason-' + id).focus();
        return;
      }
      body = { reason: r };
    }
    setBusy(what);
    const res = await api('POST', '/admin/courses/' + encodeURIComponent(id) + '/' + what, body, { auth: true });
    setBusy('');
    if (needLogin(res, ROUTE)) return;
    if (res.ok) {
      onDecided(c, what, res.data && typeof res.data === 'object' ? res.data : null);
      return;
    }
    const { fields, form } = problemToErrors(res, ['reason']);
    if (fields.reason) setReasonErr(fields.reason);
    setError(form);
  }

  return (
    <li class="review" id={'review-' + id} data-status={st}>
      <h3 class="wrap"><a href={'#/course?id=' + encodeURIComponent(id)}>{str(c.title)}</a></h3>
      <p>{provider && <span class="wrap">{t('course.by', { p: provider })} </span>}
        <Badge kind={STATUS_KIND[st] || 'info'}>{t('cstat.' + st)}</Badge></p>
      <CourseFacts c={c} cats={cats} place={str(c.regency_code)} />
      <details open>
        <summary>{t('course.description')}</summary>
        <div class="description wrap">{str(c.description).split(/\n{2,}/).map((p, i) => <p key={i}>{p}</p>)}</div>
      </details>
      <h4>{t('course.sessions')}</h4>
      <SessionList course={c} id={'sessions-' + id} />
      {st === 'rejected' && c.reject_reason && <p class="wrap">{t('prov.rejected_because', { r: str(c.reject_reason) })}</p>}
      {st === 'pending' && (
        <div class="decide">
          <button type="button" id={'approve-' + id} onClick={() => decide('approve')} disabled={!!busy}
            aria-busy={busy === 'approve' ? 'true' : undefined}>{t('cur.approve')}</button>
          <form noValidate onSubmit={(e) => { e.preventDefault(); decide('reject'); }}>
            <TextArea name={'reason-' + id} label={t('cur.reason')} hint={t('cur.reason_hint')} value={reason}
              error={reasonErr} rows={3} maxLength={REASON_MAX + 50}
              onInput={(_, x) => { setReason(x); setReasonErr(null); }} />
            <button type="submit" class="secondary" id={'reject-' + id} disabled={!!busy}
              aria-busy={busy === 'reject' ? 'true' : undefined}>{t('cur.reject')}</button>
          </form>
        </div>
      )}
      <Alert id={'review-error-' + id}>{error}</Alert>
    </li>
  );
}

export function AdminCourses({ query }) {
  const initial = STATUSES.includes(query.get('status')) ? query.get('status') : 'pending';
  const [status, setStatus] = useState(initial);
  const [role, setRole] = useState(null);
  const [items, setItems] = useState(null);
  const [next, setNext] = useState(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [more, setMore] = useState(false);
  const [cats, setCats] = useState([]);
  const L = lang();

  /** Courses of a list page with their details filled in from the course itself. */
  async function detailed(list) {
    return Promise.all(list.map(async (c) => {
      if (typeof c.description === 'string' && Array.isArray(c.sessions)) return c;
      const res = await loadCourse(str(c.course_id));
      return res.ok && res.data && typeof res.data === 'object' ? { ...c, ...res.data } : c;
    }));
  }

  async function load(st = status) {
    setError('');
    const r = await roleFor(ROUTE);
    if (r === null) return;
    if (typeof r === 'object') {
      setError(r.error);
      return;
    }
    setRole(r);
    if (r !== 'admin') return;
    const p = await page('/admin/courses?limit=20&status=' + encodeURIComponent(st), null, { auth: true });
    if (needLogin(p.res, ROUTE)) return;
    if (!p.items) {
      setError(problemToErrors(p.res, []).form);
      return;
    }
    setItems(await detailed(p.items));
    setNext(p.next);
  }

  useEffect(() => {
    categories().then((c) => setCats(c || []));
    load();
  }, [L]);

  async function loadMore() {
    if (!next || more) return;
    setMore(true);
    const p = await page('/admin/courses?limit=20&status=' + encodeURIComponent(status), next, { auth: true });
    if (!p.items) {
      setMore(false);
      setError(problemToErrors(p.res, []).form);
      return;
    }
    const add = await detailed(p.items);
    setMore(false);
    const seen = new Set(items.map((x) => x.course_id));
    setItems([...items, ...add.filter((x) => !seen.has(x.course_id))]);
    setNext(p.next);
  }

  function changeStatus(_, st) {
    if (!STATUSES.includes(st)) return;
    setStatus(st);
    setItems(null);
    setNotice('');
    load(st);
  }

  function decided(c, what, updated) {
    setNotice(t(what === 'approve' ? 'cur.approved' : 'cur.rejected', { title: str(c.title) }));
    if (status === 'pending') setItems((xs) => xs.filter((x) => x.course_id !== c.course_id));
    else setItems((xs) => xs.map((x) => (x.course_id === c.course_id ? { ...x, ...(updated || {}) } : x)));
    requestAnimationFrame(() => {
      const el = document.getElementById('cur-notice');
      if (el) el.focus();
    });
  }

  if (role !== null && role !== 'admin') {
    return (
      <article>
        <h1 tabIndex={-1}>{t('cur.title')}</h1>
        <Alert id="admin-only">{t('adm.only')}</Alert>
      </article>
    );
  }
  if (!items) return pageState({ title: t('cur.title'), error, onRetry: () => load() });

  return (
    <article class="admin-courses">
      <h1 tabIndex={-1}>{t('cur.title')}</h1>
      <Select name="status" label={t('cur.status')} value={status} onChange={changeStatus} bare
        options={STATUSES.map((s) => ({ value: s, label: t('cstat.' + s) }))} />
      {notice && <p class="alert alert-ok" id="cur-notice" role="status" tabIndex={-1}>{notice}</p>}
      {items.length === 0 ? <p id="cur-none">{t(status === 'pending' ? 'cur.none' : 'cur.none_status')}</p> : (
        <ul class="cards" id="cur-list">
          {items.map((c) => <Review key={str(c.course_id)} c={c} cats={cats} onDecided={decided} />)}
        </ul>
      )}
      {error && <Alert>{error}</Alert>}
      {next && (
        <button type="button" class="secondary" id="cur-more" onClick={loadMore} disabled={more}
          aria-busy={more ? 'true' : undefined}>{more ? t('common.loading') : t('cat.more')}</button>
      )}
    </article>
  );
}
