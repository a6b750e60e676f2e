// The browser test of the participant journey, on the real server and a real browser.
//
// It makes a fresh database with `$PRAKERJA_BIN db init`, starts `$PRAKERJA_BIN serve`
// on a free port with the built web app (web/dist; built first if missing), reads the
// port from the "http.listening" JSON log line, and drives Debian's chromium through
// playwright-core at 360x740: register through the form, read both codes from
// `$PRAKERJA_BIN outbox --json`, verify, log in, see the account; then a client-side
// mismatch caught before sending, a NIK only the server can reject shown at the NIK
// field with the server's own message, a 409 at the email field, and the language
// switch. Every page is checked for horizontal scrolling. PRAKERJA_BIN defaults to
// build/prakerja. The engine is SQLite (a file in a temporary folder) unless
// PRAKERJA_TEST_PG holds a PostgreSQL base URL (scripts/pg-cluster prints one): then
// a database w_<pid> is made there with psql and dropped at the end.
// Run: node --test tests/web/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { assertNoHorizontalScroll as noSideScroll, outboxCodeIn, spawnServer, stopServer as stopProcess } from './support.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.PRAKERJA_BIN
  ? path.resolve(process.cwd(), process.env.PRAKERJA_BIN)
  : path.join(ROOT, 'build', 'prakerja');
const DIST = path.join(ROOT, 'web', 'dist');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

const NAME = "Siti Nur'aini Rahmawati";
const PASSWORD = 'kata-sandi-rahasia-1';
const EMAIL = `siti.${process.pid}@example.id`;
const PHONE = '0812 3456 7890';
const PHONE_NORM = '+6281234567890';
const NIK = '3509154708950001';          /* 35.09.15, 07-08-1995, female */
const KK = '3509150101080003';
const NIK_MASKED = '3509********0001';
const BAD_NIK = '9901014708950002';      /* passes every client check; province 99 is unknown */

const PG = process.env.PRAKERJA_TEST_PG || '';
let tmp;
let db;
let key;
let pgName;
let server;
let serverLog = [];
let base;
let browser;
let page;
const pageErrors = [];

