// The browser test of the marketplace (issue 5), end to end, on the real server and
// a real browser.
//
// Set up through the CLI and the API, which is quick: a fresh database, an admin
// (`prakerja admin create`), a training provider with a staff account (`prakerja
// partner create --kind provider`, then `admin create --partner`), a digital
// platform with an API key (`partner create --kind platform`, whose secret is
// printed once), and a beneficiary: Siti registers and verifies through the API
// (codes from `prakerja outbox --json`), a passed basic test is written with SQL
// (the test itself is waves.test.mjs's business), wave 1 is created open with
// `prakerja wave create`, she applies through the API, and `prakerja wave draw`
// gives her a card. Then, at 360x740 in Debian's chromium through playwright-core:
// - the provider creates a webinar course in the browser (too few hours are
//   refused at the field), adds a session starting in half an hour and submits it;
// - the admin rejects it (a reason too short is refused first); the provider sees
//   the reason in the list and on the course, edits the description, resubmits;
//   the admin approves it;
// - the course is found in the catalog by a word of its title and by filters, and
//   its page shows the session in WIB with its seats and, to Siti, her card number
//   and how to buy it on a platform;
// - the platform buys it for her card with signed requests from this test (node's
//   crypto: HMAC-SHA256 as src/api/partner_auth.h says): an OTP to her phone
//   through the outbox, then the purchase with an Idempotency-Key;
// - Siti sees the voucher in My trainings; the provider exchanges it for a redeem
//   code, is refused for the wrong training type and then for a used code, each
//   with its own message, redeems it, and reports completion;
// - Siti sees the redeem code used with its WIB window, the certificate, the note
//   that rating earns the incentive, rates it 4 stars, and sees it is the
//   training the incentive is paid for; the course page shows the review.
// Every page is checked for horizontal scrolling, and a few in English. The
// engine is SQLite unless PRAKERJA_TEST_PG holds a PostgreSQL base URL (then a
// database mk_<pid> is made there and dropped at the end), as in the other tests.
// The formatting helpers added for these pages are tested first, without a browser.
// Run: node --test tests/web/
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { apiCall, assertNoHorizontalScroll, outboxCodeIn, spawnServer, stopServer as stopProcess } from './support.mjs';
import { formatDate, formatDecimal, formatWindow, keysOf, setLang, wibDateValue, parseIso } from '../../web/src/i18n.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.PRAKERJA_BIN
  ? path.resolve(process.cwd(), process.env.PRAKERJA_BIN)
  : path.join(ROOT, 'build', 'prakerja');
const DIST = path.join(ROOT, 'web', 'dist');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const PG = process.env.PRAKERJA_TEST_PG || '';

const ADMIN = { email: `admin.${process.pid}@example.id`, password: 'kata-sandi-admin-1' };
const STAFF = { email: `staf.${process.pid}@example.id`, password: 'kata-sandi-lembaga-1' };
const PERSON = {
  email: `siti.${process.pid}@example.id`, password: 'kata-sandi-rahasia-1', phone: '081234567890',
  phone_norm: '+6281234567890', full_name: 'Siti Aminah', nik: '3509154708950001',
  kk: '3509150101080003', birth_date: '1995-08-07', sex: 'F', village_code: '35.09.15.2001',
  education: 'sma', occupation: 'unemployed',
};
const SEED = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const TITLE = 'Pemasaran Digital untuk UMKM Kuliner';
const PRICE = 750000;
const REASON = 'Deskripsi terlalu singkat: tambahkan silabus per sesi.';

