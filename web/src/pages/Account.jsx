// The account page: GET /api/v1/me with the kept token. No token, or a 401, sends
// the person to log in. Shows the name, the masked NIK as the server masks it, the
// verified state of email and phone, and the domicile's region names, then links to
// the next steps (the basic test, the waves, the card, my trainings, the catalog;
// the provider's courses for provider staff; the admin pages for admins); log out
// deletes the session on the server and forgets the token either way.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { api, setToken, token } from '../api.js';
import { Alert, go, problemToErrors } from '../ui.jsx';

function str(x) {
  return typeof x === 'string' ? x : '';
}

function regionName(r) {
  return r && typeof r === 'object' ? str(r.display_name) || str(r.name) : '';
}

function Verified({ ok, id }) {
  return (
    <span id={id} class={ok ? 'badge badge-ok' : 'badge badge-no'}>
      {t(ok ? 'acc.verified' : 'acc.unverified')}
    </span>
  );
}

export function Account() {
  const [me, setMe] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function load() {
    setError('');
    if (!token()) {
      go('/login?reason=auth');
      return;
    }
    const res = await api('GET', '/me', undefined, { auth: true });
    if (res.status === 401) {
      setToken(null);
      go('/login?reason=auth');
      return;
    }
    if (!res.ok || !res.data) {
      setError(problemToErrors(res, []).form);
      return;
    }
    setMe(res.data);
  }

  useEffect(() => { load(); }, []);

  async function logout() {
    setBusy(true);
    await api('DELETE', '/sessions/current', undefined, { auth: true });
    setToken(null);
    setBusy(false);
    go('/');
  }

  if (error) {
    return (
      <article>
        <h1 tabIndex={-1}>{t('acc.title')}</h1>
        <Alert>{error}</Alert>
        <button type="button" onClick={load}>{t('regions.retry')}</button>
      </article>
    );
  }
  if (!me) {
    return <article aria-busy="true"><h1 tabIndex={-1}>{t('acc.title')}</h1><p>{t('acc.loading')}</p></article>;
  }
  const region = [me.village, me.district, me.regency, me.province].map(regionName).filter(Boolean);
  const unverified = me.email_verified !== true || me.phone_verified !== true;
  return (
    <article>
      <h1 tabIndex={-1}>{t('acc.title')}</h1>
      <dl class="account">
        <dt>{t('acc.name')}</dt>
        <dd id="me-name">{str(me.full_name)}</dd>
        <dt>{t('acc.nik')}</dt>
        <dd id="me-nik" class="mono">{str(me.nik_masked)}</dd>
        <dt>{t('acc.email')}</dt>
        <dd><span id="me-email" class="wrap">{str(me.email)}</span> <Verified id="me-email-verified" ok={me.email_verified === true} /></dd>
        <dt>{t('acc.phone')}</dt>
        <dd><span id="me-phone">{str(me.phone)}</span> <Verified id="me-phone-verified" ok={me.phone_verified === true} /></dd>
        <dt>{t('acc.region')}</dt>
        <dd id="me-region">{region.join(', ')}</dd>
      </dl>
      <div role="navigation" aria-label={t('acc.next')} class="links">
        <ul>
          {me.role === 'participant' && <li><a href="#/test" id="link-test">{t('test.title')}</a></li>}
          <li><a href="#/waves" id="link-waves">{t('waves.title')}</a></li>
          {me.role === 'participant' && <li><a href="#/card" id="link-card">{t('card.title')}</a></li>}
          {me.role === 'participant' && <li><a href="#/trainings" id="link-trainings">{t('tr.title')}</a></li>}
          <li><a href="#/catalog" id="link-catalog">{t('cat.title')}</a></li>
          {me.role === 'provider' && <li><a href="#/provider/courses" id="link-provider">{t('prov.courses')}</a></li>}
          {me.role === 'admin' && <li><a href="#/admin/waves" id="link-admin-waves">{t('adm.title')}</a></li>}
          {me.role === 'admin' && <li><a href="#/admin/courses" id="link-admin-courses">{t('cur.title')}</a></li>}
        </ul>
      </div>
      {unverified && (
        <p><a href={'#/verify?email=' + encodeURIComponent(str(me.email))}>{t('acc.verify_now')}</a></p>
      )}
      <button type="button" id="logout" class="secondary" onClick={logout} disabled={busy}>
        {t('acc.logout')}
      </button>
    </article>
  );
}
