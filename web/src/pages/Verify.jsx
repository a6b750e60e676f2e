// The verify page: the account's email (filled in after registering) and two small
// forms, one per channel, each sending its 6-digit code to POST /api/v1/accounts/verify
// and offering a resend through POST /api/v1/accounts/verify/resend. When both
// channels are verified it points to the log-in page.
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { checkCode, checkEmail } from '../validate.js';
import { Alert, Field, problemToErrors } from '../ui.jsx';

function initialEmail(query) {
  const q = query.get('email');
  if (q) return q.slice(0, 254);
  try { return sessionStorage.getItem('prakerja.verify_email') || ''; } catch (_) { return ''; }
}

function Channel({ channel, email, setEmailError, verified, onVerified }) {
  const name = channel + '_code';
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  const [formError, setFormError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  function emailOk() {
    const e = checkEmail(email.trim());
    setEmailError(e ? { code: e } : null);
    return !e;
  }

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    setNote('');
    const c = checkCode(code);
    const eok = emailOk();
    setError(c ? { code: c } : null);
    if (c || !eok) return;
    setBusy(true);
    const res = await api('POST', '/accounts/verify', { email: email.trim(), channel, code: code.trim() });
    setBusy(false);
    if (res.ok && res.data) {
      onVerified(res.data);
      return;
    }
    const { fields, form } = problemToErrors(res, ['code', 'email']);
    if (fields.email) setEmailError(fields.email);
    if (fields.code) setError(fields.code);
    else if (form) setError({ code: '', message: form });
  }

  async function resend() {
    if (busy || !emailOk()) return;
    setFormError('');
    setNote('');
    setBusy(true);
    const res = await api('POST', '/accounts/verify/resend', { email: email.trim(), channel });
    setBusy(false);
    if (res.ok) setNote(t('ver.resent'));
    else setFormError(problemToErrors(res, []).form);
  }

  if (verified) {
    return (
      <p class="alert alert-ok" role="status" data-status-for={channel}>
        {t(channel === 'email' ? 'ver.email_ok' : 'ver.phone_ok')}
      </p>
    );
  }
  return (
    <form id={'verify-' + channel} noValidate onSubmit={submit}>
      <Field name={name} label={t(channel === 'email' ? 'ver.email_code' : 'ver.phone_code')}
        value={code} error={error} onInput={(_, val) => { setCode(val); setError(null); }}
        inputMode="numeric" autocomplete="one-time-code" maxLength={6} pattern="[0-9]{6}" required />
      <div class="buttons">
        <button type="submit" id={'verify-' + channel + '-submit'} disabled={busy}
          aria-busy={busy ? 'true' : undefined}>{t('ver.submit')}</button>
        <button type="button" class="secondary" id={'resend-' + channel} disabled={busy}
          onClick={resend}>{t('ver.resend')}</button>
      </div>
      <Alert kind="ok">{note}</Alert>
      <Alert>{formError}</Alert>
    </form>
  );
}

export function Verify({ query }) {
  const [email, setEmail] = useState(() => initialEmail(query));
  const [emailError, setEmailError] = useState(null);
  const [state, setState] = useState({ email_verified: false, phone_verified: false });

  function onVerified(d) {
    setState((s) => ({
      email_verified: s.email_verified || d.email_verified === true,
      phone_verified: s.phone_verified || d.phone_verified === true,
    }));
  }

  const done = state.email_verified && state.phone_verified;
  return (
    <article>
      <h1 tabIndex={-1}>{t('ver.title')}</h1>
      <p>{t('ver.intro')}</p>
      <Field name="email" label={t('field.email')} type="email" value={email} error={emailError}
        onInput={(_, val) => { setEmail(val); setEmailError(null); }} autocomplete="email"
        inputMode="email" maxLength={254} required />
      <section>
        <Channel channel="email" email={email} setEmailError={setEmailError}
          verified={state.email_verified} onVerified={onVerified} />
      </section>
      <section>
        <Channel channel="phone" email={email} setEmailError={setEmailError}
          verified={state.phone_verified} onVerified={onVerified} />
      </section>
      {done && (
        <p class="alert alert-ok" role="status" id="verify-done">
          {t('ver.done')} <a href={'#/login?email=' + encodeURIComponent(email.trim())}>{t('ver.go_login')}</a>
        </p>
      )}
    </article>
  );
}
