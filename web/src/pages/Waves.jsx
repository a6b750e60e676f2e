// The waves page (gelombang): every wave from GET /api/v1/waves (public) with its
// status, opening and closing times in WIB and its quota. A signed-in participant also
// sees their applications (GET /api/v1/me/applications, newest first): the newest one
// with each eligibility rule marked passed or not and the server's message for it (in
// the request's language, so the list is asked for again when the language changes),
// and the draw's result: selected (with the way to the card) or not selected, with a
// one-click carry-over to the next wave. The open wave has an apply button (POST
// /api/v1/waves/{n}/applications) for participants who have no live application.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatNumber, formatWib, lang, t } from '../i18n.js';
import { api, me, roleOf, setToken, token } from '../api.js';
import { Alert, Badge, pageState, needLogin, problemToErrors } from '../ui.jsx';

const LIVE = ['submitted', 'eligible', 'ineligible'];
const STATUS_KIND = { scheduled: 'info', open: 'ok', closed: 'no', drawn: 'no' };
const APP_KIND = { submitted: 'info', eligible: 'ok', ineligible: 'no', selected: 'ok',
  not_selected: 'no', carried_over: 'info' };

function str(x) {
  return typeof x === 'string' ? x : '';
}

function items(res) {
  return res && res.ok && res.data && Array.isArray(res.data.items)
    ? res.data.items.filter((x) => x && typeof x === 'object').slice(0, 500) : null;
}

function Rule({ r }) {
  const ok = r.passed === true;
  const rule = str(r.rule);
  return (
    <li class={ok ? 'rule rule-ok' : 'rule rule-no'} data-rule={rule} data-passed={ok ? 'true' : 'false'}>
      <span class="mark" aria-hidden="true">{ok ? '✓' : '✗'}</span>
      <span>
        <strong>{t('rule.' + rule)}</strong>{' '}
        <span class="sr-only">{t(ok ? 'rule.pass' : 'rule.fail')}</span>
        {!ok && <span class="rule-msg">{str(r.message) || t(str(r.reason))}</span>}
        {!ok && rule === 'test' && <> <a href="#/test">{t('app.take_test')}</a></>}
        {!ok && rule === 'verified' && <> <a href="#/verify">{t('app.verify_now')}</a></>}
      </span>
    </li>
  );
}

function Application({ app, busy, onCarry, headingRef }) {
  const st = str(app.status);
  const rules = Array.isArray(app.eligibility) ? app.eligibility.filter((r) => r && typeof r === 'object') : [];
  return (
    <section class="application" id="my-application" aria-labelledby="app-h">
      <h2 id="app-h" tabIndex={-1} ref={headingRef}>{t('app.title')}</h2>
      <p>
        <span id="app-wave">{t('app.in_wave', { n: app.wave })}</span>{' '}
        <Badge id="app-status" kind={APP_KIND[st] || 'info'}>{t('astatus.' + st)}</Badge>
      </p>
      {st === 'selected' && (
        <div class="alert alert-ok" role="status" id="app-selected">
          <p>{t('app.selected_note')}{app.stage ? ' ' + t('app.stage.' + str(app.stage)) : ''}</p>
          <a href="#/card" role="button" id="see-card">{t('app.see_card')}</a>
        </div>
      )}
      {st === 'not_selected' && (
        <div class="alert alert-info" id="app-not-selected">
          <p>{t('app.not_selected_note')}</p>
          <button type="button" id="carry-over" onClick={() => onCarry(app)} disabled={busy}
            aria-busy={busy ? 'true' : undefined}>{t('app.carry_over')}</button>
        </div>
      )}
      {(st === 'eligible' || st === 'submitted') && <p>{t('app.wait_draw')}</p>}
      {st === 'ineligible' && <p>{t('app.ineligible_note')}</p>}
      {rules.length > 0 && (
        <>
          <h3>{t('app.checks')}</h3>
          {app.checked_at && <p><small>{t('app.checked_at', { t: formatWib(app.checked_at) })}</small></p>}
          <ul class="rules" id="eligibility">
            {rules.map((r) => <Rule key={str(r.rule)} r={r} />)}
          </ul>
        </>
      )}
    </section>
  );
}

function Wave({ w, mine, canApply, applying, onApply, signedIn, role, needTest }) {
  const st = str(w.status);
  return (
    <li class="wave" id={'wave-' + w.number} data-status={st}>
      <h3>{t('waves.wave', { n: w.number })}{' '}
        <Badge kind={STATUS_KIND[st] || 'info'}>{t('wstatus.' + st)}</Badge></h3>
      <dl class="facts">
        <dt>{t('waves.opens')}</dt><dd>{formatWib(w.opens_at)}</dd>
        <dt>{t('waves.closes')}</dt><dd>{formatWib(w.closes_at)}</dd>
        <dt>{t('waves.quota')}</dt><dd>{t('waves.people', { n: formatNumber(w.total_quota) })}</dd>
        <dt>{t('waves.scheme')}</dt><dd>{str(w.scheme)}</dd>
      </dl>
      {mine && <p class="mine"><Badge kind="ok">{t('waves.applied_here')}</Badge></p>}
      {st === 'open' && !mine && !signedIn && (
        <a href={'#/login?reason=auth&next=' + encodeURIComponent('/waves')} role="button">
          {t('waves.login_to_apply')}</a>
      )}
      {st === 'open' && !mine && signedIn && role && role !== 'participant' && <p>{t('waves.staff_cannot')}</p>}
      {st === 'open' && canApply && (
        <>
          {needTest && <p class="alert alert-info">{t('waves.need_test')} <a href="#/test">{t('app.take_test')}</a></p>}
          <button type="button" id={'apply-' + w.number} onClick={() => onApply(w.number)} disabled={applying}
            aria-busy={applying ? 'true' : undefined}>
            {applying ? t('waves.applying') : t('waves.apply', { n: w.number })}
          </button>
        </>
      )}
    </li>
  );
}

