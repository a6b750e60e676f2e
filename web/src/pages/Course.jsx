// The course page (#/course?id=...): GET /api/v1/courses/{id}, public for approved
// courses (a provider's staff and admins also see their drafts and pending ones,
// so the token goes along when there is one). It shows the description, the
// provider, the facts (category, level, purpose, mode, hours, place, stars) and the
// sessions with their start in WIB and the seats left. Purchases happen on the
// digital platforms, not here: a beneficiary is shown their card number, the
// balance beside the price, and the steps to buy it on a platform with the card
// number and the one-time code sent to their phone. Others are told how to get there.
import { useEffect, useState } from 'preact/hooks';
import { formatNumber, formatRupiah, formatWib, groupCard, lang, t } from '../i18n.js';
import { api, categories, me, regionName, roleOf, token } from '../api.js';
import { Alert, Badge, LIVE_MODES, Stars, pageState, problemToErrors } from '../ui.jsx';
import { categoryName } from './Catalog.jsx';

const STATUS_KIND = { draft: 'info', pending: 'warn', approved: 'ok', rejected: 'no', withdrawn: 'no' };

function str(x) {
  return typeof x === 'string' ? x : '';
}

/** A course's public id from the address: 26 base32 characters (a bit of slack), or ''. */
export function courseIdOf(query, key = 'id') {
  const id = (query.get(key) || '').trim();
  return /^[0-9A-Za-z]{10,40}$/.test(id) ? id : '';
}

/** GET /courses/{id}, with the token when there is one (a stale token: asked again without). */
export async function loadCourse(id) {
  const path = '/courses/' + encodeURIComponent(id);
  let res = await api('GET', path, undefined, { auth: !!token() });
  if (res.status === 401) res = await api('GET', path);
  return res;
}

/** The sessions of a COURSE reply, checked. */
export function sessionsOf(c) {
  return Array.isArray(c && c.sessions) ? c.sessions.filter((s) => s && typeof s === 'object').slice(0, 500) : [];
}

export function SessionList({ course, id = 'sessions' }) {
  const live = LIVE_MODES.includes(str(course.mode));
  const list = sessionsOf(course);
  if (!list.length) return <p id={id + '-none'}>{t('course.no_sessions')}</p>;
  return (
    <ul class="sessions" id={id}>
      {list.map((s) => (
        <li key={str(s.session_id)} data-session={str(s.session_id)}>
          <strong>{live && s.starts_at ? formatWib(s.starts_at) : t('course.self_paced_start')}</strong>
          <br />
          <small data-seats-left={String(s.seats_left)}>
            {t('course.seats', { left: formatNumber(s.seats_left), cap: formatNumber(s.capacity) })}
          </small>
        </li>
      ))}
    </ul>
  );
}

/** The facts of a course as a definition list; place is the regency's name. */
export function CourseFacts({ c, cats, place }) {
  const offline = c.mode === 'offline' || c.mode === 'hybrid';
  return (
    <dl class="facts" id="course-facts">
      <dt>{t('course.price')}</dt><dd id="course-price"><strong>{formatRupiah(c.price)}</strong></dd>
      <dt>{t('course.mode')}</dt><dd id="course-mode">{t('mode.' + str(c.mode))}</dd>
      <dt>{t('course.hours')}</dt><dd id="course-hours">{t('course.hours_n', { h: c.hours })}</dd>
      <dt>{t('course.category')}</dt><dd>{categoryName(cats, str(c.category))}</dd>
      <dt>{t('course.level')}</dt><dd>{t('level.' + str(c.level))}</dd>
      <dt>{t('course.purpose')}</dt><dd>{t('purpose.' + str(c.purpose))}</dd>
      {offline && (
        <>
          <dt>{t('course.place')}</dt>
          <dd id="course-place">{[str(c.address), place || str(c.regency_code)].filter(Boolean).join(', ')}</dd>
        </>
      )}
      <dt>{t('course.rating')}</dt><dd><Stars rating={c.rating} id="course-stars" /></dd>
    </dl>
  );
}

