// Redeem (staff of a training provider): two forms over the partner API with the
// staff member's bearer token. Exchange a voucher code the participant shows for
// the purchase's redeem codes, one per session (POST /api/v1/partner/vouchers/
// exchange; asking again returns the same codes), listed with each session's
// start and, for live sessions, the window the code works in (an hour before to an
// hour after the start, WIB); a code's button copies it into the second form.
// Redeem a code with the training type (POST /api/v1/partner/redemptions): the
// time it was used, or the refusal with its own message and code (not found, wrong
// training type, another provider's code, cancelled code or transaction, already
// used, outside the window). After an exchange, a link opens the completion report
// with the purchase filled in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatWib, formatWindow, lang, t } from '../i18n.js';
import { api } from '../api.js';
import { Alert, Badge, Field, MODES, Select, needLogin, pageState, refusal, roleFor } from '../ui.jsx';
import { ProviderLinks, ProviderOnly } from './ProviderCourses.jsx';

const ROUTE = '/provider/redeem';
const RSTATUS_KIND = { issued: 'info', used: 'ok', cancelled: 'no' };

function str(x) {
  return typeof x === 'string' ? x : '';
}

/** A code as typed: trimmed, upper case, at most 64 characters; spaces and hyphens kept for the server. */
export function codeValue(s) {
  return str(s).trim().toUpperCase().slice(0, 64);
}

