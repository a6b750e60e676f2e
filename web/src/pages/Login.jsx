// The log-in page: email and password to POST /api/v1/sessions; the token it returns
// is kept (api.js) and the account page opens. Throttling (429) and locks (423) show
// the server's message; a missing or expired session sent here says so, and after
// logging in the page it came from (?next=/waves, an in-app route only) opens again.
import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { api, setToken } from '../api.js';
import { checkEmail } from '../validate.js';
import { Alert, Field, focusFirst, go, problemToErrors } from '../ui.jsx';

/** next when it is an in-app route such as "/test" (never another site), else "/account". */
function nextRoute(next) {
  return typeof next === 'string' && /^\/[a-z/-]{0,40}$/.test(next) ? next : '/account';
}

export function Login({ query }) {
  const [v, setV] = useState({ email: (query.get('email') || '').slice(0, 254), password: '' });
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef(null);

  function set(name, value) {
    setV((o) => ({ ...o, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  }

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    const local = {};
    const e = checkEmail(v.email);
    if (e) local.email = { code: e };
    if (v.password === '') local.password = { code: 'field.required' };
    else if (v.password.length > 128) local.password = { code: 'password.too_long' };
    setErrors(local);
    if (Object.keys(local).length) {
      focusFirst(formRef.current, local);
      return;
    }
    setBusy(true);
    const res = await api('POST', '/sessions', { email: v.email.trim(), password: v.password });
    setBusy(false);
    if (res.ok && res.data && typeof res.data.token === 'string') {
      setToken(res.data.token);
      go(nextRoute(query.get('next')));
      return;
    }
    const { fields, form } = problemToErrors(res, ['email', 'password']);
    setErrors(fields);
    setFormError(form);
  }

  return (
    <article>
      <h1 tabIndex={-1}>{t('login.title')}</h1>
      {query.get('reason') === 'auth' && <Alert kind="info">{t('login.need')}</Alert>}
      <form ref={formRef} id="login-form" noValidate onSubmit={submit}>
        <Field name="email" label={t('field.email')} type="email" value={v.email} error={errors.email}
          onInput={set} autocomplete="username" inputMode="email" maxLength={254} required />
        <Field name="password" label={t('field.password')} type="password" value={v.password}
          error={errors.password} onInput={set} autocomplete="current-password" maxLength={128}
          required />
        <Alert id="login-error">{formError}</Alert>
        <button type="submit" id="login-submit" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {t('login.submit')}
        </button>
      </form>
      <p>{t('login.no_account')} <a href="#/register">{t('nav.register')}</a></p>
    </article>
  );
}
