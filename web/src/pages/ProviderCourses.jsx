// My courses (staff of a training provider, role provider): GET
// /api/v1/partner/courses with the staff member's bearer token (the partner API
// accepts it in place of a signature), every status, "more" by cursor. Each course
// shows its status, price and mode, and a rejected one its reason (read from GET
// /api/v1/courses/{id} when the list leaves it out); each opens the
// course's own page (ProviderCourse.jsx) to edit it, add sessions and submit it.
// The links to the provider's other pages (redeem, report completion) head it.
import { useEffect, useState } from 'preact/hooks';
import { formatRupiah, lang, t } from '../i18n.js';
import { page } from '../api.js';
import { Alert, Badge, flash, pageState, problemToErrors, roleFor } from '../ui.jsx';
import { loadCourse } from './Course.jsx';

const ROUTE = '/provider/courses';
export const STATUS_KIND = { draft: 'info', pending: 'warn', approved: 'ok', rejected: 'no', withdrawn: 'no' };

function str(x) {
  return typeof x === 'string' ? x : '';
}

/** The provider pages' own navigation. */
export function ProviderLinks({ here }) {
  const link = (href, key, id) => (
    <li><a href={'#' + href} id={id} aria-current={here === href ? 'page' : undefined}>{t(key)}</a></li>
  );
  return (
    <div role="navigation" class="links" aria-label={t('prov.nav')}>
      <ul>
        {link('/provider/courses', 'prov.nav_courses', 'plink-courses')}
        {link('/provider/redeem', 'prov.nav_redeem', 'plink-redeem')}
        {link('/provider/complete', 'prov.nav_complete', 'plink-complete')}
      </ul>
    </div>
  );
}

/** For a page of role provider: the message shown to anyone else. */
export function ProviderOnly({ title }) {
  return (
    <article>
      <h1 tabIndex={-1}>{title}</h1>
      <Alert id="provider-only">{t('prov.only')}</Alert>
    </article>
  );
}

/** The list's rejected courses with their reasons, asked of each course when missing. */
async function withReasons(list) {
  return Promise.all(list.map(async (c) => {
    if (c.status !== 'rejected' || typeof c.reject_reason === 'string') return c;
    const res = await loadCourse(str(c.course_id));
    return res.ok && res.data && typeof res.data.reject_reason === 'string'
      ? { ...c, reject_reason: res.data.reject_reason } : c;
  }));
}

export function ProviderCourses() {
  const [role, setRole] = useState(null);
  const [items, setItems] = useState(null);
  const [next, setNext] = useState(null);
  const [error, setError] = useState('');
  const [more, setMore] = useState(false);
  const [notice] = useState(() => flash());
  const L = lang();

  async function load() {
    setError('');
    const r = await roleFor(ROUTE);
    if (r === null) return;
    if (typeof r === 'object') {
      setError(r.error);
      return;
    }
    setRole(r);
    if (r !== 'provider') return;
    const p = await page('/partner/courses?limit=50', null, { auth: true });
    if (!p.items) {
      setError(problemToErrors(p.res, []).form);
      return;
    }
    setItems(await withReasons(p.items));
    setNext(p.next);
  }

  useEffect(() => { load(); }, [L]);

  async function loadMore() {
    if (!next || more) return;
    setMore(true);
    const p = await page('/partner/courses?limit=50', next, { auth: true });
    if (!p.items) {
      setMore(false);
      setError(problemToErrors(p.res, []).form);
      return;
    }
    const add = await withReasons(p.items);
    setMore(false);
    const seen = new Set(items.map((x) => x.course_id));
    setItems([...items, ...add.filter((x) => !seen.has(x.course_id))]);
    setNext(p.next);
  }

  if (role !== null && role !== 'provider') return <ProviderOnly title={t('prov.courses')} />;
  if (!items) return pageState({ title: t('prov.courses'), error, onRetry: load });

  return (
    <article class="provider-courses">
      <h1 tabIndex={-1}>{t('prov.courses')}</h1>
      <ProviderLinks here={ROUTE} />
      <Alert kind="ok" id="prov-notice">{notice}</Alert>
      <p><a href="#/provider/course" role="button" id="new-course">{t('prov.new')}</a></p>
      {items.length === 0 ? <p id="prov-none">{t('prov.none')}</p> : (
        <ul class="cards" id="prov-course-list">
          {items.map((c) => {
            const id = str(c.course_id);
            const st = str(c.status);
            return (
              <li key={id} id={'pcourse-' + id} data-status={st}>
                <h3 class="wrap"><a href={'#/provider/course?id=' + encodeURIComponent(id)}>{str(c.title)}</a></h3>
                <p><Badge id={'pstatus-' + id} kind={STATUS_KIND[st] || 'info'}>{t('cstat.' + st)}</Badge>{' '}
                  <span>{formatRupiah(c.price)}</span>{' · '}<span>{t('mode.' + str(c.mode))}</span></p>
                {st === 'rejected' && c.reject_reason && (
                  <p class="alert alert-error wrap" id={'preason-' + id}>
                    {t('prov.rejected_because', { r: str(c.reject_reason) })}</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {error && <Alert>{error}</Alert>}
      {next && (
        <button type="button" class="secondary" id="prov-more" onClick={loadMore} disabled={more}
          aria-busy={more ? 'true' : undefined}>{more ? t('common.loading') : t('cat.more')}</button>
      )}
    </article>
  );
}