function run(args, timeout = 180000) {
  return execFileSync(BIN, args, { cwd: ROOT, encoding: 'utf8', timeout, maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs one SQL statement on the PostgreSQL server's maintenance database. */
function psql(sql) {
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-c', sql, `${PG}/postgres`],
    { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function startServer() {
  const s = await spawnServer(BIN, ['serve', '--db', db, '--key', key, '--port', '0', '--static', DIST], ROOT, serverLog);
  server = s.proc;
  return s.port;
}

const stopServer = () => stopProcess(server);

/** The newest 6-digit code the outbox holds for recipient on one of channels. */
function outboxCode(channels, recipient) {
  return outboxCodeIn(run(['outbox', '--db', db, '--json']), channels, recipient);
}

const assertNoHorizontalScroll = (what) => noSideScroll(page, what);

async function registerForm(v) {
  await page.goto('about:blank');
  await page.goto(base + '/#/register');
  await page.fill('#email', v.email);
  await page.fill('#password', v.password);
  await page.fill('#phone', v.phone);
  await page.fill('#full_name', v.full_name);
  await page.fill('#nik', v.nik);
  await page.fill('#kk', v.kk);
  await page.fill('#birth_date', v.birth_date);
  await page.check('#sex-' + v.sex);
  await page.waitForSelector('#province option[value="35"]', { state: 'attached' });
  await page.selectOption('#province', '35');
  await page.waitForSelector('#regency option[value="35.09"]', { state: 'attached' });
  await page.selectOption('#regency', '35.09');
  await page.waitForSelector('#district option[value="35.09.15"]', { state: 'attached' });
  await page.selectOption('#district', '35.09.15');
  await page.waitForSelector('#village_code option[value="35.09.15.2001"]', { state: 'attached' });
  await page.selectOption('#village_code', '35.09.15.2001');
  await page.selectOption('#education', 'sma');
  await page.selectOption('#occupation', 'unemployed');
}

async function errorAt(field) {
  const loc = page.locator(`[data-error-for="${field}"]`);
  await page.waitForFunction((f) => {
    const el = document.querySelector(`[data-error-for="${f}"]`);
    return el && el.textContent.trim().length > 0;
  }, field);
  return (await loc.textContent()).trim();
}

async function apiPost(pathname, body, lang) {
  const res = await fetch(base + '/api/v1' + pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
    body: JSON.stringify(body),
  });
  return { status: res.status, data: await res.json() };
}

before(async () => {
  assert.ok(fs.existsSync(BIN), `${BIN} does not exist: build it (ninja -C build) or set PRAKERJA_BIN`);
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} does not exist (apt-get install chromium)`);
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build',
      '--config', path.join(ROOT, 'web/vite.config.js')], { cwd: ROOT, stdio: 'inherit', timeout: 180000 });
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prakerja-web-'));
  db = path.join(tmp, 'db');
  key = path.join(tmp, 'db.key');
  if (PG) {
    pgName = `w_${process.pid}`;
    psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    psql(`CREATE DATABASE ${pgName}`);
    db = `${PG}/${pgName}`;
  }
  run(['db', 'init', '--db', db, '--key', key]);
  const port = await startServer();
  base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  await stopServer();
  if (pgName) psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('home page is in Bahasa Indonesia and fits 360 px', async () => {
  await page.goto(base + '/');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
  assert.equal((await page.textContent('main h1')).trim(), 'Kartu Prakerja');
  assert.match(await page.textContent('#cta-register'), /Daftar sekarang/);
  await assertNoHorizontalScroll('home');
});

test('a participant registers, verifies email and phone, logs in and sees the account', async () => {
  await registerForm({ email: EMAIL, password: PASSWORD, phone: PHONE, full_name: NAME, nik: NIK,
    kk: KK, birth_date: '1995-08-07', sex: 'F' });
  await assertNoHorizontalScroll('register');
  await page.click('#register-submit');
  await page.waitForURL(/#\/verify\?email=/);
  assert.equal(await page.inputValue('#email'), EMAIL, 'verify page has the email filled in');
  await assertNoHorizontalScroll('verify');

  await page.fill('#email_code', outboxCode(['email'], EMAIL));
  await page.click('#verify-email-submit');
  await page.waitForSelector('[data-status-for="email"]');
  await page.fill('#phone_code', outboxCode(['sms', 'phone'], PHONE_NORM));
  await page.click('#verify-phone-submit');
  await page.waitForSelector('[data-status-for="phone"]');
  await page.click('#verify-done a');

  await page.waitForURL(/#\/login/);
  assert.equal(await page.inputValue('#email'), EMAIL);
  await assertNoHorizontalScroll('login');
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForURL(/#\/account/);
  await page.waitForSelector('#me-name');
  assert.equal((await page.textContent('#me-name')).trim(), NAME);
  assert.equal((await page.textContent('#me-nik')).trim(), NIK_MASKED);
  assert.equal((await page.textContent('#me-email-verified')).trim(), 'terverifikasi');
  assert.equal((await page.textContent('#me-phone-verified')).trim(), 'terverifikasi');
  assert.match(await page.textContent('#me-region'), /Jember/i);
  await assertNoHorizontalScroll('account');

  await page.click('#logout');
  await page.waitForURL((u) => !u.hash.startsWith('#/account'));
  await page.goto(base + '/#/account');
  await page.waitForURL(/#\/login\?reason=auth/);
});

test('client checks catch a sex that disagrees with the NIK before anything is sent', async () => {
  const posts = [];
  const onReq = (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/accounts')) posts.push(r); };
  page.on('request', onReq);
  await registerForm({ email: 'budi@example.id', password: PASSWORD, phone: '081299990000',
    full_name: 'Budi', nik: NIK, kk: KK, birth_date: '1995-08-07', sex: 'M' });
  await page.click('#register-submit');
  assert.equal(await errorAt('sex'), 'Jenis kelamin tidak sesuai dengan NIK.');
  assert.equal(await page.getAttribute('#sex-M', 'aria-invalid'), 'true');
  page.off('request', onReq);
  assert.equal(posts.length, 0, 'nothing was sent to the server');
});

test("a NIK only the server can reject shows the server's message at the NIK field", async () => {
  const body = { email: 'dewi@example.id', password: PASSWORD, phone: '081277778888', full_name: 'Dewi',
    nik: BAD_NIK, kk: KK, birth_date: '1995-08-07', sex: 'F', village_code: '35.09.15.2001',
    education: 'sma', occupation: 'unemployed' };
  const direct = await apiPost('/accounts', body, 'id');
  assert.equal(direct.status, 400);
  const serverErr = (direct.data.errors || []).find((e) => e.field === 'nik');
  assert.ok(serverErr && serverErr.message, `server names the nik field: ${JSON.stringify(direct.data)}`);

  await registerForm(body);
  await page.click('#register-submit');
  assert.equal(await errorAt('nik'), serverErr.message);
  assert.equal(await page.getAttribute('#nik', 'aria-invalid'), 'true');
  assert.match(page.url(), /#\/register/);
  await assertNoHorizontalScroll('register with errors');
});

test('an email already registered is shown at the email field (409)', async () => {
  await registerForm({ email: EMAIL, password: PASSWORD, phone: '081255556666', full_name: 'Siti Lain',
    nik: '3509150101900002', kk: KK, birth_date: '1990-01-01', sex: 'M' });
  await page.click('#register-submit');
  assert.ok((await errorAt('email')).length > 0);
  assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('[data-error-for="nik"]'), '');
});

test('the language switch turns the page to English, is remembered, and is sent to the API', async () => {
  await page.goto(base + '/#/register');
  assert.equal((await page.textContent('main h1')).trim(), 'Daftar akun');
  await page.click('#lang-switch');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal((await page.textContent('main h1')).trim(), 'Create an account');
  assert.equal((await page.textContent('label[for="birth_date"]')).trim(), 'Date of birth');
  await page.reload();
  await page.waitForSelector('main h1');
  assert.equal((await page.textContent('main h1')).trim(), 'Create an account');

  const req = page.waitForRequest((r) => r.url().includes('/api/v1/regions'));
  await page.goto(base + '/#/');
  await page.goto(base + '/#/register');
  assert.equal((await req).headers()['accept-language'], 'en');

  const body = { email: 'dewi@example.id', password: PASSWORD, phone: '081277778888', full_name: 'Dewi',
    nik: BAD_NIK, kk: KK, birth_date: '1995-08-07', sex: 'F', village_code: '35.09.15.2001',
    education: 'sma', occupation: 'unemployed' };
  const direct = await apiPost('/accounts', body, 'en');
  const serverErr = (direct.data.errors || []).find((e) => e.field === 'nik');
  await registerForm(body);
  await page.click('#register-submit');
  assert.equal(await errorAt('nik'), serverErr.message);
  await page.fill('#nik', '12345');
  await page.click('#register-submit');
  assert.equal(await errorAt('nik'), 'The NIK must be 16 digits.');
  await assertNoHorizontalScroll('register in English');
});

test('the page raised no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