export function ProviderRedeem() {
  const [role, setRole] = useState(null);
  const [error, setError] = useState('');
  const [voucher, setVoucher] = useState('');
  const [voucherErr, setVoucherErr] = useState(null);
  const [exchanged, setExchanged] = useState(null);
  const [exError, setExError] = useState('');
  const [code, setCode] = useState('');
  const [codeErr, setCodeErr] = useState(null);
  const [type, setType] = useState('');
  const [typeErr, setTypeErr] = useState(null);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState('');
  const codeRef = useRef(null);
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

  async function exchange(ev) {
    ev.preventDefault();
    if (busy) return;
    setExError('');
    const v = codeValue(voucher);
    if (!v) {
      setVoucherErr({ code: 'field.required' });
      document.getElementById('voucher_code').focus();
      return;
    }
    setBusy('exchange');
    const res = await api('POST', '/partner/vouchers/exchange', { voucher_code: v }, { auth: true });
    setBusy('');
    if (needLogin(res, ROUTE)) return;
    if (res.ok && res.data && typeof res.data === 'object') {
      setExchanged(res.data);
      return;
    }
    setExchanged(null);
    setExError(refusal(res));
  }

  function pickCode(rc) {
    setCode(str(rc.code));
    setCodeErr(null);
    setResult(null);
    if (codeRef.current) {
      codeRef.current.scrollIntoView({ block: 'start' });
      const el = document.getElementById('redeem_code');
      if (el) el.focus();
    }
  }

  async function redeem(ev) {
    ev.preventDefault();
    if (busy) return;
    setResult(null);
    const c = codeValue(code);
    let bad = false;
    if (!c) {
      setCodeErr({ code: 'field.required' });
      bad = true;
    }
    if (!type) {
      setTypeErr({ code: 'field.choose_one' });
      bad = true;
    }
    if (bad) {
      document.getElementById(!c ? 'redeem_code' : 'training_type').focus();
      return;
    }
    setBusy('redeem');
    const res = await api('POST', '/partner/redemptions', { redeem_code: c, training_type: type }, { auth: true });
    setBusy('');
    if (needLogin(res, ROUTE)) return;
    if (res.ok && res.data && typeof res.data === 'object') {
      setResult({ ok: true, text: t('red.used', { t: formatWib(res.data.used_at) }), data: res.data });
      setExchanged((x) => x && ({ ...x, redeem_codes: (x.redeem_codes || []).map((r) =>
        (r && codeValue(r.code) === c ? { ...r, status: 'used' } : r)) }));
      return;
    }
    setResult({ ok: false, text: refusal(res) });
  }

  if (role !== null && role !== 'provider') return <ProviderOnly title={t('prov.redeem')} />;
  if (role === null) return pageState({ title: t('prov.redeem'), error, onRetry: load });

  const codes = exchanged && Array.isArray(exchanged.redeem_codes)
    ? exchanged.redeem_codes.filter((r) => r && typeof r === 'object') : [];
  const pid = exchanged ? str(exchanged.purchase_id) : '';
  return (
    <article class="provider-redeem">
      <h1 tabIndex={-1}>{t('prov.redeem')}</h1>
      <ProviderLinks here={ROUTE} />
      <section aria-labelledby="ex-h">
        <h2 id="ex-h">{t('red.exchange')}</h2>
        <p>{t('red.exchange_note')}</p>
        <form id="exchange-form" noValidate onSubmit={exchange}>
          <Field name="voucher_code" label={t('red.voucher')} value={voucher} error={voucherErr}
            onInput={(_, x) => { setVoucher(x); setVoucherErr(null); }} maxLength={64} autocomplete="off"
            autocapitalize="characters" spellcheck={false} class="mono" />
          <Alert id="exchange-error">{exError}</Alert>
          <button type="submit" id="exchange-submit" disabled={!!busy}
            aria-busy={busy === 'exchange' ? 'true' : undefined}>{t('red.exchange_submit')}</button>
        </form>
        {exchanged && (
          <div class="alert alert-ok" id="exchange-result" role="status">
            <p>{t('red.purchase')}: <span class="mono wrap" id="exchange-purchase">{pid}</span></p>
            <ul class="codes" id="exchange-codes">
              {codes.map((rc) => (
                <li key={str(rc.code)} data-code={str(rc.code)} data-status={str(rc.status)}>
                  <span class="mono code">{str(rc.code)}</span>{' '}
                  <Badge kind={RSTATUS_KIND[str(rc.status)] || 'info'}>{t('rstatus.' + str(rc.status))}</Badge>
                  <br />
                  <small>{rc.starts_at ? <>{t('tr.session_at', { t: formatWib(rc.starts_at) })}<br />
                    {formatWindow(rc.starts_at)}</> : t('tr.any_time')}</small>
                  {str(rc.status) === 'issued' && (
                    <div><button type="button" class="secondary outline use-code" onClick={() => pickCode(rc)}>
                      {t('red.use_code')}</button></div>
                  )}
                </li>
              ))}
            </ul>
            <p><a href={'#/provider/complete?purchase=' + encodeURIComponent(pid)} id="exchange-complete">
              {t('red.to_complete')}</a></p>
          </div>
        )}
      </section>
      <section aria-labelledby="rd-h" ref={codeRef}>
        <h2 id="rd-h">{t('red.redeem')}</h2>
        <form id="redeem-form" noValidate onSubmit={redeem}>
          <Field name="redeem_code" label={t('red.code')} value={code} error={codeErr}
            onInput={(_, x) => { setCode(x); setCodeErr(null); setResult(null); }} maxLength={64} autocomplete="off"
            autocapitalize="characters" spellcheck={false} class="mono" />
          <Select name="training_type" label={t('red.type')} value={type} error={typeErr}
            onChange={(_, x) => { setType(x); setTypeErr(null); setResult(null); }}
            options={MODES.map((m) => ({ value: m, label: t('mode.' + m) }))} />
          <button type="submit" id="redeem-submit" disabled={!!busy}
            aria-busy={busy === 'redeem' ? 'true' : undefined}>{t('red.redeem_submit')}</button>
        </form>
        {result && (
          <p id="redeem-result" class={'alert ' + (result.ok ? 'alert-ok' : 'alert-error')}
            role={result.ok ? 'status' : 'alert'} data-ok={result.ok ? 'true' : 'false'}>{result.text}</p>
        )}
      </section>
    </article>
  );
}
