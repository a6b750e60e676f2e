// The basic test page (tes kemampuan dasar). GET /api/v1/me/test says whether a test
// may start today (one a WIB day) and lists the attempts. Starting (POST
// /api/v1/test/attempts) returns the questions in both languages and the server's
// deadline; they are shown as one list of radio groups in the current language (a
// language switch re-renders them), with a countdown taken from the server's clock:
// the difference between its started_at and this phone's clock is kept, so a phone
// whose clock is wrong still counts down right. The attempt and the answers so far
// are kept in sessionStorage, so a reload resumes the same attempt. Submitting, or
// the countdown reaching zero, sends the answers; the result shows the score, the
// pass mark and passed or not, above the history of attempts.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatWib, lang, parseIso, t } from '../i18n.js';
import { api, problemCode, token } from '../api.js';
import { Alert, Badge, pageState, needLogin, problemToErrors } from '../ui.jsx';

const KEEP = 'prakerja.test';
const MAX_QUESTIONS = 200;

function str(x) {
  return typeof x === 'string' ? x : '';
}

function kept() {
  try {
    const j = JSON.parse(sessionStorage.getItem(KEEP) || 'null');
    return j && typeof j === 'object' ? j : null;
  } catch (_) {
    return null;
  }
}

function keep(v) {
  try {
    if (v) sessionStorage.setItem(KEEP, JSON.stringify(v));
    else sessionStorage.removeItem(KEEP);
  } catch (_) { /* storage blocked or full: the attempt lasts this page only */ }
}

/** The attempt of a POST /test/attempts reply in a checked shape, or null. */
function checkAttempt(a) {
  if (!a || typeof a !== 'object' || typeof a.attempt_id !== 'string' || a.attempt_id.length > 100 ||
      !Array.isArray(a.questions) || a.questions.length === 0 || a.questions.length > MAX_QUESTIONS)
    return null;
  const started = parseIso(a.started_at);
  const deadline = parseIso(a.deadline_at);
  if (!Number.isFinite(started) || !Number.isFinite(deadline)) return null;
  const questions = [];
  for (const q of a.questions) {
    if (!q || typeof q !== 'object' || !q.text || !q.options) return null;
    const oid = q.options.id;
    if (!Array.isArray(oid) || oid.length < 2 || oid.length > 10) return null;
    const oen = Array.isArray(q.options.en) && q.options.en.length === oid.length ? q.options.en : oid;
    questions.push({
      category: str(q.category),
      text: { id: str(q.text.id), en: str(q.text.en) || str(q.text.id) },
      options: { id: oid.map(str), en: oen.map(str) },
    });
  }
  return { attempt_id: a.attempt_id, started, deadline, questions };
}

function checkStatus(d) {
  const attempts = Array.isArray(d.attempts)
    ? d.attempts.filter((a) => a && typeof a === 'object').slice(0, 100) : [];
  return { passed: d.passed === true, can_start: d.can_start === true, attempts };
}

function checkResult(d) {
  const n = (x) => (Number.isSafeInteger(x) ? x : 0);
  return { correct: n(d.correct), total: n(d.total), score: n(d.score), pass_mark: n(d.pass_mark),
    passed: d.passed === true };
}