function HowToBuy({ course, role, card }) {
  if (!token()) {
    return (
      <section class="alert alert-info" id="how-to-buy" aria-labelledby="buy-h">
        <h2 id="buy-h">{t('buy.title')}</h2>
        <p>{t('buy.signed_out')}</p>
        <p><a href="#/login?reason=auth">{t('nav.login')}</a> · <a href="#/waves">{t('waves.title')}</a></p>
      </section>
    );
  }
  if (role !== 'participant') return null;
  if (!card || card.status !== 'active') {
    return (
      <section class="alert alert-info" id="how-to-buy" aria-labelledby="buy-h">
        <h2 id="buy-h">{t('buy.title')}</h2>
        <p id="buy-no-card">{card ? t('buy.revoked') : t('buy.no_card')}</p>
        {!card && <p><a href="#/waves">{t('waves.title')}</a></p>}
      </section>
    );
  }
  const enough = Number.isSafeInteger(card.balance) && Number.isSafeInteger(course.price) && card.balance >= course.price;
  return (
    <section class="alert alert-ok" id="how-to-buy" aria-labelledby="buy-h">
      <h2 id="buy-h">{t('buy.title')}</h2>
      <p>{t('buy.where')}</p>
      <p><small>{t('card.number')}</small><br />
        <strong id="buy-card-number" class="mono pcard-number">{groupCard(str(card.card_number))}</strong></p>
      <p><small>{t('card.balance')}</small><br /><strong id="buy-balance">{formatRupiah(card.balance)}</strong>
        {!enough && <><br /><span class="warn-text" id="buy-short">{t('buy.short')}</span></>}</p>
      <ol id="buy-steps">
        <li>{t('buy.step1')}</li>
        <li>{t('buy.step2')}</li>
        <li>{t('buy.step3')}</li>
        <li>{t('buy.step4')}</li>
        <li>{t('buy.step5')}</li>
      </ol>
      <p><a href="#/trainings">{t('nav.trainings')}</a></p>
    </section>
  );
}

export function Course({ query }) {
  const id = courseIdOf(query);
  const [course, setCourse] = useState(null);
  const [error, setError] = useState(id ? '' : t('course.not_found'));
  const [role, setRole] = useState('');
  const [card, setCard] = useState(null);
  const [cats, setCats] = useState([]);
  const [place, setPlace] = useState('');
  const L = lang();

  async function load() {
    if (!id) return;
    setError('');
    const [res, m] = await Promise.all([loadCourse(id), token() ? me() : null]);
    if (!res.ok || !res.data || typeof res.data !== 'object') {
      setError(res.status === 404 ? t('course.not_found') : problemToErrors(res, []).form);
      return;
    }
    const r = roleOf(m);
    setRole(r);
    if (r === 'participant') {
      const cr = await api('GET', '/me/card', undefined, { auth: true });
      setCard(cr.ok && cr.data && typeof cr.data === 'object' ? cr.data : null);
    }
    setCourse(res.data);
    if (res.data.regency_code) regionName(res.data.regency_code).then(setPlace);
  }

  useEffect(() => {
    categories().then((c) => setCats(c || []));
    load();
  }, [L]);

  if (!course) {
    if (!id || error === t('course.not_found')) {
      return (
        <article>
          <h1 tabIndex={-1}>{t('course.title')}</h1>
          <Alert id="course-error">{error || t('course.not_found')}</Alert>
          <p><a href="#/catalog">{t('course.back')}</a></p>
        </article>
      );
    }
    return pageState({ title: t('course.title'), error, onRetry: load });
  }

  const c = course;
  const status = str(c.status);
  const provider = c.provider && typeof c.provider === 'object' ? str(c.provider.name) : '';
  return (
    <article class="course" data-course={str(c.course_id)}>
      <p class="small"><a href="#/catalog">{t('course.back')}</a></p>
      <h1 tabIndex={-1} id="course-title" class="wrap">{str(c.title)}</h1>
      {status && status !== 'approved' && (
        <p><Badge id="course-status" kind={STATUS_KIND[status] || 'info'}>{t('cstat.' + status)}</Badge></p>
      )}
      {status === 'rejected' && c.reject_reason && (
        <Alert kind="error" id="course-reject-reason">{t('prov.rejected_because', { r: str(c.reject_reason) })}</Alert>
      )}
      {provider && <p id="course-provider">{t('course.by', { p: provider })}</p>}
      <CourseFacts c={c} cats={cats} place={place} />
      {status === 'approved' && <HowToBuy course={c} role={role} card={card} />}
      {role === 'provider' && status !== 'approved' && (
        <p><a href={'#/provider/course?id=' + encodeURIComponent(str(c.course_id))} id="course-manage">
          {t('prov.manage')}</a></p>
      )}
      <section aria-labelledby="desc-h">
        <h2 id="desc-h">{t('course.description')}</h2>
        <div class="description wrap" id="course-description">
          {str(c.description).split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}
        </div>
      </section>
      <section aria-labelledby="sessions-h">
        <h2 id="sessions-h">{t('course.sessions')}</h2>
        <SessionList course={c} />
      </section>
    </article>
  );
}
