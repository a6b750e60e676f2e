// My trainings (participant): GET /api/v1/me/trainings, one entry per purchase,
// newest first as the server sends them. Each shows the course, the price, when it
// was bought and the voucher code to show at the provider; the redeem codes the
// provider gave for it, one per session, with the window a live session's code
// works in (from an hour before to an hour after the start, in WIB); the
// certificate once the provider reports completion; and then the rating form (1 to
// 5 stars and a review of 10..2000 characters, POST .../rating) until it is rated.
// The first finished and rated training is the one the incentive is paid for: the
// entry the server marks incentive_eligible says so, and while none is, finished
// entries waiting for a rating say that rating them earns it. The card's balance
// and number head the page, with the way to the catalog.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDate, formatRupiah, formatWib, formatWindow, groupCard, lang, t } from '../i18n.js';
import { api, me, roleOf, token } from '../api.js';
import { Alert, Badge, LIVE_MODES, TextArea, needLogin, pageState, problemToErrors } from '../ui.jsx';

const ROUTE = '/trainings';
const PSTATUS_KIND = { paid: 'info', completed: 'ok', cancelled: 'no' };
const RSTATUS_KIND = { issued: 'info', used: 'ok', cancelled: 'no' };
const REVIEW_MIN = 10;
const REVIEW_MAX = 2000;

function str(x) {
  return typeof x === 'string' ? x : '';
}

/** n of 5 stars as "★★★★☆". */
function stars(n) {
  const k = Math.max(0, Math.min(5, Number(n) || 0));
  return '★'.repeat(k) + '☆'.repeat(5 - k);
}

function StarInput({ name, value, onChange, error }) {
  return (
    <fieldset class="field star-input" aria-describedby={'err-' + name}>
      <legend>{t('rate.stars')}</legend>
      <div class="stars-row">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} for={name + '-' + n} class={Number(value) >= n ? 'star on' : 'star'}>
            <input type="radio" id={name + '-' + n} name={name} value={String(n)} class="sr-only"
              checked={Number(value) === n} onChange={() => onChange(n)}
              aria-invalid={error ? 'true' : undefined} />
            <span aria-hidden="true">★</span>
            <span class="sr-only">{t('rate.n_stars', { n })}</span>
          </label>
        ))}
      </div>
      <small id={'err-' + name} class="field-error" data-error-for={name} aria-live="polite">
        {error ? error.message || t(error.code) : ''}</small>
    </fieldset>
  );
}

function RatingForm({ pid, onRated }) {
  const [stars, setStars] = useState(0);
  const [review, setReview] = useState('');
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef(null);

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    const local = {};
    if (!(stars >= 1 && stars <= 5)) local.stars = { code: 'rate.choose_stars' };
    const len = [...review.trim()].length;
    if (len < REVIEW_MIN) local.review = { code: 'rate.review_short' };
    else if (len > REVIEW_MAX) local.review = { code: 'rate.review_long' };
    setErrors(local);
    if (Object.keys(local).length) {
      const el = formRef.current && formRef.current.querySelector(local.stars ? 'input[type=radio]' : 'textarea');
      if (el) el.focus();
      return;
    }
    setBusy(true);
    const res = await api('POST', '/me/trainings/' + encodeURIComponent(pid) + '/rating',
      { stars, review: review.trim() }, { auth: true });
    setBusy(false);
    if (needLogin(res, ROUTE)) return;
    if (res.status === 201 || res.ok) {
      onRated();
      return;
    }
    const { fields, form } = problemToErrors(res, ['stars', 'review']);
    setErrors(fields);
    setFormError(form);
  }

  const n = [...review.trim()].length;
  return (
    <form ref={formRef} class="rating-form" id={'rate-' + pid} noValidate onSubmit={submit}>
      <h4>{t('rate.title')}</h4>
      <StarInput name={'stars-' + pid} value={stars} error={errors.stars}
        onChange={(x) => { setStars(x); setErrors((e) => ({ ...e, stars: undefined })); }} />
      <TextArea name={'review-' + pid} label={t('rate.review')} hint={t('rate.review_hint')} value={review}
        error={errors.review} rows={4} maxLength={REVIEW_MAX + 100}
        onInput={(_, x) => { setReview(x); setErrors((e) => ({ ...e, review: undefined })); }} />
      <p class="small counter" aria-live="off">{t('rate.count', { n, max: REVIEW_MAX })}</p>
      <Alert id={'rate-error-' + pid}>{formError}</Alert>
      <button type="submit" id={'rate-submit-' + pid} disabled={busy} aria-busy={busy ? 'true' : undefined}>
        {busy ? t('common.sending') : t('rate.submit')}</button>
    </form>
  );
}

function RedeemCodes({ tr, live }) {
  const codes = Array.isArray(tr.redeem_codes) ? tr.redeem_codes.filter((r) => r && typeof r === 'object') : [];
  const pid = str(tr.purchase_id);
  if (!codes.length) {
    return tr.status === 'paid' ? <p class="small" id={'no-codes-' + pid}>{t('tr.no_codes')}</p> : null;
  }
  return (
    <>
      <h4>{t('tr.redeem_codes')}</h4>
      <ul class="codes" id={'codes-' + pid}>
        {codes.map((r) => (
          <li key={str(r.code) || str(r.session_id)} data-code={str(r.code)} data-status={str(r.status)}>
            <span class="mono code">{str(r.code)}</span>{' '}
            <Badge kind={RSTATUS_KIND[str(r.status)] || 'info'}>{t('rstatus.' + str(r.status))}</Badge>
            <br />
            {live && r.starts_at ? (
              <small>{t('tr.session_at', { t: formatWib(r.starts_at) })}<br />
                <span class="window">{formatWindow(r.starts_at)}</span></small>
            ) : <small>{t('tr.any_time')}</small>}
          </li>
        ))}
      </ul>
    </>
  );
}

