// The browser test of a wave, end to end, on the real server and a real browser.
//
// A fresh database (`$PRAKERJA_BIN db init`), an admin made with `prakerja admin
// create`, and two participants registered and verified through the API (codes read
// from `prakerja outbox --json`) whose NIK, name and birth date are in the
// civil-registry CSV the server is started with: Siti from Jember (35.09), driven
// in the browser, and Budi from Banyuwangi (35.10). One browser context per person
// at 360x740 drives Debian's chromium through playwright-core:
// - the admin creates wave 1 in the browser with a quota CSV uploaded from a file
//   (Jember 1 seat, no spill-over): quotas that do not add up are refused at the CSV
//   field; then the page makes the seed and shows it once, and the test keeps it and
//   checks that only its SHA-256 was sent; a taken number is refused at the number
//   field; the admin opens the wave;
// - Siti takes the basic test in the browser, answering from the answer key read out
//   of the database with the sqlite3 or psql CLI (the API never sends it: test-only),
//   reloading the page mid-test (the attempt and answers resume) and switching to
//   English and back; she passes, applies and sees every eligibility rule passed;
//   Budi applies in the browser before passing the test and sees that rule failed
//   with the server's message, then passes it (through the API);
// - the admin draws with a wrong seed (refused at the seed field), then the right
//   one (the draw closes the wave, which checks Budi again: now eligible), and
//   downloads the audit file, which `prakerja draw verify` accepts;
// - Siti sees "selected" and her card: 16 digits in groups of four, Rp3.500.000;
//   Budi sees "not selected" and joins wave 2 with one click.
// Every page is checked for horizontal scrolling. The engine is SQLite unless
// PRAKERJA_TEST_PG holds a PostgreSQL base URL (then a database wv_<pid> is made
// there and dropped at the end), as in register.test.mjs. The formatting helpers of
// web/src/i18n.js (rupiah, card numbers, WIB) are tested first, without a browser.
// Run: node --test tests/web/
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { apiCall, assertNoHorizontalScroll, outboxCodeIn, spawnServer, stopServer as stopProcess } from './support.mjs';
import { formatRupiah, formatNumber, groupCard, wibInputToIso, wibInputValue, wibDaysUntil, parseIso,
  formatWib, setLang } from '../../web/src/i18n.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.PRAKERJA_BIN
  ? path.resolve(process.cwd(), process.env.PRAKERJA_BIN)
  : path.join(ROOT, 'build', 'prakerja');
const DIST = path.join(ROOT, 'web', 'dist');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const PG = process.env.PRAKERJA_TEST_PG || '';

const ADMIN = { email: `admin.${process.pid}@example.id`, password: 'kata-sandi-admin-1' };
const PERSON = {
  email: `siti.${process.pid}@example.id`, password: 'kata-sandi-rahasia-1', phone: '081234567890',
  phone_norm: '+6281234567890', full_name: 'Siti Aminah', nik: '3509154708950001',
  kk: '3509150101080003', birth_date: '1995-08-07', sex: 'F', village_code: '35.09.15.2001',
  education: 'sma', occupation: 'unemployed',
};
/* From another regency (Banyuwangi, 35.10), which gets no seat: not selected, then carried over. */
const SECOND = {
  email: `budi.${process.pid}@example.id`, password: 'kata-sandi-rahasia-2', phone: '081298765432',
  phone_norm: '+6281298765432', full_name: 'Budi Santoso', nik: '3510010101900001',
  kk: '3510010101080002', birth_date: '1990-01-01', sex: 'M', village_code: '35.10.01.2001',
  education: 'smk', occupation: 'laid_off',
};
const WAVE = 1;
const QUOTAS_CSV = 'regency_code,quota\n35.09,1\n';

