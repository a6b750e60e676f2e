// Report completion (staff of a training provider): the purchase (its id, or the
// participant's voucher code, which is first exchanged for the id with POST
// /api/v1/partner/vouchers/exchange, an idempotent call), the score 0..100, the
// certificate number (1..64 characters) and the completion date (a WIB calendar
// day, not in the future), sent as POST /api/v1/partner/completions. The
// participant then sees the certificate in My trainings. Refusals (already
// reported, nothing redeemed yet, another provider's purchase) show their message.
// ?purchase=ID (from the redeem page) fills the purchase in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { lang, t, wibDateValue } from '../i18n.js';
import { api, problemCode } from '../api.js';
import { Alert, Field, focusFirst, needLogin, pageState, problemToErrors, refusal, roleFor } from '../ui.jsx';
import { ProviderLinks, ProviderOnly } from './ProviderCourses.jsx';
import { codeValue } from './ProviderRedeem.jsx';

const ROUTE = '/provider/complete';
const FIELDS = ['purchase', 'score', 'certificate_no', 'completed_on'];
const PURCHASE_ID = /^[0-9A-Za-z]{26}$/;

function today() {
  return wibDateValue(Math.floor(Date.now() / 1000));
}

function check(v) {
  const e = {};
  if (!v.purchase.trim()) e.purchase = { code: 'field.required' };
  if (!/^[0-9]{1,3}$/.test(v.score.trim()) || Number(v.score) > 100) e.score = { code: 'comp.score_invalid' };
  const cert = v.certificate_no.trim();
  if (!cert) e.certificate_no = { code: 'field.required' };
  else if ([...cert].length > 64) e.certificate_no = { code: 'field.too_long' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.completed_on)) e.completed_on = { code: 'comp.date_invalid' };
  else if (v.completed_on > today()) e.completed_on = { code: 'comp.date_future' };
  return e;
}

export function ProviderComplete({ query }) {
  const [role, setRole] = useState(null);
  const [error, setError] = useState('');
  const [v, setV] = useState(() => ({
    purchase: (query.get('purchase') || '').slice(0, 64), score: '', certificate_no: '', completed_on: today(),
  }));
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef(null);
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
  }

  useEffect(() => { load(); }, [L]);

  function set(name, value) {
    setV((o) => ({ ...o, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
    setDone(null);
  }

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    setDone(null);
    const local = check(v);
    setErrors(local);
    if (Object.keys(local).length) {
      focusFirst(formRef.current, local);
      return;
    }
    setBusy(true);
    let pid = v.purchase.trim();
    if (!PURCHASE_ID.test(pid)) {
      const ex = await api('POST', '/partner/vouchers/exchange', { voucher_code: codeValue(pid) }, { auth: true });
      if (needLogin(ex, ROUTE)) return;
      if (!ex.ok || !ex.data || typeof ex.data.purchase_id !== 'string') {
        setBusy(false);
        const msg = refusal(ex);
        setErrors({ purchase: { code: problemCode(ex) || 'net.unexpected', message: msg } });
        focusFirst(formRef.current, { purchase: true });
        return;
      }
      pid = ex.data.purchase_id;
    }
    const res = await api('POST', '/partner/completions', {
      purchase_id: pid, score: Number(v.score.trim()), certificate_no: v.certificate_no.trim(),
      completed_on: v.completed_on,
    }, { auth: true });
    setBusy(false);
    if (needLogin(res, ROUTE)) return;
    if (res.ok) {
      setDone({ pid });
      return;
    }
    const { fields, form } = problemToErrors(res, ['score', 'certificate_no', 'completed_on']);
    if (fields.purchase_id) fields.purchase = fields.purchase_id;
    setErrors(fields);
    setFormError(Object.keys(fields).length ? form : refusal(res));
    focusFirst(formRef.current, fields);
  }

  if (role !== null && role !== 'provider') return <ProviderOnly title={t('prov.complete')} />;
  if (role === null) return pageState({ title: t('prov.complete'), error, onRetry: load });

  const fp = (name, extra) => ({
    name, label: t('cfield.' + name), value: v[name], error: errors[name], onInput: set, ...extra,
  });
  return (
    <article class="provider-complete">
      <h1 tabIndex={-1}>{t('prov.complete')}</h1>
      <ProviderLinks here={ROUTE} />
      <p>{t('comp.intro')}</p>
      <form ref={formRef} id="complete-form" noValidate onSubmit={submit}>
        <Field {...fp('purchase', { hint: t('cfield.purchase_hint'), maxLength: 64, autocomplete: 'off',
          spellcheck: false, class: 'mono', required: true })} />
        <Field {...fp('score', { inputMode: 'numeric', maxLength: 3, required: true })} />
        <Field {...fp('certificate_no', { maxLength: 64, autocomplete: 'off', required: true })} />
        <Field {...fp('completed_on', { type: 'date', max: today(), required: true })} />
        <Alert id="complete-error">{formError}</Alert>
        <button type="submit" id="complete-submit" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? t('common.sending') : t('comp.submit')}</button>
      </form>
      {done && (
        <p class="alert alert-ok" id="complete-done" role="status">
          {t('comp.done', { id: done.pid })}</p>
      )}
    </article>
  );
}
