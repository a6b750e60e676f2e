// The waves admin page (role admin): the waves with their state, counts and seed
// commitment, a form to create one, and per wave the next step: open, close, draw
// with the seed, then the audit file (GET /api/v1/waves/{n}/draw) and the draw's
// numbers. The draw seed is made here, in the browser, with crypto.getRandomValues
// (32 bytes); only its SHA-256 (crypto.subtle.digest) goes to the server as the
// wave's commitment, and the seed is shown once, with a copy button and the warning
// that the draw needs it. Opening and closing times are typed as WIB date-times and
// sent as UTC. Every server error is shown at its field or above the form.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatNumber, formatWib, t, wibInputToIso, wibInputValue } from '../i18n.js';
import { api, me, roleOf, token } from '../api.js';
import { Alert, Badge, Field, pageState, Select, TextArea, focusFirst, needLogin, problemToErrors } from '../ui.jsx';

const ROUTE = '/admin/waves';
const FIELDS = ['number', 'scheme', 'opens_at', 'closes_at', 'total_quota', 'quota_mode', 'quota_floor',
  'quotas_csv', 'spill_rule', 'refill'];
const SPILL = ['regency_province_nation', 'regency_province', 'regency'];
const STATUS_KIND = { scheduled: 'info', open: 'ok', closed: 'no', drawn: 'no' };
const MAX_CSV = 1 << 20;
const HEX64 = /^[0-9a-f]{64}$/;

function str(x) {
  return typeof x === 'string' ? x : '';
}

function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A new seed and its commitment: {seed, commitment} as hex, or null without Web Crypto. */
async function newSeed() {
  const c = globalThis.crypto;
  if (!c || !c.subtle || typeof c.getRandomValues !== 'function') return null;
  const bytes = new Uint8Array(32);
  c.getRandomValues(bytes);
  const digest = await c.subtle.digest('SHA-256', bytes);
  const out = { seed: hex(bytes), commitment: hex(digest) };
  bytes.fill(0);
  return out;
}

/** The code of the last scheme listed (the newest), or ''. */
function newest(schemes) {
  return schemes.length ? schemes[schemes.length - 1].code : '';
}

function defaults(waves, schemes) {
  const next = waves.reduce((m, w) => Math.max(m, Number(w.number) || 0), 0) + 1;
  const hour = Math.ceil(Date.now() / 3600000) * 3600;
  return {
    number: String(next), scheme: newest(schemes),
    opens_at: wibInputValue(hour), closes_at: wibInputValue(hour + 7 * 86400),
    total_quota: '', quota_mode: 'proportional', quota_floor: '0', quotas_csv: '',
    spill_rule: SPILL[0], refill: false,
  };
}

/** The client's own checks of the create form: {field: {code}}. */
function check(v) {
  const e = {};
  if (!/^[0-9]{1,9}$/.test(v.number) || Number(v.number) < 1) e.number = { code: 'number.invalid' };
  if (!v.scheme) e.scheme = { code: 'field.required' };
  const o = wibInputToIso(v.opens_at);
  const c = wibInputToIso(v.closes_at);
  if (!o) e.opens_at = { code: 'datetime.invalid' };
  if (!c) e.closes_at = { code: 'datetime.invalid' };
  else if (o && Date.parse(c) <= Date.parse(o)) e.closes_at = { code: 'closes_at.before_opens' };
  if (!/^[0-9]{1,12}$/.test(v.total_quota.trim())) e.total_quota = { code: 'number.negative' };
  if (v.quota_mode === 'proportional' && !/^[0-9]{1,12}$/.test(v.quota_floor.trim()))
    e.quota_floor = { code: 'number.negative' };
  if (v.quota_mode === 'csv' && !v.quotas_csv.trim()) e.quotas_csv = { code: 'field.required' };
  return e;
}

function SeedOnce({ shown, onDone }) {
  const ref = useRef(null);
  const [copied, setCopied] = useState('');
  useEffect(() => { if (ref.current) ref.current.focus(); }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(shown.seed);
      setCopied(t('adm.copied'));
    } catch (_) {
      const el = document.getElementById('new-seed');
      const sel = getSelection();
      if (el && sel) {
        const r = document.createRange();
        r.selectNodeContents(el);
        sel.removeAllRanges();
        sel.addRange(r);
      }
      setCopied(t('adm.copy_failed'));
    }
  }

  return (
    <section class="seed-once alert alert-error" aria-labelledby="seed-h" id="seed-once">
      <h2 id="seed-h" tabIndex={-1} ref={ref}>{t('adm.seed_title')}</h2>
      <p>{shown.lost ? t('adm.seed_lost_reply') : t('adm.seed_warn', { n: shown.number })}</p>
      <p><output id="new-seed" class="mono wrap seed" data-wave={shown.number}>{shown.seed}</output></p>
      <div class="buttons">
        <button type="button" id="copy-seed" onClick={copy}>{t('adm.copy')}</button>
        <button type="button" id="seed-saved" class="secondary" onClick={onDone}>{t('adm.seed_saved')}</button>
      </div>
      <p role="status" aria-live="polite">{copied}</p>
    </section>
  );
}

