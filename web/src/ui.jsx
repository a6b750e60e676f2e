// Small building blocks shared by the pages: a labelled input or select with its
// error line, a form-level alert, hash navigation, and problemToErrors(), which turns
// an API reply into errors shown at the fields they name (the server's localised
// message first, this app's own text for the code as a fallback) plus one message
// for the form as a whole (network failure, 503 with its Retry-After, anything else).
// needLogin() sends a signed-out person (or a 401) to the log-in page and back.
// Issue 5 adds the course vocabulary (modes, levels, purposes), the star rating
// shown in lists, and the code of a problem reply shown beside its message.
import { t, has, formatDecimal } from './i18n.js';
import { fieldErrors, me, problemCode, problemTitle, roleOf, setToken, token } from './api.js';

/** Goes to an in-app route such as "/verify?email=a%40b.id". */
export function go(route) {
  location.hash = '#' + route;
}

/**
 * When res is a 401 (or there is no reply because nobody is signed in: pass null),
 * forgets the token and opens the log-in page, which comes back to route after
 * logging in. Returns true when it did so.
 */
export function needLogin(res, route) {
  if (res && res.status !== 401) return false;
  setToken(null);
  go('/login?reason=auth&next=' + encodeURIComponent(route));
  return true;
}

/** The text to show for an error kept as {code, message}. */
export function errText(e) {
  if (!e) return '';
  return e.message || t(e.code);
}

/* Problems without errors[] that belong to one field (409s, a seed that does not match). */
const CODE_FIELD = {
  'account.nik_taken': 'nik',
  'account.email_taken': 'email',
  'account.phone_taken': 'phone',
  'wave.number_taken': 'number',
  'wave.seed_mismatch': 'seed',
  'scheme.not_found': 'scheme',
  'course.too_short': 'hours',
};

/**
 * Splits a failed reply into {fields: {name: {code, message}}, form: string}. Field
 * names outside known go to the form message; "village" is the village_code select.
 */
export function problemToErrors(res, known) {
  const fields = {};
  const extra = [];
  if (res.status === 0) return { fields, form: t('net.error') };
  if (res.status === 503 || res.status === 502 || res.status === 504) {
    return { fields, form: res.retryAfter > 0 ? t('net.busy_in', { s: res.retryAfter }) : t('net.busy') };
  }
  const code = problemCode(res);
  const title = problemTitle(res);
  if (CODE_FIELD[code] && known.includes(CODE_FIELD[code])) {
    fields[CODE_FIELD[code]] = { code, message: title };
    return { fields, form: '' };
  }
  for (const fe of fieldErrors(res)) {
    const name = fe.field === 'village' ? 'village_code' : fe.field;
    if (known.includes(name)) {
      if (!fields[name]) fields[name] = { code: fe.code, message: fe.message };
    } else {
      extra.push(fe.message || t(fe.code));
    }
  }
  let form = extra.join(' ');
  if (!form && Object.keys(fields).length === 0)
    form = title || (has(code) ? t(code) : t('net.unexpected'));
  return { fields, form };
}

/** Moves focus to the first field with an error. */
export function focusFirst(form, fields) {
  if (!form) return;
  for (const el of form.elements) {
    if (el.name && fields[el.name]) {
      el.focus();
      return;
    }
  }
}

function ErrorLine({ name, error }) {
  return (
    <small id={'err-' + name} class="field-error" data-error-for={name} aria-live="polite">
      {errText(error)}
    </small>
  );
}

/** A labelled input; props beyond these go to the <input>. */
export function Field({ name, label, hint, error, value, onInput, type = 'text', ...rest }) {
  const describedBy = ['err-' + name, hint ? 'hint-' + name : null].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {hint && <small id={'hint-' + name} class="hint">{hint}</small>}
      <input id={name} name={name} type={type} value={value}
        onInput={(e) => onInput(name, e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} {...rest} />
      <ErrorLine name={name} error={error} />
    </div>
  );
}

/**
 * A labelled select of options [{value, label}], with a "choose" first option (or
 * placeholder's text, such as "all" in a filter, which is then not required; bare:
 * no such option).
 */
export function Select({ name, label, error, value, onChange, options, loading, disabled, placeholder, hint, bare }) {
  const describedBy = ['err-' + name, hint ? 'hint-' + name : null].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {hint && <small id={'hint-' + name} class="hint">{hint}</small>}
      <select id={name} name={name} value={value} disabled={disabled || loading}
        onChange={(e) => onChange(name, e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy}
        aria-busy={loading ? 'true' : undefined} required={!placeholder}>
        {!bare && <option value="">{loading ? t('field.loading') : placeholder || t('field.choose')}</option>}
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      <ErrorLine name={name} error={error} />
    </div>
  );
}