function Training({ tr, anyEligible, onRated }) {
  const pid = str(tr.purchase_id);
  const c = tr.course && typeof tr.course === 'object' ? tr.course : {};
  const st = str(tr.status);
  const live = LIVE_MODES.includes(str(c.mode));
  const cert = tr.certificate && typeof tr.certificate === 'object' ? tr.certificate : null;
  const rating = tr.rating && typeof tr.rating === 'object' ? tr.rating : null;
  const provider = c.provider && typeof c.provider === 'object' ? str(c.provider.name) : '';
  return (
    <li class="training" id={'training-' + pid} data-status={st}>
      <h3 class="wrap">
        {c.course_id ? <a href={'#/course?id=' + encodeURIComponent(str(c.course_id))}>{str(c.title)}</a> : str(c.title)}
      </h3>
      {provider && <p class="muted wrap">{provider}</p>}
      <p><Badge id={'status-' + pid} kind={PSTATUS_KIND[st] || 'info'}>{t('pstatus.' + st)}</Badge>{' '}
        <span>{t('mode.' + str(c.mode))}</span></p>
      <dl class="facts">
        <dt>{t('tr.voucher')}</dt>
        <dd><strong class="mono code" id={'voucher-' + pid}>{str(tr.voucher_code)}</strong>
          {st === 'paid' && <><br /><small>{t('tr.voucher_note')}</small></>}</dd>
        <dt>{t('course.price')}</dt><dd>{formatRupiah(tr.price)}</dd>
        <dt>{t('tr.bought')}</dt><dd>{formatWib(tr.created_at)}</dd>
      </dl>
      {st !== 'cancelled' && <RedeemCodes tr={tr} live={live} />}
      {cert && (
        <section class="certificate" id={'cert-' + pid} aria-label={t('tr.certificate')}>
          <h4>{t('tr.certificate')}</h4>
          <dl class="facts">
            <dt>{t('tr.cert_no')}</dt><dd class="mono" id={'cert-no-' + pid}>{str(cert.certificate_no)}</dd>
            <dt>{t('tr.score')}</dt><dd id={'cert-score-' + pid}>{String(cert.score ?? '')}</dd>
            <dt>{t('tr.completed_on')}</dt><dd>{formatDate(cert.completed_on)}</dd>
          </dl>
        </section>
      )}
      {tr.incentive_eligible === true && (
        <p class="alert alert-ok" id={'incentive-' + pid}>{t('tr.incentive_this')}</p>
      )}
      {rating ? (
        <div class="rated" id={'rated-' + pid}>
          <h4>{t('rate.yours')}</h4>
          <p><span class="stars" aria-label={t('rate.n_stars', { n: rating.stars })}>
            <span aria-hidden="true">{stars(rating.stars)}</span></span></p>
          <p class="wrap review">{str(rating.review)}</p>
        </div>
      ) : (cert || st === 'completed') && (
        <>
          {!anyEligible && <p class="alert alert-info" id={'incentive-hint-' + pid}>{t('tr.incentive_hint')}</p>}
          <RatingForm pid={pid} onRated={onRated} />
        </>
      )}
    </li>
  );
}

export function Trainings() {
  const [items, setItems] = useState(null);
  const [role, setRole] = useState(null);
  const [card, setCard] = useState(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const L = lang();

  async function load() {
    setError('');
    if (!token()) {
      needLogin(null, ROUTE);
      return;
    }
    const m = await me();
    if (needLogin(m, ROUTE)) return;
    const r = roleOf(m);
    setRole(r);
    if (r !== 'participant') return;
    const [res, cr] = await Promise.all([
      api('GET', '/me/trainings', undefined, { auth: true }),
      api('GET', '/me/card', undefined, { auth: true }),
    ]);
    if (needLogin(res, ROUTE)) return;
    if (!res.ok || !res.data || !Array.isArray(res.data.items)) {
      setError(problemToErrors(res, []).form);
      return;
    }
    setCard(cr.ok && cr.data && typeof cr.data === 'object' ? cr.data : null);
    setItems(res.data.items.filter((x) => x && typeof x === 'object').slice(0, 200));
  }

  useEffect(() => { load(); }, [L]);

  async function rated() {
    setNotice(t('rate.thanks'));
    await load();
  }

  if (role !== null && role !== 'participant') {
    return (
      <article>
        <h1 tabIndex={-1}>{t('tr.title')}</h1>
        <Alert id="participants-only">{t('tr.only')}</Alert>
      </article>
    );
  }
  if (!items) return pageState({ title: t('tr.title'), error, onRetry: load });

  const anyEligible = items.some((x) => x.incentive_eligible === true);
  return (
    <article class="trainings">
      <h1 tabIndex={-1}>{t('tr.title')}</h1>
      {card && (
        <p class="small" id="tr-card">{t('card.number')}: <span class="mono">{groupCard(str(card.card_number))}</span>
          {' · '}{t('card.balance')}: <strong id="tr-balance">{formatRupiah(card.balance)}</strong></p>
      )}
      <Alert kind="ok" id="tr-notice">{notice}</Alert>
      {items.length === 0 ? (
        <div id="tr-none">
          <p>{t('tr.none')}</p>
          <p><a href="#/catalog" role="button">{t('tr.browse')}</a></p>
        </div>
      ) : (
        <>
          <p>{t('tr.intro')} <a href="#/catalog">{t('tr.browse')}</a></p>
          <ul class="cards" id="training-list">
            {items.map((tr) => <Training key={str(tr.purchase_id)} tr={tr} anyEligible={anyEligible} onRated={rated} />)}
          </ul>
        </>
      )}
    </article>
  );
}