function CreateForm({ waves, schemes, onCreated, onSeed }) {
  const [v, setV] = useState(() => defaults(waves, schemes));
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef(null);

  useEffect(() => {
    setV((o) => (o.scheme || !schemes.length ? o : { ...o, scheme: newest(schemes) }));
  }, [schemes]);

  function set(name, value) {
    setV((o) => ({ ...o, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  }

  async function readFile(ev) {
    const f = ev.currentTarget.files && ev.currentTarget.files[0];
    if (!f) return;
    if (f.size > MAX_CSV) {
      setErrors((e) => ({ ...e, quotas_csv: { code: 'file.too_big' } }));
      return;
    }
    try {
      set('quotas_csv', await f.text());
    } catch (_) {
      setErrors((e) => ({ ...e, quotas_csv: { code: 'file.unreadable' } }));
    }
  }

  async function submit(ev) {
    ev.preventDefault();
    if (busy) return;
    setFormError('');
    const local = check(v);
    setErrors(local);
    if (Object.keys(local).length) {
      setFormError(t('reg.fix'));
      focusFirst(formRef.current, local);
      return;
    }
    setBusy(true);
    const s = await newSeed();
    if (!s) {
      setBusy(false);
      setFormError(t('adm.no_crypto'));
      return;
    }
    const body = {
      number: Number(v.number), scheme: v.scheme,
      opens_at: wibInputToIso(v.opens_at), closes_at: wibInputToIso(v.closes_at),
      total_quota: Number(v.total_quota.trim()), quota_mode: v.quota_mode, spill_rule: v.spill_rule,
      seed_commitment: s.commitment,
    };
    if (v.quota_mode === 'proportional') body.quota_floor = Number(v.quota_floor.trim());
    else body.quotas_csv = v.quotas_csv;
    if (v.refill) body.refill = true;
    const res = await api('POST', '/waves', body, { auth: true });
    setBusy(false);
    if (needLogin(res, ROUTE)) return;
    if (res.status === 201 && res.data && typeof res.data === 'object') {
      onSeed({ number: res.data.number, seed: s.seed, lost: false });
      onCreated(res.data);
      setV(defaults([...waves, res.data], schemes));
      return;
    }
    if (res.status === 0) onSeed({ number: body.number, seed: s.seed, lost: true });
    const { fields, form } = problemToErrors(res, FIELDS);
    setErrors(fields);
    setFormError(form || (Object.keys(fields).length ? t('reg.fix') : ''));
    focusFirst(formRef.current, fields);
  }

  const fp = (name, extra) => ({
    name, label: t('field.' + name), value: v[name], error: errors[name], onInput: set, ...extra,
  });
  return (
    <section aria-labelledby="create-h">
      <h2 id="create-h">{t('adm.create')}</h2>
      <form ref={formRef} id="wave-form" noValidate onSubmit={submit}>
        <Field {...fp('number', { inputMode: 'numeric', maxLength: 9, required: true })} />
        <Select name="scheme" label={t('field.scheme')} value={v.scheme} error={errors.scheme}
          onChange={set} options={schemes.map((s) => ({ value: s.code, label: s.name ? `${s.name} (${s.code})` : s.code }))} />
        <Field {...fp('opens_at', { type: 'datetime-local', required: true })} />
        <Field {...fp('closes_at', { type: 'datetime-local', required: true })} />
        <Field {...fp('total_quota', { inputMode: 'numeric', maxLength: 12, required: true })} />
        <fieldset class="field" aria-describedby="err-quota_mode">
          <legend>{t('field.quota_mode')}</legend>
          {['proportional', 'csv'].map((m) => (
            <label key={m} for={'quota_mode-' + m} class="inline">
              <input type="radio" id={'quota_mode-' + m} name="quota_mode" value={m}
                checked={v.quota_mode === m} onChange={() => set('quota_mode', m)} />
              {t('qmode.' + m)}
            </label>
          ))}
          <small id="err-quota_mode" class="field-error" data-error-for="quota_mode">
            {errors.quota_mode ? (errors.quota_mode.message || t(errors.quota_mode.code)) : ''}</small>
        </fieldset>
        {v.quota_mode === 'proportional' ? (
          <Field {...fp('quota_floor', { inputMode: 'numeric', maxLength: 12 })} />
        ) : (
          <>
            <TextArea {...fp('quotas_csv', { hint: t('hint.quotas_csv'), rows: 6, spellcheck: false,
              autocomplete: 'off', maxLength: MAX_CSV })} />
            <div class="field">
              <label for="quotas_file">{t('field.quotas_file')}</label>
              <input type="file" id="quotas_file" accept=".csv,text/csv,text/plain" onChange={readFile} />
            </div>
          </>
        )}
        <Select name="spill_rule" label={t('field.spill_rule')} value={v.spill_rule} error={errors.spill_rule}
          onChange={set} options={SPILL.map((r) => ({ value: r, label: t('spill.' + r) }))} />
        <label class="inline" for="refill">
          <input type="checkbox" id="refill" name="refill" checked={v.refill}
            onChange={(e) => set('refill', e.currentTarget.checked)} />
          {t('field.refill')}
        </label>
        <small id="err-refill" class="field-error" data-error-for="refill">
          {errors.refill ? (errors.refill.message || t(errors.refill.code)) : ''}</small>
        <Alert id="wave-form-error">{formError}</Alert>
        <button type="submit" id="wave-create" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? t('adm.working') : t('adm.create_submit')}
        </button>
      </form>
    </section>
  );
}

function Stats({ n, d }) {
  const keys = ['eligible', 'seats', 'selected', 'selected_regency', 'selected_province', 'selected_nation',
    'unfilled'];
  return (
    <>
      <h4>{t('adm.stats')}</h4>
      <dl class="facts stats" id={'stats-' + n}>
        {keys.filter((k) => Number.isSafeInteger(d[k])).map((k) => (
          <Fragment key={k}>
            <dt>{t('stat.' + k)}</dt>
            <dd data-stat={k}>{formatNumber(d[k])}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}

function WaveAdmin({ w, draw, onChange }) {
  const n = w.number;
  const st = str(w.status);
  const [seed, setSeed] = useState('');
  const [seedError, setSeedError] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const counts = w.counts && typeof w.counts === 'object' ? w.counts : {};

  async function act(what) {
    if (busy) return;
    setError('');
    let body;
    if (what === 'draw') {
      const s = seed.trim().toLowerCase();
      if (!HEX64.test(s)) {
        setSeedError({ code: 'seed.invalid' });
        document.getElementById('seed-' + n).focus();
        return;
      }
      body = { seed: s };
    }
    setBusy(true);
    const res = await api('POST', `/waves/${encodeURIComponent(n)}/${what}`, body, { auth: true });
    setBusy(false);
    if (needLogin(res, ROUTE)) return;
    if (res.ok && res.data && typeof res.data === 'object') {
      if (what === 'draw') setSeed('');
      onChange(res.data);
      return;
    }
    const { fields, form } = problemToErrors(res, what === 'draw' ? ['seed'] : []);
    if (fields.seed) setSeedError(fields.seed);
    setError(form);
  }

  return (
    <li class="wave" id={'admin-wave-' + n} data-status={st}>
      <h3>{t('waves.wave', { n })} <Badge kind={STATUS_KIND[st] || 'info'}>{t('wstatus.' + st)}</Badge></h3>
      <dl class="facts">
        <dt>{t('waves.scheme')}</dt><dd>{str(w.scheme)}</dd>
        <dt>{t('waves.opens')}</dt><dd>{formatWib(w.opens_at)}</dd>
        <dt>{t('waves.closes')}</dt><dd>{formatWib(w.closes_at)}</dd>
        <dt>{t('waves.quota')}</dt>
        <dd>{formatNumber(w.total_quota)}
          {Number(w.refill_seats) > 0 && <> ({t('adm.refill_seats')}: {formatNumber(w.refill_seats)})</>}</dd>
        <dt>{t('adm.mode')}</dt>
        <dd>{t('qmode.' + str(w.quota_mode))}
          {w.quota_mode === 'proportional' && Number(w.quota_floor) > 0 && <> (≥ {formatNumber(w.quota_floor)})</>}</dd>
        <dt>{t('adm.spill')}</dt><dd>{t('spill.' + str(w.spill_rule))}</dd>
        <dt>{t('adm.commitment')}</dt><dd class="mono wrap small" id={'commitment-' + n}>{str(w.seed_commitment)}</dd>
        {w.seed && <><dt>{t('adm.seed')}</dt><dd class="mono wrap small">{str(w.seed)}</dd></>}
        {w.drawn_at && <><dt>{t('adm.drawn_at')}</dt><dd>{formatWib(w.drawn_at)}</dd></>}
        <dt>{t('adm.counts')}</dt>
        <dd id={'counts-' + n}>
          {['applications', 'eligible', 'ineligible', 'selected'].map((k, i) => (
            <span key={k} data-count={k}>{i ? ' · ' : ''}{t('count.' + k)}: {formatNumber(Number(counts[k]) || 0)}</span>
          ))}
        </dd>
      </dl>
      {draw && <Stats n={n} d={draw} />}
      <div class="buttons">
        {st === 'scheduled' && (
          <button type="button" id={'open-' + n} onClick={() => act('open')} disabled={busy}>{t('adm.open')}</button>
        )}
        {st === 'open' && (
          <button type="button" id={'close-' + n} class="secondary" onClick={() => act('close')}
            disabled={busy}>{t('adm.close')}</button>
        )}
      </div>
      {(st === 'open' || st === 'closed') && (
        <form class="draw-form" noValidate onSubmit={(e) => { e.preventDefault(); act('draw'); }}>
          <div class="field">
            <label for={'seed-' + n}>{t('field.seed')}</label>
            <input id={'seed-' + n} name="seed" value={seed} autocomplete="off" spellcheck={false}
              maxLength={200} class="mono"
              onInput={(e) => { setSeed(e.currentTarget.value); setSeedError(null); }}
              aria-invalid={seedError ? 'true' : undefined} aria-describedby={'err-seed-' + n} />
            <small id={'err-seed-' + n} class="field-error" data-error-for={'seed-' + n} aria-live="polite">
              {seedError ? (seedError.message || t(seedError.code)) : ''}</small>
          </div>
          <button type="submit" id={'draw-' + n} disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {busy ? t('adm.working') : t('adm.draw')}</button>
        </form>
      )}
      {st === 'drawn' && (
        <p><a href={'/api/v1/waves/' + encodeURIComponent(n) + '/draw'} id={'audit-' + n}
          download={`wave-${n}-draw.csv`}>{t('adm.audit')}</a></p>
      )}
      <Alert id={'wave-error-' + n}>{error}</Alert>
    </li>
  );
}

export function AdminWaves() {
  const [role, setRole] = useState(null);
  const [waves, setWaves] = useState(null);
  const [schemes, setSchemes] = useState([]);
  const [error, setError] = useState('');
  const [draws, setDraws] = useState({});
  const [seedShown, setSeedShown] = useState(null);

  async function load() {
    setError('');
    if (!token()) {
      needLogin(null, ROUTE);
      return;
    }
    const m = await me();
    if (needLogin(m, ROUTE)) return;
    if (!m.ok) {
      setError(problemToErrors(m, []).form);
      return;
    }
    const r = roleOf(m);
    setRole(r);
    if (r !== 'admin') return;
    const [w, s] = await Promise.all([api('GET', '/waves'), api('GET', '/schemes')]);
    if (!w.ok || !w.data || !Array.isArray(w.data.items)) {
      setError(problemToErrors(w, []).form);
      return;
    }
    setWaves(w.data.items.filter((x) => x && typeof x === 'object'));
    if (s.ok && s.data && Array.isArray(s.data.items))
      setSchemes(s.data.items.filter((x) => x && typeof x.code === 'string'));
  }

  useEffect(() => { load(); }, []);

  function replace(wave) {
    setWaves((ws) => {
      const rest = ws.filter((x) => x.number !== wave.number);
      return [wave, ...rest].sort((a, b) => b.number - a.number);
    });
    if (wave.draw && typeof wave.draw === 'object') setDraws((d) => ({ ...d, [wave.number]: wave.draw }));
  }

  if (role !== null && role !== 'admin') {
    return (
      <article>
        <h1 tabIndex={-1}>{t('adm.title')}</h1>
        <Alert id="admin-only">{t('adm.only')}</Alert>
      </article>
    );
  }
  if (!waves) return pageState({ title: t('adm.title'), error, onRetry: load });

  return (
    <article class="admin-waves">
      <h1 tabIndex={-1}>{t('adm.title')}</h1>
      {seedShown && <SeedOnce shown={seedShown} onDone={() => setSeedShown(null)} />}
      <CreateForm waves={waves} schemes={schemes} onCreated={replace} onSeed={setSeedShown} />
      <section aria-labelledby="list-h">
        <h2 id="list-h">{t('adm.list')}</h2>
        {waves.length === 0 ? <p>{t('waves.none')}</p> : (
          <ul class="cards" id="admin-wave-list">
            {waves.map((w) => <WaveAdmin key={w.number} w={w} draw={draws[w.number]} onChange={replace} />)}
          </ul>
        )}
      </section>
    </article>
  );
}