function clock(secs) {
  const m = Math.floor(secs / 60);
  const s = secs % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** The number of questions, minutes and pass mark of the scheme a test would use, or null. */
async function testSize() {
  const w = await api('GET', '/waves');
  const items = w.ok && w.data && Array.isArray(w.data.items) ? w.data.items : [];
  const open = items.filter((x) => x && x.status === 'open' && typeof x.scheme === 'string')
    .sort((a, b) => a.number - b.number)[0];
  if (!open) return null;
  const s = await api('GET', '/schemes/' + encodeURIComponent(open.scheme));
  const d = s.ok && s.data;
  if (!d || !Number.isSafeInteger(d.test_questions) || !Number.isSafeInteger(d.test_minutes)) return null;
  return { n: d.test_questions, m: d.test_minutes, p: Number(d.test_pass_mark) || 0 };
}

function Countdown({ deadline, skew, onZero }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const left = Math.max(0, Math.floor(deadline - (now / 1000 + skew)));
  useEffect(() => { if (left === 0) onZero(); }, [left === 0]);
  const warn = left === 0 ? t('test.time_up') : left <= 60 ? t('test.time_warn', { m: 1 })
    : left <= 300 ? t('test.time_warn', { m: 5 }) : '';
  return (
    <div class={'timer' + (left <= 60 ? ' timer-low' : '')}>
      <span>{t('test.time_left')}</span>{' '}
      <strong id="test-timer" role="timer" class="mono">{clock(left)}</strong>
      <span class="sr-only" aria-live="assertive">{warn}</span>
    </div>
  );
}

function Question({ q, i, n, answer, onAnswer }) {
  const L = lang();
  return (
    <fieldset class="question" id={'q' + i}>
      <legend>
        <small class="qmeta">{t('test.question', { i: i + 1, n })}
          {q.category ? ' · ' + t('cat.' + q.category) : ''}</small>
        <span class="qtext" lang={L}>{q.text[L]}</span>
      </legend>
      {q.options[L].map((o, k) => (
        <label key={k} for={`q${i}-${k}`} class="option" lang={L}>
          <input type="radio" id={`q${i}-${k}`} name={'q' + i} value={k} checked={answer === k}
            onChange={() => onAnswer(i, k)} />
          <span>{o}</span>
        </label>
      ))}
    </fieldset>
  );
}

function History({ attempts }) {
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">{t('test.history')}</h2>
      {attempts.length === 0 ? <p>{t('test.no_history')}</p> : (
        <ul class="history" id="test-history">
          {attempts.map((a, i) => (
            <li key={str(a.attempt_id) || i}>
              <span>{formatWib(a.started_at)}</span>{' '}
              {a.submitted_at ? (
                <>
                  <span class="mono">{t('test.score')} {Number.isSafeInteger(a.score) ? a.score : '-'}</span>{' '}
                  <Badge kind={a.passed === true ? 'ok' : 'no'}>
                    {t(a.passed === true ? 'test.passed' : 'test.failed')}
                  </Badge>
                </>
              ) : (
                <Badge kind="info">
                  {t(parseIso(a.deadline_at) + 30 > Date.now() / 1000 ? 'test.in_progress' : 'test.not_submitted')}
                </Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Result({ r }) {
  const ref = useRef(null);
  useEffect(() => { if (ref.current) ref.current.focus(); }, []);
  return (
    <section class={'result ' + (r.passed ? 'result-ok' : 'result-no')} id="test-result"
      aria-labelledby="result-h">
      <h2 id="result-h" tabIndex={-1} ref={ref}>{t('test.result')}</h2>
      <dl class="facts">
        <dt>{t('test.score')}</dt>
        <dd><strong id="test-score" class="big">{r.score}</strong>{' '}
          <small>({t('test.correct', { c: r.correct, n: r.total })})</small></dd>
        <dt>{t('test.pass_mark')}</dt>
        <dd id="test-pass-mark">{r.pass_mark}</dd>
        <dt>{t('app.status')}</dt>
        <dd><Badge id="test-passed" kind={r.passed ? 'ok' : 'no'}>
          {t(r.passed ? 'test.passed' : 'test.failed')}</Badge></dd>
      </dl>
      <p>{t(r.passed ? 'test.passed_note' : 'test.failed_note')}{' '}
        {r.passed && <a href="#/waves" id="go-waves">{t('test.go_waves')}</a>}</p>
    </section>
  );
}

export function Test() {
  const [status, setStatus] = useState(null);
  const [error, setError] = useState('');
  const [size, setSize] = useState(null);
  const [run, setRun] = useState(null);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [warned, setWarned] = useState(false);
  const sending = useRef(false);

  async function load() {
    setError('');
    if (!token()) {
      needLogin(null, '/test');
      return;
    }
    const res = await api('GET', '/me/test', undefined, { auth: true });
    if (needLogin(res, '/test')) return;
    if (!res.ok || !res.data) {
      setError(problemToErrors(res, []).form);
      return;
    }
    const st = checkStatus(res.data);
    setStatus(st);
    const k = kept();
    if (k) {
      const a = checkAttempt(k.attempt);
      const h = a && st.attempts.find((x) => x.attempt_id === a.attempt_id);
      if (a && h && !h.submitted_at && Array.isArray(k.answers) && k.answers.length === a.questions.length) {
        sending.current = false;
        setRun({ attempt: a, answers: k.answers.map((x) => (Number.isInteger(x) ? x : null)),
          skew: Number(k.skew) || 0, raw: k.attempt });
      } else {
        keep(null);
      }
    }
    if (st.can_start) testSize().then(setSize);
  }

  useEffect(() => { load(); }, []);

  async function start() {
    if (busy) return;
    setBusy(true);
    setNotice('');
    setResult(null);
    const res = await api('POST', '/test/attempts', {}, { auth: true });
    setBusy(false);
    if (needLogin(res, '/test')) return;
    const a = res.status === 201 ? checkAttempt(res.data) : null;
    if (!a) {
      setNotice(problemToErrors(res, []).form || t('net.unexpected'));
      if (res.status === 409) load();
      return;
    }
    const r = { attempt: a, answers: a.questions.map(() => null), skew: a.started - Date.now() / 1000,
      raw: res.data };
    keep({ attempt: r.raw, answers: r.answers, skew: r.skew });
    sending.current = false;
    setWarned(false);
    setRun(r);
  }

  function answer(i, k) {
    setRun((r) => {
      const answers = r.answers.slice();
      answers[i] = k;
      keep({ attempt: r.raw, answers, skew: r.skew });
      return { ...r, answers };
    });
    setWarned(false);
  }

  async function submit(auto) {
    if (!run || sending.current) return;
    const unanswered = run.answers.filter((x) => x === null).length;
    if (!auto && unanswered > 0 && !warned) {
      setWarned(true);
      return;
    }
    sending.current = true;
    setBusy(true);
    setNotice('');
    const res = await api('POST', '/test/attempts/' + encodeURIComponent(run.attempt.attempt_id) + '/submit',
      { answers: run.answers }, { auth: true });
    setBusy(false);
    if (needLogin(res, '/test')) return;
    if (res.ok && res.data && typeof res.data === 'object') {
      keep(null);
      setRun(null);
      setResult(checkResult(res.data));
      load();
      return;
    }
    const code = problemCode(res);
    if (code === 'test.deadline_passed' || code === 'test.already_submitted' || code === 'test.not_found') {
      keep(null);
      setRun(null);
      setNotice(problemToErrors(res, []).form);
      load();
      return;
    }
    sending.current = false;          /* a network failure: the person may send again */
    setNotice(problemToErrors(res, []).form);
  }

  if (!status) return pageState({ title: t('test.title'), error, onRetry: load });

  if (run) {
    const n = run.attempt.questions.length;
    const answered = run.answers.filter((x) => x !== null).length;
    return (
      <article class="test">
        <h1 tabIndex={-1}>{t('test.title')}</h1>
        <Countdown deadline={run.attempt.deadline} skew={run.skew} onZero={() => submit(true)} />
        <form id="test-form" noValidate onSubmit={(e) => { e.preventDefault(); submit(false); }}>
          {run.attempt.questions.map((q, i) => (
            <Question key={i} q={q} i={i} n={n} answer={run.answers[i]} onAnswer={answer} />
          ))}
          <p id="test-answered" aria-live="polite">{t('test.answered', { a: answered, n })}</p>
          {warned && <Alert kind="info">{t('test.unanswered_warn', { k: n - answered })}</Alert>}
          <Alert id="test-error">{notice}</Alert>
          <button type="submit" id="test-submit" disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {busy ? t('common.sending') : t('test.submit')}
          </button>
        </form>
      </article>
    );
  }

  const today = status.attempts.find((a) => !a.submitted_at && parseIso(a.deadline_at) + 30 > Date.now() / 1000);
  return (
    <article class="test">
      <h1 tabIndex={-1}>{t('test.title')}</h1>
      <p>{t('test.intro')}</p>
      <Alert id="test-error">{notice}</Alert>
      {result && <Result r={result} />}
      {status.passed && !result && (
        <p class="alert alert-ok" role="status" id="test-already-passed">
          {t('test.already_passed')} <a href="#/waves">{t('test.go_waves')}</a>
        </p>
      )}
      {status.can_start ? (
        <section aria-labelledby="start-h" class="start">
          <h2 id="start-h">{t('test.start')}</h2>
          <ul>
            <li><strong>{t('test.rule_once')}</strong></li>
            <li><strong>{t('test.rule_timed')}</strong></li>
            {size && <li>{t('test.rule_size', size)}</li>}
          </ul>
          <button type="button" id="test-start" onClick={start} disabled={busy}
            aria-busy={busy ? 'true' : undefined}>{busy ? t('test.starting') : t('test.start')}</button>
        </section>
      ) : !result && (
        <p class="alert alert-info" role="status" id="test-done-today">
          {t(today ? 'test.elsewhere' : 'test.done_today')}
        </p>
      )}
      <History attempts={status.attempts} />
    </article>
  );
}