/** A radio group in a fieldset; options [{value, label}]. */
export function Radios({ name, label, error, value, onChange, options }) {
  return (
    <fieldset class="field" aria-describedby={'err-' + name}>
      <legend>{label}</legend>
      <div class="radios">
        {options.map((o) => (
          <label key={o.value} for={name + '-' + o.value}>
            <input type="radio" id={name + '-' + o.value} name={name} value={o.value}
              checked={value === o.value} onChange={() => onChange(name, o.value)}
              aria-invalid={error ? 'true' : undefined} />
            {o.label}
          </label>
        ))}
      </div>
      <ErrorLine name={name} error={error} />
    </fieldset>
  );
}

/** A message for the whole form; kind "error" is announced as an alert. */
export function Alert({ kind = 'error', children, id }) {
  if (!children) return null;
  return (
    <p id={id} class={'alert alert-' + kind} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/** A labelled textarea with its error line; props beyond these go to the <textarea>. */
export function TextArea({ name, label, hint, error, value, onInput, ...rest }) {
  const describedBy = ['err-' + name, hint ? 'hint-' + name : null].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {hint && <small id={'hint-' + name} class="hint">{hint}</small>}
      <textarea id={name} name={name} value={value}
        onInput={(e) => onInput(name, e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} {...rest} />
      <ErrorLine name={name} error={error} />
    </div>
  );
}

/** A small status label; kind "ok", "no", "warn" or "info" picks its colour. */
export function Badge({ kind = 'info', id, children }) {
  return <span id={id} class={'badge badge-' + kind}>{children}</span>;
}

/**
 * The page's heading (focused on navigation by main.jsx) with a loading line, or an
 * error and a retry button. Called as a function, not as <PageState/>, so the page's
 * <article><h1> stays the same element when the content arrives and focus stays on it.
 */
export function pageState({ title, error, onRetry }) {
  return (
    <article aria-busy={error ? undefined : 'true'}>
      <h1 tabIndex={-1}>{title}</h1>
      {error ? (
        <>
          <Alert>{error}</Alert>
          <button type="button" onClick={onRetry}>{t('common.retry')}</button>
        </>
      ) : <p>{t('common.loading')}</p>}
    </article>
  );
}

// Issue 5: the course catalog's vocabulary and small displays.

export const MODES = ['self_paced', 'webinar', 'offline', 'hybrid'];
export const LIVE_MODES = ['webinar', 'offline', 'hybrid'];
export const LEVELS = ['basic', 'high_skill'];
export const PURPOSES = ['reskilling', 'upskilling', 'new_skill'];

/** A course's published stars: "★ 4,5 (12 ulasan)", or "no reviews yet". */
export function Stars({ rating, id }) {
  const r = rating && typeof rating === 'object' ? rating : {};
  const count = Number.isSafeInteger(r.count) ? r.count : 0;
  const avg = typeof r.average === 'number' && Number.isFinite(r.average) ? r.average : null;
  if (!count || avg === null) return <span id={id} class="stars stars-none">{t('course.no_ratings')}</span>;
  return (
    <span id={id} class="stars" aria-label={t('course.rating_label', { a: formatDecimal(avg), n: count })}>
      <span aria-hidden="true">★ {formatDecimal(avg)} ({t('course.reviews', { n: count })})</span>
    </span>
  );
}

/** A problem reply as "message (code)" for refusals shown whole, such as redemption's. */
export function refusal(res) {
  const { form, fields } = problemToErrors(res, []);
  const code = problemCode(res);
  const text = form || Object.values(fields).map(errText).join(' ');
  return code && res.status !== 0 ? `${text} (${code})` : text;
}

/**
 * For pages of one staff role: asks GET /me (cached) and resolves to the role, or
 * to null after sending a signed-out person to log in (then back to route). On a
 * failed reply it resolves to {error} with the message to show.
 */
export async function roleFor(route) {
  if (!token()) {
    needLogin(null, route);
    return null;
  }
  const m = await me();
  if (needLogin(m, route)) return null;
  if (!m.ok) return { error: problemToErrors(m, []).form };
  return roleOf(m);
}

/** A message kept for the next page made (after go()), read once. */
let flashText = '';
export function flash(text) {
  if (text === undefined) {
    const s = flashText;
    flashText = '';
    return s;
  }
  flashText = text;
  return '';
}