export function Waves() {
  const [waves, setWaves] = useState(null);
  const [apps, setApps] = useState([]);
  const [role, setRole] = useState('');
  const [testPassed, setTestPassed] = useState(true);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState(null);
  const appHeading = useRef(null);
  const focusApp = useRef(false);
  const L = lang();

  async function load() {
    setError('');
    const signedIn = !!token();
    const [w, m, a] = await Promise.all([
      api('GET', '/waves'),
      signedIn ? me() : null,
      signedIn ? api('GET', '/me/applications', undefined, { auth: true }) : null,
    ]);
    const list = items(w);
    if (!list) {
      setError(problemToErrors(w, []).form);
      return;
    }
    if ((m && m.status === 401) || (a && a.status === 401)) setToken(null);
    const r = roleOf(m);
    setRole(r);
    setApps(items(a) || []);
    setWaves(list);
    if (r === 'participant') {
      const tst = await api('GET', '/me/test', undefined, { auth: true });
      setTestPassed(!(tst.ok && tst.data && tst.data.passed === false));
    }
  }

  useEffect(() => { load(); }, [L]);

  /* Back to the tab later (after the draw, say): ask again so the result is current. */
  useEffect(() => {
    const on = () => { if (document.visibilityState === 'visible') load(); };
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);

  useEffect(() => {
    if (focusApp.current && appHeading.current) {
      focusApp.current = false;
      appHeading.current.focus();
    }
  });

  async function apply(n) {
    if (busy) return;
    setBusy(true);
    setNotice(null);
    const res = await api('POST', '/waves/' + encodeURIComponent(n) + '/applications', {}, { auth: true });
    setBusy(false);
    if (needLogin(res, '/waves')) return;
    if (res.status === 201 && res.data && typeof res.data === 'object') {
      setApps((old) => [res.data, ...old.filter((x) => x.application_id !== res.data.application_id)]);
      focusApp.current = true;
      load();
      return;
    }
    setNotice({ kind: 'error', text: problemToErrors(res, []).form });
  }

  async function carry(app) {
    if (busy) return;
    setBusy(true);
    setNotice(null);
    const res = await api('POST', '/me/applications/' + encodeURIComponent(str(app.application_id)) +
      '/carry-over', {}, { auth: true });
    setBusy(false);
    if (needLogin(res, '/waves')) return;
    if (res.status === 201 && res.data && typeof res.data === 'object') {
      setNotice({ kind: 'ok', text: t('app.carried', { n: res.data.wave }) });
      focusApp.current = true;
      await load();
      return;
    }
    setNotice({ kind: 'error', text: problemToErrors(res, []).form });
  }

  if (!waves) return pageState({ title: t('waves.title'), error, onRetry: load });

  const signedIn = !!token();
  const current = apps[0];
  const older = apps.slice(1);
  const live = apps.some((x) => LIVE.includes(x.status));
  const sorted = waves.slice().sort((a, b) => b.number - a.number);
  return (
    <article class="waves">
      <h1 tabIndex={-1}>{t('waves.title')}</h1>
      <p>{t('waves.intro')}</p>
      {notice && <Alert kind={notice.kind} id="waves-notice">{notice.text}</Alert>}
      {current && <Application app={current} busy={busy} onCarry={carry} headingRef={appHeading} />}
      {older.length > 0 && (
        <details>
          <summary>{t('app.older')}</summary>
          <ul class="older">
            {older.map((o) => (
              <li key={str(o.application_id)}>{t('app.in_wave', { n: o.wave })}{' '}
                <Badge kind={APP_KIND[o.status] || 'info'}>{t('astatus.' + str(o.status))}</Badge></li>
            ))}
          </ul>
        </details>
      )}
      <section aria-labelledby="waves-h">
        <h2 id="waves-h">{t('waves.title')}</h2>
        {sorted.length === 0 ? <p>{t('waves.none')}</p> : (
          <ul class="cards" id="wave-list">
            {sorted.map((w) => {
              const mine = apps.some((x) => x.wave === w.number);
              return (
                <Wave key={w.number} w={w} mine={mine} signedIn={signedIn} role={role}
                  canApply={signedIn && role === 'participant' && !mine && !live}
                  applying={busy} onApply={apply} needTest={!testPassed} />
              );
            })}
          </ul>
        )}
      </section>
    </article>
  );
}