describe('formatting for the marketplace pages (web/src/i18n.js)', () => {
  test('every Indonesian text has an English one, except names that read the same', () => {
    const same = new Set(['app.name', 'home.title', 'field.email', 'field.nik', 'acc.nik', 'acc.email',
      'app.status', 'card.status', 'adm.seed']);
    const en = new Set(keysOf('en'));
    const missing = keysOf('id').filter((k) => !en.has(k) && !same.has(k));
    assert.deepEqual(missing, []);
    assert.ok(keysOf('id').includes('redeem.already_used') && en.has('tr.incentive_hint'));
  });

  test('decimals, dates and the redeem window of a live session', () => {
    setLang('id');
    assert.equal(formatDecimal(4.25), '4,3');
    assert.equal(formatDecimal(4), '4,0');
    assert.equal(formatDecimal(NaN), '');
    assert.equal(formatDate('2026-12-05'), '5 Des 2026');
    assert.equal(formatDate('2026-13-05'), '2026-13-05');
    /* 10:00 WIB: the code works from 09:00 to 11:00 WIB */
    assert.equal(formatWindow('2026-12-05T03:00:00Z'), 'Berlaku 5 Des 2026, 09.00 WIB sampai 5 Des 2026, 11.00 WIB');
    assert.equal(formatWindow('soon'), '');
    setLang('en');
    assert.equal(formatDecimal(4.25), '4.3');
    assert.equal(formatDate('2026-12-05'), '5 Dec 2026');
    assert.equal(formatWindow('2026-12-05T03:00:00Z'), 'Valid from 5 Dec 2026, 09:00 WIB to 5 Dec 2026, 11:00 WIB');
    setLang('id');
    assert.equal(wibDateValue(parseIso('2026-12-04T17:00:00Z')), '2026-12-05', 'midnight WIB is the next day');
    assert.equal(wibDateValue(parseIso('2026-12-04T16:59:59Z')), '2026-12-04');
  });
});