describe('formatting (web/src/i18n.js)', () => {
  test('rupiah, thousands and card numbers', () => {
    assert.equal(formatRupiah(3500000), 'Rp3.500.000');
    assert.equal(formatRupiah(0), 'Rp0');
    assert.equal(formatRupiah(-50000), '-Rp50.000');
    assert.equal(formatRupiah(1.5), '');
    assert.equal(formatRupiah('3500000'), '');
    assert.equal(formatNumber(800000), '800.000');
    assert.equal(formatNumber(999), '999');
    assert.equal(groupCard('1234567812345678'), '1234 5678 1234 5678');
    assert.equal(groupCard('ABC'), 'ABC');
  });

  test('WIB date-times typed in a form become UTC, and back', () => {
    assert.equal(wibInputToIso('2026-12-05T17:00'), '2026-12-05T10:00:00Z');
    assert.equal(wibInputToIso('2026-12-01T03:30'), '2026-11-30T20:30:00Z');
    assert.equal(wibInputToIso('2026-02-30T10:00'), '');
    assert.equal(wibInputToIso('2026-12-05T24:00'), '');
    assert.equal(wibInputToIso(''), '');
    assert.equal(wibInputValue(parseIso('2026-11-30T20:30:00Z')), '2026-12-01T03:30');
    setLang('id');
    assert.equal(formatWib('2026-11-30T20:30:00Z'), '1 Des 2026, 03.30 WIB');
    setLang('en');
    assert.equal(formatWib('2026-11-30T20:30:00Z'), '1 Dec 2026, 03:30 WIB');
    setLang('id');
    assert.equal(formatWib('yesterday'), '');
  });

  test('days left count WIB calendar days', () => {
    const now = parseIso('2026-12-01T16:59:00Z');            /* 23:59 WIB on 1 Dec */
    assert.equal(wibDaysUntil('2026-12-01T17:00:00Z', now), 1); /* 00:00 WIB on 2 Dec */
    assert.equal(wibDaysUntil('2026-12-01T16:59:59Z', now), 0);
    assert.equal(wibDaysUntil('2026-12-16T16:59:59Z', now), 15);
    assert.equal(wibDaysUntil('2026-11-30T00:00:00Z', now), -1);
  });
});

