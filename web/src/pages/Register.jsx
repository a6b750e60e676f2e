// The registration form. Region selects load step by step from GET /api/v1/regions
// (provinces, then the children of the chosen code); the village's code is what is
// sent. On submit the client checks of validate.js run first; what passes goes to
// POST /api/v1/accounts, and the server's 400 field errors and 409 conflicts are shown
// at the fields they name. On 201 the verify page opens with the email filled in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { api, regions } from '../api.js';
import { checkRegistration, EDUCATION, OCCUPATION } from '../validate.js';
import { Alert, Field, Radios, Select, focusFirst, go, problemToErrors } from '../ui.jsx';

const FIELDS = ['email', 'password', 'full_name', 'nik', 'kk', 'birth_date', 'sex', 'phone',
  'province', 'regency', 'district', 'village_code', 'education', 'occupation'];
const API_FIELDS = FIELDS.filter((f) => f !== 'province' && f !== 'regency' && f !== 'district');
const LEVELS = ['province', 'regency', 'district', 'village_code'];

const EMPTY = Object.fromEntries(FIELDS.map((f) => [f, '']));

function toOptions(items) {
  return (items || []).map((r) => ({ value: r.code, label: r.display_name || r.name || r.code }));
}

export function Register() {
  const [v, setV] = useState(EMPTY);
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [showPw, setShowPw] = useState(false);
  const [lists, setLists] = useState({ province: null, regency: [], district: [], village_code: [] });
  const [loading, setLoading] = useState({});
  const [regionError, setRegionError] = useState(false);
  const formRef = useRef(null);
  const seq = useRef(0);

  async function load(level, parent) {
    const my = ++seq.current;
    setLoading((l) => ({ ...l, [level]: true }));
    setRegionError(false);
    const items = level === 'province' ? await regions({ level: 'province' }) : await regions({ parent });
    if (my !== seq.current) return;
    setLoading((l) => ({ ...l, [level]: false }));
    if (items === null) {
      setRegionError(true);
      return;
    }
    setLists((ls) => ({ ...ls, [level]: items }));
  }

  useEffect(() => { load('province', ''); }, []);

  function set(name, value) {
    setV((old) => ({ ...old, [name]: value }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
  }

  function setRegion(name, value) {
    const i = LEVELS.indexOf(name);
    const below = LEVELS.slice(i + 1);
    setV((old) => {
      const n = { ...old, [name]: value };
      for (const b of below) n[b] = '';
      return n;
    });
    setLists((ls) => {
      const n = { ...ls };
      for (const b of below) n[b] = [];
      return n;
    });
    setErrors((e) => ({ ...e, [name]: undefined }));
    seq.current++;
    setLoading((l) => ({ ...l, ...Object.fromEntries(below.map((b) => [b, false])) }));
    if (value && below.length > 0) load(below[0], value);
  }

  function retryRegions() {
    for (let i = LEVELS.length - 1; i >= 1; i--) {
      if (v[LEVELS[i - 1]] && lists[LEVELS[i]].length === 0) {
        load(LEVELS[i], v[LEVELS[i - 1]]);
        return;
      }
    }
    load('province', '');
  }

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    const body = {};
    for (const f of API_FIELDS) body[f] = f === 'password' || f === 'full_name' ? v[f] : v[f].trim();
    const local = {};
    for (const e of checkRegistration(body)) if (!local[e.field]) local[e.field] = { code: e.code };
    if (local.village_code && !v.province) local.province = local.village_code;
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setFormError(t('reg.fix'));
      focusFirst(formRef.current, local);
      return;
    }
    setBusy(true);
    const res = await api('POST', '/accounts', body);
    setBusy(false);
    if (res.status === 201) {
      try { sessionStorage.setItem('prakerja.verify_email', body.email); } catch (_) { /* fine */ }
      go('/verify?email=' + encodeURIComponent(body.email));
      return;
    }
    const { fields, form } = problemToErrors(res, FIELDS);
    setErrors(fields);
    setFormError(form || (Object.keys(fields).length ? t('reg.fix') : ''));
    focusFirst(formRef.current, fields);
  }

  const fp = (name, extra) => ({
    name, label: t('field.' + name), value: v[name], error: errors[name], onInput: set, ...extra,
  });

  return (
    <article>
      <h1 tabIndex={-1}>{t('reg.title')}</h1>
      <p>{t('reg.intro')}</p>
      <form ref={formRef} id="register-form" noValidate onSubmit={submit}>
        <fieldset>
          <legend><h2>{t('reg.account')}</h2></legend>
          <Field {...fp('email', { type: 'email', autocomplete: 'email', maxLength: 254,
            inputMode: 'email', required: true })} />
          <Field {...fp('password', { type: showPw ? 'text' : 'password', hint: t('field.password_hint'),
            autocomplete: 'new-password', maxLength: 128, required: true })} />
          <label class="inline" for="show-password">
            <input type="checkbox" id="show-password" checked={showPw}
              onChange={(e) => setShowPw(e.currentTarget.checked)} />
            {t('field.show_password')}
          </label>
          <Field {...fp('phone', { type: 'tel', hint: t('field.phone_hint'), autocomplete: 'tel',
            inputMode: 'tel', maxLength: 32, required: true })} />
        </fieldset>

        <fieldset>
          <legend><h2>{t('reg.person')}</h2></legend>
          <Field {...fp('full_name', { autocomplete: 'name', maxLength: 150, required: true })} />
          <Field {...fp('nik', { hint: t('field.nik_hint'), inputMode: 'numeric', maxLength: 16,
            autocomplete: 'off', pattern: '[0-9]{16}', required: true })} />
          <Field {...fp('kk', { inputMode: 'numeric', maxLength: 16, autocomplete: 'off',
            pattern: '[0-9]{16}', required: true })} />
          <Field {...fp('birth_date', { type: 'date', autocomplete: 'bday', min: '1900-01-01',
            required: true })} />
          <Radios name="sex" label={t('field.sex')} value={v.sex} error={errors.sex} onChange={set}
            options={[{ value: 'F', label: t('sex.F') }, { value: 'M', label: t('sex.M') }]} />
        </fieldset>

        <fieldset>
          <legend><h2>{t('reg.domicile')}</h2></legend>
          {regionError && (
            <p class="alert alert-error" role="alert">
              {t('regions.failed')}{' '}
              <button type="button" class="secondary" onClick={retryRegions}>{t('regions.retry')}</button>
            </p>
          )}
          {LEVELS.map((lv, i) => (
            <Select key={lv} name={lv} label={t('field.' + lv)} value={v[lv]} error={errors[lv]}
              onChange={setRegion} options={toOptions(lists[lv])} loading={!!loading[lv]}
              disabled={i > 0 && !v[LEVELS[i - 1]]} />
          ))}
        </fieldset>

        <fieldset>
          <legend><h2>{t('reg.other')}</h2></legend>
          <Select name="education" label={t('field.education')} value={v.education}
            error={errors.education} onChange={set}
            options={EDUCATION.map((e) => ({ value: e, label: t('edu.' + e) }))} />
          <Select name="occupation" label={t('field.occupation')} value={v.occupation}
            error={errors.occupation} onChange={set}
            options={OCCUPATION.map((o) => ({ value: o, label: t('occ.' + o) }))} />
        </fieldset>

        <Alert id="register-error">{formError}</Alert>
        <button type="submit" id="register-submit" aria-busy={busy ? 'true' : undefined} disabled={busy}>
          {busy ? t('reg.sending') : t('reg.submit')}
        </button>
      </form>
    </article>
  );
}