describe('the marketplace in the browser', () => {
  let tmp;
  let db;
  let key;
  let civreg;
  let pgName;
  let server;
  const serverLog = [];
  let base;
  let browser;
  let provider;               /* the provider staff member's page */
  let admin;                  /* the admin's page */
  let person;                 /* Siti's page */
  let personTok;
  let platform;               /* {keyId, secret} of the digital platform */
  let cardNumber;
  let courseId;
  let purchase;               /* the PURCHASE reply */
  const pageErrors = [];

  function run(args, input) {
    return execFileSync(BIN, args, { cwd: ROOT, encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20,
      input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  }

  function psql(sql, dbUrl) {
    return execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql, dbUrl],
      { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Runs SQL on the test's database; rows as arrays of columns. */
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

  /**
   * A request signed by the platform's key (src/api/partner_auth.h): HMAC-SHA256,
   * keyed by the secret's 32 bytes, of METHOD \n PATH \n TIMESTAMP \n NONCE \n
   * hex(SHA-256(body)), in lower-case hex.
   */
  async function signed(method, pathname, body, extra = {}) {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const full = '/api/v1' + pathname;
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const canonical = [method, full, ts, nonce, createHash('sha256').update(raw).digest('hex')].join('\n');
    const sig = createHmac('sha256', Buffer.from(platform.secret, 'hex')).update(canonical).digest('hex');
    const headers = { Accept: 'application/json', 'X-Prakerja-Key': platform.keyId, 'X-Prakerja-Timestamp': ts,
      'X-Prakerja-Nonce': nonce, 'X-Prakerja-Signature': sig, ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(base + full, { method, headers, body: body === undefined ? undefined : raw });
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch (_) { data = text; }
    return { status: res.status, data };
  }

  /** The newest 6-digit code the outbox holds for recipient on one of channels. */
  function outboxCode(channels, recipient) {
    return outboxCodeIn(run(['outbox', '--db', db, '--json']), channels, recipient);
  }

  async function login(email, password) {
    const r = await call('POST', '/sessions', { email, password });
    assert.equal(r.status, 201, `log in ${email}: ${JSON.stringify(r.data)}`);
    return r.data.token;
  }

  /**
   * `prakerja partner create ...`: its output holds the partner's public id (26
   * base32 characters) and, printed once, the key id ("pk_...") and the secret (64
   * hex digits), each on a line of its own after its name.
   */
  function partnerCreate(args) {
    const out = run(['partner', 'create', '--db', db, '--key', key, ...args]);
    const id = /^partner_id\s+([0-9a-z]{26})$/m.exec(out);
    const keyId = /^key_id\s+(pk_[0-9a-z]{24})$/m.exec(out);
    const secret = /^secret\s+([0-9a-f]{64})$/m.exec(out);
    assert.ok(id && keyId && secret, `partner create printed no id, key id and secret:\n${out}`);
    return { id: id[1], keyId: keyId[1], secret: secret[1] };
  }

  async function newPage(tok) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
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

  /** Opens an in-app route: a hash change when the app is loaded already (quick), else a load. */
  async function open(page, route) {
    const target = base + '/#' + route;
    if (page.url() === target) await page.reload();
    else await page.goto(target);
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
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prakerja-market-'));
    db = path.join(tmp, 'db');
    key = path.join(tmp, 'db.key');
    civreg = path.join(tmp, 'civreg.csv');
    if (PG) {
      pgName = `mk_${process.pid}`;
      psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`, `${PG}/postgres`);
      psql(`CREATE DATABASE ${pgName}`, `${PG}/postgres`);
      db = `${PG}/${pgName}`;
    }
    run(['db', 'init', '--db', db, '--key', key]);
    run(['admin', 'create', '--db', db, '--email', ADMIN.email, '--name', 'Admin Kurasi', '--role', 'admin',
      '--password-stdin'], ADMIN.password + '\n');
    const prov = partnerCreate(['--kind', 'provider', '--name', 'LPK Maju Bersama', '--legal-name',
      'PT Maju Bersama Indonesia', '--tax-id', '0123456789012345', '--email', 'lpk@example.id']);
    run(['admin', 'create', '--db', db, '--email', STAFF.email, '--name', 'Staf LPK', '--role', 'provider',
      '--partner', prov.id, '--password-stdin'], STAFF.password + '\n');
    platform = partnerCreate(['--kind', 'platform', '--name', 'Platform Belajar']);
    fs.writeFileSync(civreg, `nik,full_name,birth_date\n${PERSON.nik},${PERSON.full_name},${PERSON.birth_date}\n`);
    base = `http://127.0.0.1:${await startServer()}`;

    /* Siti: registered and verified through the API, a passed test, then a card from wave 1 */
    const { phone_norm: phoneNorm, ...reg } = PERSON;
    const r = await call('POST', '/accounts', reg);
    assert.equal(r.status, 201, `register: ${JSON.stringify(r.data)}`);
    for (const [channel, to, ch] of [['email', PERSON.email, ['email']], ['phone', phoneNorm, ['sms', 'phone']]]) {
      const v = await call('POST', '/accounts/verify', { email: PERSON.email, channel, code: outboxCode(ch, to) });
      assert.equal(v.status, 200, `verify ${channel}: ${JSON.stringify(v.data)}`);
    }
    query(`INSERT INTO test_attempts (public_id, account_id, scheme_id, day, question_ids, started_at,
       deadline_at, submitted_at, answers, correct, total, score, passed)
     SELECT 'ta-market', id, (SELECT id FROM schemes WHERE code = 'normal-2023'), '2026-01-01',
       '1', 1, 2, 2, '0', 18, 20, 90, 1 FROM accounts WHERE email = '${PERSON.email}'`);
    const now = Math.floor(Date.now() / 1000);
    const iso = (s) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    run(['wave', 'create', '--db', db, '--number', '1', '--scheme', 'normal-2023',
      '--opens', iso(now - 3600), '--closes', iso(now + 86400), '--quota', '1', '--seed', SEED]);
    personTok = await login(PERSON.email, PERSON.password);
    const ap = await call('POST', '/waves/1/applications', {}, personTok);
    assert.equal(ap.status, 201, `apply: ${JSON.stringify(ap.data)}`);
    run(['wave', 'draw', '1', '--db', db, '--key', key, '--civreg', civreg, '--seed', SEED]);
    const card = await call('GET', '/me/card', undefined, personTok);
    assert.equal(card.status, 200, `card: ${JSON.stringify(card.data)}`);
    cardNumber = card.data.card_number;
    assert.match(cardNumber, /^[0-9]{16}$/);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    provider = await newPage(await login(STAFF.email, STAFF.password));
    admin = await newPage(await login(ADMIN.email, ADMIN.password));
    person = await newPage(personTok);
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer();
    if (pgName) psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`, `${PG}/postgres`);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the provider creates a course with a session and submits it for review', async () => {
    await open(provider, '/account');
    await provider.waitForSelector('#link-provider');
    await provider.click('#link-provider');
    await provider.waitForSelector('#new-course');
    assert.equal(await text(provider, 'main h1'), 'Pelatihan lembaga');
    assert.equal(await provider.locator('#prov-none').count(), 1, 'no courses yet');
    await provider.click('#new-course');
    await provider.waitForSelector('#course-form');
    await provider.waitForSelector('#category option[value="sales_marketing"]', { state: 'attached' });
    await provider.fill('#title', TITLE);
    await provider.fill('#description', 'Belajar memasarkan usaha kuliner di media sosial.');
    await provider.selectOption('#category', 'sales_marketing');
    await provider.selectOption('#level', 'basic');
    await provider.selectOption('#purpose', 'upskilling');
    await provider.selectOption('#mode', 'webinar');
    await provider.fill('#hours', '10');
    await provider.fill('#price', '750.000');
    await assertNoHorizontalScroll(provider, 'new course form');
    await provider.click('#course-save');
    assert.match(await errorAt(provider, 'hours'), /15/, 'fewer hours than any scheme allows: refused at the field');
    await provider.fill('#hours', '16');
    await provider.click('#course-save');
    await provider.waitForSelector('#pcourse-status');
    courseId = new URLSearchParams(new URL(provider.url()).hash.split('?')[1]).get('id');
    assert.match(courseId, /^[0-9A-Za-z]{26}$/);
    assert.equal(await text(provider, '#pcourse-status'), 'Draf');
    assert.match(await text(provider, '#pcourse-notice'), /Draf tersimpan/);

    const startsAt = Math.floor(Date.now() / 60000) * 60 + 30 * 60;    /* in half an hour */
    await provider.fill('#starts_at', wibInput(startsAt));
    await provider.fill('#capacity', '30');
    await provider.click('#session-add');
    await provider.waitForSelector('#pc-sessions li');
    assert.match(await text(provider, '#pc-sessions li'), /WIB/);
    assert.equal(await provider.getAttribute('#pc-sessions li [data-seats-left]', 'data-seats-left'), '30');
    await assertNoHorizontalScroll(provider, 'course with a session');

    await provider.click('#course-submit');
    await provider.waitForFunction(() => document.querySelector('#pcourse-status')?.textContent.includes('Menunggu'));
    const got = await call('GET', `/courses/${courseId}`);
    assert.equal(got.status, 404, 'a pending course is not public');
  });

  test('the admin rejects it with a reason; the provider sees it, edits and resubmits', async () => {
    await open(admin, '/account');
    await admin.waitForSelector('#link-admin-courses');
    await admin.click('#link-admin-courses');
    await admin.waitForSelector(`#review-${courseId}`);
    assert.equal(await text(admin, 'main h1'), 'Kurasi pelatihan');
    assert.equal(await admin.evaluate(() => document.activeElement && document.activeElement.tagName), 'H1',
      'the heading has focus once the page (a chunk of its own) arrives');
    const card = await text(admin, `#review-${courseId}`);
    for (const want of [TITLE, 'LPK Maju Bersama', 'Rp750.000', 'Webinar', '16 jam', 'media sosial', 'WIB'])
      assert.ok(card.includes(want), `the review shows ${want}: ${card}`);
    await assertNoHorizontalScroll(admin, 'curation');
    await admin.fill(`#reason-${courseId}`, 'no');
    await admin.click(`#reject-${courseId}`);
    assert.match(await errorAt(admin, `reason-${courseId}`), /5 karakter/);
    await admin.fill(`#reason-${courseId}`, REASON);
    await admin.click(`#reject-${courseId}`);
    await admin.waitForSelector('#cur-notice');
    assert.equal(await admin.locator(`#review-${courseId}`).count(), 0, 'gone from the pending list');
    assert.equal(await admin.locator('#cur-none').count(), 1);

    await open(provider, '/provider/courses');
    await provider.waitForSelector(`#pcourse-${courseId}[data-status="rejected"]`);
    assert.match(await text(provider, `#preason-${courseId}`), new RegExp(REASON.slice(0, 20)));
    await assertNoHorizontalScroll(provider, 'courses with a rejected one');
    await provider.click(`#pcourse-${courseId} h3 a`);
    await provider.waitForSelector('#pcourse-reason');
    assert.ok((await text(provider, '#pcourse-reason')).includes(REASON));
    await provider.fill('#description', 'Belajar memasarkan usaha kuliner di media sosial.\n\n' +
      'Sesi 1: foto produk. Sesi 2: iklan berbayar. Sesi 3: membalas ulasan pelanggan.');
    await provider.click('#course-save');
    await provider.waitForFunction(() => document.querySelector('#pcourse-notice')?.textContent.length > 0);
    await provider.click('#course-submit');
    await provider.waitForFunction(() => document.querySelector('#pcourse-status')?.textContent.includes('Menunggu'));
  });

  test('the admin approves it and it is found in the catalog', async () => {
    await open(admin, '/admin/courses');
    await admin.waitForSelector(`#approve-${courseId}`);
    assert.match(await text(admin, `#review-${courseId}`), /Sesi 2: iklan berbayar/);
    await admin.click(`#approve-${courseId}`);
    await admin.waitForSelector('#cur-notice');
    assert.match(await text(admin, '#cur-notice'), /disetujui/);

    await open(person, '/catalog');
    await person.waitForSelector('#results-count');
    await person.fill('#q', 'pemasaran kuliner');
    await person.click('#catalog-search');
    await person.waitForSelector(`#course-${courseId}`);
    assert.match(person.url(), /q=pemasaran/, 'the search is in the address');
    const item = await text(person, `#course-${courseId}`);
    for (const want of [TITLE, 'LPK Maju Bersama', 'Rp750.000', 'Webinar', '16 jam', 'Belum ada ulasan'])
      assert.ok(item.includes(want), `the result shows ${want}: ${item}`);
    await assertNoHorizontalScroll(person, 'catalog results');

    await person.fill('#q', 'kuliner');
    await person.click('.filters summary');
    await person.selectOption('#mode', 'self_paced');
    await person.click('#catalog-search');
    await person.waitForFunction(() => document.querySelector('#results-count')?.textContent.includes('Tidak ada'));
    await person.selectOption('#mode', 'webinar');
    await person.fill('#max_price', '700.000');
    await person.click('#catalog-search');
    await person.waitForFunction(() => document.querySelector('#results-count')?.textContent.includes('Tidak ada'));
    await person.fill('#max_price', '1.000.000');
    await person.click('#catalog-search');
    await person.waitForSelector(`#course-${courseId}`);
    await person.selectOption('#province', '35');                /* a webinar has no regency */
    await person.waitForSelector('#regency option[value="35.09"]', { state: 'attached' });
    await person.selectOption('#regency', '35.09');
    await person.click('#catalog-search');
    await person.waitForFunction(() => document.querySelector('#results-count')?.textContent.includes('Tidak ada'));
    assert.match(person.url(), /regency=35\.09/);
    await person.selectOption('#province', '');
    await person.click('#catalog-search');
    await person.waitForSelector(`#course-${courseId}`);
    await person.fill('#min_price', '2.000.000');
    await person.click('#catalog-search');
    assert.match(await errorAt(person, 'max_price'), /terendah/, 'a range upside down: refused before asking');
    await assertNoHorizontalScroll(person, 'catalog filters');

    await person.click(`#course-${courseId} h3 a`);
    await person.waitForSelector('#how-to-buy');
    assert.equal(await text(person, '#course-title'), TITLE);
    assert.match(await text(person, '#sessions li'), /WIB/);
    assert.equal(await person.getAttribute('#sessions [data-seats-left]', 'data-seats-left'), '30');
    assert.equal((await text(person, '#buy-card-number')).replace(/ /g, ''), cardNumber);
    assert.equal(await text(person, '#buy-balance'), 'Rp3.500.000');
    assert.match(await text(person, '#how-to-buy'), /platform digital/);
    await assertNoHorizontalScroll(person, 'course page');
    await person.click('#lang-switch');
    await person.waitForFunction(() => document.querySelector('#buy-h')?.textContent === 'How to buy');
    assert.match(await text(person, '#course-hours'), /16 hours/);
    await assertNoHorizontalScroll(person, 'course page in English');
    await person.click('#lang-switch');
  });

  test('a platform buys it for the card with signed requests', async () => {
    const account = `acct-${process.pid}`;
    const otp = await signed('POST', `/partner/cards/${cardNumber}/otp`, { platform_account: account });
    assert.equal(otp.status, 202, JSON.stringify(otp.data));
    const code = outboxCode(['sms', 'phone'], PERSON.phone_norm);
    const body = { card_number: cardNumber, course_id: courseId, otp: code, platform_account: account };
    const r = await signed('POST', '/partner/purchases', body, { 'Idempotency-Key': `buy-${process.pid}-1` });
    assert.equal(r.status, 201, JSON.stringify(r.data));
    purchase = r.data;
    assert.equal(purchase.price, PRICE);
    assert.equal(purchase.balance_after, 3500000 - PRICE);
    assert.ok(typeof purchase.voucher_code === 'string' && purchase.voucher_code.length >= 8);
  });

  test('the participant sees the voucher in My trainings', async () => {
    await open(person, '/account');
    await person.waitForSelector('#link-trainings');
    await person.click('#link-trainings');
    const pid = purchase.purchase_id;
    await person.waitForSelector(`#training-${pid}`);
    assert.equal(await text(person, `#voucher-${pid}`), purchase.voucher_code);
    assert.equal(await text(person, `#status-${pid}`), 'Sudah dibeli');
    assert.equal(await text(person, '#tr-balance'), 'Rp2.750.000');
    assert.equal(await person.locator(`#no-codes-${pid}`).count(), 1, 'no redeem codes before the exchange');
    await assertNoHorizontalScroll(person, 'my trainings with a voucher');
  });

  test('the provider exchanges the voucher, is refused twice with the reasons, redeems, reports completion', async () => {
    await open(provider, '/provider/redeem');
    await provider.waitForSelector('#exchange-form');
    const staffTok = await provider.evaluate(() => localStorage.getItem('prakerja.token'));
    await provider.fill('#voucher_code', 'XXXX-XXXX-XXXX');
    await provider.click('#exchange-submit');
    await provider.waitForFunction(() => document.querySelector('#exchange-error')?.textContent.length > 0);
    const bad = await call('POST', '/partner/vouchers/exchange', { voucher_code: 'XXXX-XXXX-XXXX' }, staffTok);
    assert.equal(bad.status, 400);
    const badText = await text(provider, '#exchange-error');
    const said = (bad.data.errors && bad.data.errors[0] && bad.data.errors[0].message) || bad.data.title;
    assert.ok(badText.includes(said), `a malformed voucher: the server's message is shown: ${badText}`);

    await provider.fill('#voucher_code', purchase.voucher_code.toLowerCase());
    await provider.click('#exchange-submit');
    await provider.waitForSelector('#exchange-codes li');
    assert.equal(await text(provider, '#exchange-purchase'), purchase.purchase_id);
    assert.match(await text(provider, '#exchange-codes li'), /Berlaku .* WIB sampai .* WIB/);
    const redeemCode = await provider.getAttribute('#exchange-codes li', 'data-code');
    await assertNoHorizontalScroll(provider, 'exchanged voucher');

    await provider.click('#exchange-codes li .use-code');
    assert.equal(await provider.inputValue('#redeem_code'), redeemCode);
    await provider.selectOption('#training_type', 'offline');
    await provider.click('#redeem-submit');
    await provider.waitForSelector('#redeem-result[data-ok="false"]');
    assert.match(await text(provider, '#redeem-result'), /redeem\.wrong_type/);
    await provider.selectOption('#training_type', 'webinar');
    await provider.click('#redeem-submit');
    await provider.waitForSelector('#redeem-result[data-ok="true"]');
    assert.match(await text(provider, '#redeem-result'), /WIB/);
    await provider.click('#redeem-submit');
    await provider.waitForSelector('#redeem-result[data-ok="false"]');
    const used = await text(provider, '#redeem-result');
    assert.match(used, /redeem\.already_used/);
    const direct = await call('POST', '/partner/redemptions', { redeem_code: redeemCode, training_type: 'webinar' },
      staffTok);
    assert.equal(direct.data.code, 'redeem.already_used');
    assert.ok(used.startsWith(direct.data.title), `the server's own message is shown: ${used}`);
    await assertNoHorizontalScroll(provider, 'redeem refusal');

    await provider.click('#exchange-complete');
    await provider.waitForSelector('#complete-form');
    assert.equal(await provider.inputValue('#purchase'), purchase.purchase_id);
    await provider.fill('#score', '101');
    await provider.fill('#certificate_no', 'SERT/LPK/2026/0001');
    await provider.click('#complete-submit');
    assert.ok((await errorAt(provider, 'score')).length > 0, 'a score above 100 is refused at the field');
    await provider.fill('#score', '88');
    await provider.click('#complete-submit');
    await provider.waitForSelector('#complete-done');
    await assertNoHorizontalScroll(provider, 'completion reported');
    await provider.click('#complete-submit');
    await provider.waitForFunction(() => document.querySelector('#complete-error')?.textContent.length > 0);
    assert.match(await text(provider, '#complete-error'), /completion\.already/);
  });

  test('the participant sees the certificate, rates the training and is told it earns the incentive', async () => {
    const pid = purchase.purchase_id;
    await open(person, '/trainings');
    await person.waitForSelector(`#cert-${pid}`);
    assert.equal(await text(person, `#cert-no-${pid}`), 'SERT/LPK/2026/0001');
    assert.equal(await text(person, `#cert-score-${pid}`), '88');
    assert.equal(await text(person, `#status-${pid}`), 'Selesai');
    assert.match(await text(person, `#codes-${pid}`), /Sudah dipakai/);
    assert.match(await text(person, `#codes-${pid} .window`), /Berlaku .* WIB sampai .* WIB/);
    assert.match(await text(person, `#incentive-hint-${pid}`), /insentif/);
    await assertNoHorizontalScroll(person, 'my trainings, completed');

    await person.fill(`#review-${pid}`, 'Materinya jelas dan langsung bisa dipraktikkan untuk usaha saya.');
    await person.click(`#rate-submit-${pid}`);
    assert.match(await errorAt(person, `stars-${pid}`), /bintang/, 'stars are required');
    await person.click(`label[for="stars-${pid}-4"]`);
    await person.click(`#rate-submit-${pid}`);
    await person.waitForSelector(`#rated-${pid}`);
    assert.match(await text(person, '#tr-notice'), /Terima kasih/);
    assert.match(await text(person, `#rated-${pid}`), /dipraktikkan/);
    await person.waitForSelector(`#incentive-${pid}`);
    assert.equal(await person.locator(`#rate-${pid}`).count(), 0, 'rated once');
    await assertNoHorizontalScroll(person, 'my trainings, rated');

    await person.click('#lang-switch');
    await person.waitForFunction(() => document.querySelector('main h1')?.textContent === 'My trainings');
    assert.equal(await text(person, `#status-${pid}`), 'Completed');
    assert.match(await text(person, `#incentive-${pid}`), /incentive is paid for this training/);
    await assertNoHorizontalScroll(person, 'my trainings in English');
    await person.click('#lang-switch');

    const mine = await call('GET', '/me/trainings', undefined, personTok);
    assert.equal(mine.data.items[0].rating.stars, 4);
    assert.equal(mine.data.items[0].incentive_eligible, true);
    await open(person, `/course?id=${courseId}`);
    await person.waitForSelector('#course-stars');
    assert.match(await text(person, '#course-stars'), /4,0 \(1 ulasan\)/);
  });

  test('the pages raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