describe('a wave in the browser', () => {
  let tmp;
  let db;
  let key;
  let civreg;
  let pgName;
  let server;
  const serverLog = [];
  let base;
  let browser;
  let admin;                  /* the admin's page */
  let person;                 /* the participant's page (Jember, selected) */
  let second;                 /* the second participant's page (Banyuwangi, carried over) */
  let adminTok;
  let secondTok;
  let seed = '';
  const pageErrors = [];

  function run(args, input) {
    return execFileSync(BIN, args, { cwd: ROOT, encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20,
      input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  }

  function psql(sql, dbUrl) {
    return execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql, dbUrl],
      { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Rows of a query on the test's database, each an array of its columns. */
  function query(sql) {
    const out = PG ? psql(sql, db)
      : execFileSync('sqlite3', [db, sql], { encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('|'));
  }

  async function startServer() {
    const s = await spawnServer(BIN, ['serve', '--db', db, '--key', key, '--port', '0', '--static', DIST, '--civreg', civreg, '--threads', '4', '--loops', '1'], ROOT, serverLog);
    server = s.proc;
    return s.port;
  }

  const stopServer = () => stopProcess(server);

  const call = (method, pathname, body, tok) => apiCall(base, method, pathname, body, tok);

  /** The newest 6-digit code the outbox holds for recipient on one of channels. */
  function outboxCode(channels, recipient) {
    return outboxCodeIn(run(['outbox', '--db', db, '--json']), channels, recipient);
  }

  /** Registers p through the API and verifies both channels with the outbox's codes. */
  async function registerVerified(p) {
    const { phone_norm: phoneNorm, ...reg } = p;
    const r = await call('POST', '/accounts', reg);
    assert.equal(r.status, 201, `register: ${JSON.stringify(r.data)}`);
    for (const [channel, to, ch] of [['email', p.email, ['email']], ['phone', phoneNorm, ['sms', 'phone']]]) {
      const v = await call('POST', '/accounts/verify', { email: p.email, channel, code: outboxCode(ch, to) });
      assert.equal(v.status, 200, `verify ${channel}: ${JSON.stringify(v.data)}`);
    }
  }

  /** test-only: the right choice for each question of an attempt, from the database. */
  function answerKey(attemptId) {
    assert.match(attemptId, /^[A-Za-z0-9_-]{1,64}$/);
    const ids = query(`SELECT question_ids FROM test_attempts WHERE public_id = '${attemptId}'`)[0][0]
      .split(',').map(Number);
    const key = new Map(query(`SELECT id, answer FROM test_questions WHERE id IN (${ids.join(',')})`)
      .map(([id, a]) => [Number(id), Number(a)]));
    return ids.map((id) => key.get(id));
  }

  async function login(email, password) {
    const r = await call('POST', '/sessions', { email, password });
    assert.equal(r.status, 201, `log in ${email}: ${JSON.stringify(r.data)}`);
    return r.data.token;
  }

  async function newPage(tok) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, acceptDownloads: true });
    await context.addInitScript((t) => {
      if (location.protocol !== 'http:') return;      /* about:blank has no storage */
      if (!sessionStorage.getItem('prakerja.test-init')) {
        sessionStorage.setItem('prakerja.test-init', '1');
        localStorage.setItem('prakerja.token', t);
      }
    }, tok);
    const p = await context.newPage();
    p.setDefaultTimeout(15000);
    p.on('pageerror', (e) => pageErrors.push(String(e)));
    return p;
  }


  async function errorAt(page, field) {
    await page.waitForFunction((f) => {
      const el = document.querySelector(`[data-error-for="${f}"]`);
      return el && el.textContent.trim().length > 0;
    }, field);
    return (await page.textContent(`[data-error-for="${field}"]`)).trim();
  }

  async function text(page, sel) {
    return ((await page.textContent(sel)) || '').trim();
  }

  /** A datetime-local value in WIB for Unix seconds. */
  function wibInput(sec) {
    return new Date((sec + 7 * 3600) * 1000).toISOString().slice(0, 16);
  }

  before(async () => {
    assert.ok(fs.existsSync(BIN), `${BIN} does not exist: build it (ninja -C build) or set PRAKERJA_BIN`);
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} does not exist (apt-get install chromium)`);
    if (!fs.existsSync(path.join(DIST, 'index.html'))) {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build',
        '--config', path.join(ROOT, 'web/vite.config.js')], { cwd: ROOT, stdio: 'inherit', timeout: 180000 });
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prakerja-waves-'));
    db = path.join(tmp, 'db');
    key = path.join(tmp, 'db.key');
    civreg = path.join(tmp, 'civreg.csv');
    if (PG) {
      pgName = `wv_${process.pid}`;
      psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`, `${PG}/postgres`);
      psql(`CREATE DATABASE ${pgName}`, `${PG}/postgres`);
      db = `${PG}/${pgName}`;
    }
    run(['db', 'init', '--db', db, '--key', key]);
    run(['admin', 'create', '--db', db, '--email', ADMIN.email, '--name', 'Admin Gelombang', '--role', 'admin',
      '--password-stdin'], ADMIN.password + '\n');
    fs.writeFileSync(civreg, 'nik,full_name,birth_date\n' +
      [PERSON, SECOND].map((p) => `${p.nik},${p.full_name},${p.birth_date}\n`).join(''));
    base = `http://127.0.0.1:${await startServer()}`;
    await registerVerified(PERSON);
    await registerVerified(SECOND);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    adminTok = await login(ADMIN.email, ADMIN.password);
    secondTok = await login(SECOND.email, SECOND.password);
    admin = await newPage(adminTok);
    person = await newPage(await login(PERSON.email, PERSON.password));
    second = await newPage(secondTok);
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer();
    if (pgName) psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`, `${PG}/postgres`);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the admin creates a wave in the browser, keeps the seed it shows once, and opens the wave', async () => {
    await admin.goto(base + '/#/admin/waves');
    await admin.waitForSelector('#wave-form');
    await admin.waitForSelector('#scheme option[value="normal-2023"]', { state: 'attached' });
    assert.equal(await text(admin, 'main h1'), 'Kelola gelombang');
    assert.equal(await admin.evaluate(() => document.activeElement && document.activeElement.tagName), 'H1');
    assert.equal(await admin.inputValue('#number'), String(WAVE));
    await admin.selectOption('#scheme', 'normal-2023');
    const now = Math.floor(Date.now() / 1000);
    await admin.fill('#opens_at', wibInput(now + 86400));
    await admin.fill('#closes_at', wibInput(now + 8 * 86400));
    await admin.check('#quota_mode-csv');
    await admin.setInputFiles('#quotas_file', { name: 'quotas.csv', mimeType: 'text/csv',
      buffer: Buffer.from(QUOTAS_CSV) });
    await admin.waitForFunction(() => document.querySelector('#quotas_csv').value.includes('35.09,1'));
    await admin.selectOption('#spill_rule', 'regency');
    await admin.fill('#total_quota', '2');
    await assertNoHorizontalScroll(admin, 'waves admin');
    await admin.click('#wave-create');
    assert.ok((await errorAt(admin, 'quotas_csv')).length > 0, 'quotas that do not add up: shown at the CSV');
    assert.equal(await admin.locator('#new-seed').count(), 0, 'no seed shown for a wave not created');
    await admin.fill('#total_quota', '1');

    const posted = admin.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/waves'));
    await admin.click('#wave-create');
    const body = JSON.parse((await posted).postData());
    await admin.waitForSelector('#new-seed');
    seed = await text(admin, '#new-seed');
    assert.match(seed, /^[0-9a-f]{64}$/);
    assert.equal(body.seed, undefined, 'the seed itself is never sent');
    const commitment = createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex');
    assert.equal(body.seed_commitment, commitment);
    assert.equal(body.opens_at, new Date(Math.floor((now + 86400) / 60) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'the WIB date-time typed is sent as UTC');
    assert.match(await text(admin, '#seed-once'), /Simpan seed ini/);
    await assertNoHorizontalScroll(admin, 'seed shown once');
    await admin.click('#seed-saved');
    await admin.waitForSelector('#new-seed', { state: 'detached' });

    const got = await call('GET', `/waves/${WAVE}`);
    assert.equal(got.status, 200);
    assert.equal(got.data.seed_commitment, commitment);
    assert.equal(got.data.status, 'scheduled');
    assert.equal(await text(admin, `#commitment-${WAVE}`), commitment);

    await admin.fill('#number', String(WAVE));
    await admin.fill('#total_quota', '1');
    await admin.check('#quota_mode-proportional');
    await admin.click('#wave-create');
    assert.ok((await errorAt(admin, 'number')).length > 0, 'a taken number is shown at the number field');
    assert.equal(await admin.getAttribute('#number', 'aria-invalid'), 'true');

    await admin.click(`#open-${WAVE}`);
    await admin.waitForSelector(`#admin-wave-${WAVE}[data-status="open"]`);
    assert.equal((await call('GET', `/waves/${WAVE}`)).data.status, 'open');
  });

  test('the participant takes the basic test in the browser, in both languages, and passes', async () => {
    await person.goto(base + '/#/account');
    await person.waitForSelector('#link-test');
    await person.click('#link-test');
    await person.waitForSelector('#test-start');
    assert.equal(await text(person, 'main h1'), 'Tes Kemampuan Dasar');
    assert.match(await text(person, 'main'), /sekali sehari/);
    assert.match(await text(person, 'main'), /dibatasi/);
    await assertNoHorizontalScroll(person, 'test intro');

    const started = person.waitForResponse((r) => r.request().method() === 'POST' &&
      r.url().endsWith('/api/v1/test/attempts'));
    await person.click('#test-start');
    const attempt = await (await started).json();
    assert.match(attempt.attempt_id, /^[A-Za-z0-9_-]{1,64}$/);
    await person.waitForSelector('#test-form');
    assert.match(await text(person, '#test-timer'), /^[0-9]{2}:[0-9]{2}$/);
    assert.equal(await text(person, '#q0 .qtext'), attempt.questions[0].text.id);
    await assertNoHorizontalScroll(person, 'test questions');

    const key = answerKey(attempt.attempt_id);
    assert.equal(key.length, attempt.questions.length);
    const half = Math.floor(key.length / 2);
    for (let i = 0; i < half; i++) await person.check(`#q${i}-${key[i]}`);
    await person.reload();                          /* a dropped tab resumes the same attempt */
    await person.waitForSelector('#test-form');
    assert.ok(await person.isChecked(`#q${half - 1}-${key[half - 1]}`), 'answers kept over a reload');

    await person.click('#lang-switch');
    assert.equal(await text(person, 'main h1'), 'Basic Skills Test');
    assert.equal(await text(person, '#q0 .qtext'), attempt.questions[0].text.en);
    assert.equal(await text(person, '#q0 label[for="q0-0"]'), attempt.questions[0].options.en[0]);
    assert.ok(await person.isChecked(`#q0-${key[0]}`), 'answers stay when the language changes');
    await assertNoHorizontalScroll(person, 'test in English');
    for (let i = half; i < key.length; i++) await person.check(`#q${i}-${key[i]}`);
    await person.click('#lang-switch');
    assert.equal(await text(person, '#q0 .qtext'), attempt.questions[0].text.id);

    await person.click('#test-submit');
    await person.waitForSelector('#test-result');
    assert.equal(await text(person, '#test-score'), '100');
    assert.equal(await text(person, '#test-passed'), 'Lulus');
    assert.match(await text(person, '#test-pass-mark'), /^[0-9]+$/);

    await person.reload();
    await person.waitForSelector('#test-done-today');
    assert.equal(await person.locator('#test-start').count(), 0, 'once a day: no second start today');
    assert.match(await text(person, '#test-history'), /100/);
    const me = await call('GET', '/me/test', undefined, await person.evaluate(() => localStorage.getItem('prakerja.token')));
    assert.equal(me.data.passed, true);
    assert.equal(me.data.can_start, false);
  });

  test('the participant applies to the open wave and sees every eligibility rule passed', async () => {
    await person.goto(base + '/#/waves');
    await person.waitForSelector(`#apply-${WAVE}`);
    assert.equal(await person.getAttribute(`#wave-${WAVE}`, 'data-status'), 'open');
    await assertNoHorizontalScroll(person, 'waves');
    await person.click(`#apply-${WAVE}`);
    await person.waitForSelector('#eligibility');
    const rules = await person.$$eval('#eligibility li', (ls) => ls.map((l) => [l.dataset.rule, l.dataset.passed]));
    assert.ok(rules.length >= 10, `every rule listed: ${JSON.stringify(rules)}`);
    for (const [rule, passed] of rules) assert.equal(passed, 'true', `rule ${rule} passed`);
    for (const r of ['age', 'test', 'verified', 'civil_registry'])
      assert.ok(rules.some(([rule]) => rule === r), `rule ${r} shown`);
    assert.equal(await text(person, '#app-status'), 'Memenuhi syarat, menunggu undian');
    assert.equal(await person.locator(`#apply-${WAVE}`).count(), 0, 'no second application');
    await assertNoHorizontalScroll(person, 'waves after applying');

  });

  test('an applicant who has not passed the test sees that rule failed with its message', async () => {
    await second.goto(base + '/#/waves');
    await second.waitForSelector(`#apply-${WAVE}`);
    assert.match(await text(second, 'main'), /lulus dulu tes/, 'told to pass the test before applying');
    await second.click(`#apply-${WAVE}`);
    await second.waitForSelector('#eligibility');
    assert.equal(await text(second, '#app-status'), 'Tidak memenuhi syarat');
    const failed = await second.$$eval('#eligibility li[data-passed="false"]', (ls) => ls.map((l) => l.dataset.rule));
    assert.deepEqual(failed, ['test']);
    const mine = await call('GET', '/me/applications', undefined, secondTok);
    const rule = mine.data.items[0].eligibility.find((r) => r.rule === 'test');
    assert.ok(rule.message, JSON.stringify(rule));
    assert.equal(await text(second, '#eligibility li[data-rule="test"] .rule-msg'), rule.message);
    assert.ok(await second.locator('#eligibility li[data-rule="test"] a[href="#/test"]').count() === 1);
    await assertNoHorizontalScroll(second, 'waves when ineligible');

    /* he passes the test afterwards (through the API); closing the wave checks again */
    const at = await call('POST', '/test/attempts', {}, secondTok);
    assert.equal(at.status, 201, JSON.stringify(at.data));
    const sub = await call('POST', `/test/attempts/${at.data.attempt_id}/submit`,
      { answers: answerKey(at.data.attempt_id) }, secondTok);
    assert.equal(sub.data.passed, true, JSON.stringify(sub.data));
  });

  test('the admin draws with the seed (a wrong one is refused) and downloads the audit file', async () => {
    await admin.goto(base + '/#/account');
    await admin.waitForSelector('#link-admin-waves');
    await admin.click('#link-admin-waves');
    await admin.waitForSelector(`#seed-${WAVE}`);
    await admin.fill(`#seed-${WAVE}`, 'zz');
    await admin.click(`#draw-${WAVE}`);
    assert.equal(await errorAt(admin, `seed-${WAVE}`), 'Seed harus 64 karakter 0-9 atau a-f.');
    await admin.fill(`#seed-${WAVE}`, 'ab'.repeat(32));
    await admin.click(`#draw-${WAVE}`);
    assert.ok((await errorAt(admin, `seed-${WAVE}`)).length > 0, 'a seed that does not match is refused');
    assert.notEqual((await call('GET', `/waves/${WAVE}`)).data.status, 'drawn');

    await admin.fill(`#seed-${WAVE}`, seed);
    await admin.click(`#draw-${WAVE}`);
    await admin.waitForSelector(`#admin-wave-${WAVE}[data-status="drawn"]`);
    await admin.waitForSelector(`#stats-${WAVE}`);
    assert.equal(await text(admin, `#stats-${WAVE} [data-stat="selected"]`), '1');
    assert.equal(await text(admin, `#stats-${WAVE} [data-stat="eligible"]`), '2',
      'the applicant who passed the test after applying is eligible at the draw');
    assert.match(await text(admin, `#counts-${WAVE}`), /Terpilih: 1/);
    await assertNoHorizontalScroll(admin, 'waves admin after the draw');

    const [download] = await Promise.all([admin.waitForEvent('download'), admin.click(`#audit-${WAVE}`)]);
    assert.equal(download.suggestedFilename(), `wave-${WAVE}-draw.csv`);
    const file = path.join(tmp, 'audit.csv');
    await download.saveAs(file);
    run(['draw', 'verify', file, '--seed', seed]);            /* throws unless it exits 0 */
  });

  test('the participant sees "selected" and the card with its number and rupiah balance', async () => {
    await person.goto('about:blank');
    await person.goto(base + '/#/waves');
    await person.waitForSelector('#app-selected');
    assert.equal(await text(person, '#app-status'), 'Terpilih');
    await assertNoHorizontalScroll(person, 'waves when selected');
    await person.click('#see-card');
    await person.waitForSelector('#card-number');
    assert.equal(await person.evaluate(() => document.activeElement && document.activeElement.tagName), 'H1');
    assert.match(await text(person, '#card-number'), /^[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{4}$/);
    assert.equal(await text(person, '#card-balance'), 'Rp3.500.000');
    assert.equal(await text(person, '#card-status'), 'Aktif');
    assert.match(await text(person, '#card-days-left'), /^\((1[456]) hari lagi\)$/);
    await assertNoHorizontalScroll(person, 'card');
    await person.click('#lang-switch');
    assert.equal(await text(person, 'main h1'), 'My Kartu Prakerja');
    assert.match(await text(person, '#card-days-left'), /^\((1[456]) days left\)$/);
    await assertNoHorizontalScroll(person, 'card in English');
  });

  test('the participant who was not selected joins the next wave with one click', async () => {
    const isoIn = (days) => new Date(Date.now() + days * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const next = { number: WAVE + 1, scheme: 'normal-2023', opens_at: isoIn(1), closes_at: isoIn(9),
      total_quota: 10, quota_mode: 'proportional',
      quota_floor: 0, seed_commitment: createHash('sha256').update('another seed').digest('hex') };
    const w = await call('POST', '/waves', next, adminTok);
    assert.equal(w.status, 201, JSON.stringify(w.data));

    await second.goto('about:blank');
    await second.goto(base + '/#/waves');
    await second.waitForSelector('#app-not-selected');
    assert.equal(await text(second, '#app-status'), 'Tidak terpilih');
    await assertNoHorizontalScroll(second, 'waves when not selected');
    await second.click('#carry-over');
    await second.waitForFunction((n) => {
      const el = document.querySelector('#app-wave');
      return el && el.textContent.includes(String(n));
    }, WAVE + 1);
    assert.match(await text(second, '#waves-notice'), new RegExp(`gelombang ${WAVE + 1}`));
    const mine = await call('GET', '/me/applications', undefined, secondTok);
    assert.equal(mine.data.items[0].wave, WAVE + 1);
    assert.equal(mine.data.items[1].status, 'carried_over');
    await assertNoHorizontalScroll(second, 'waves after carrying over');
  });

  test('the pages raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
