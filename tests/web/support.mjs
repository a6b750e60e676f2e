// support: what the browser tests share (not a test file itself: node --test runs
// only *.test.mjs): starting and stopping a real `prakerja serve`, reading a
// verification code from the outbox, calling the JSON API, and checking that a
// page does not scroll sideways at 360 px.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Spawns `bin args...` in cwd and resolves {proc, port} once it logs
 * http.listening; its stderr lines go into log (kept to 2000). Rejects when it
 * exits first, or kills it and rejects when it says nothing for 30 s.
 */
export function spawnServer(bin, args, cwd, log) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error('no http.listening log line in 30 s:\n' + log.join('\n')));
    }, 30000);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? sig}) before listening:\n${log.join('\n')}`));
    });
    createInterface({ input: proc.stderr }).on('line', (line) => {
      if (log.length < 2000) log.push(line);
      let j;
      try { j = JSON.parse(line); } catch (_) { return; }
      if (j && j.event === 'http.listening') {
        const port = Number(j.port);
        if (Number.isInteger(port) && port > 0 && port < 65536) {
          clearTimeout(timer);
          resolve({ proc, port });
        }
      }
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when proc has exited. */
export async function stopServer(proc) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(t);
}

/** The newest 6-digit code in `prakerja outbox --json` output for recipient on one of channels. */
export function outboxCodeIn(out, channels, recipient) {
  const rows = out.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
  const mine = rows.filter((r) => channels.includes(r.channel) && r.recipient === recipient);
  assert.ok(mine.length > 0, `no ${channels} message to ${recipient} in the outbox:\n${out}`);
  const last = mine.reduce((a, b) => (Number(b.id) > Number(a.id) ? b : a));
  const m = /\b([0-9]{6})\b/.exec(String(last.body));
  assert.ok(m, `no 6-digit code in: ${last.body}`);
  return m[1];
}

/** A JSON API call: {status, data} (data parsed, or the text when it is not JSON). */
export async function apiCall(base, method, pathname, body, tok) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (tok) headers.Authorization = 'Bearer ' + tok;
  const res = await fetch(base + '/api/v1' + pathname, { method, headers,
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch (_) { data = text; }
  return { status: res.status, data };
}

/** Fails when page, 360 px wide, scrolls sideways; names the elements too wide. */
export async function assertNoHorizontalScroll(page, what) {
  const r = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const b = el.getBoundingClientRect();
      if (b.width > 0 && b.right > vw + 1 && getComputedStyle(el).position !== 'fixed')
        wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} right=${Math.round(b.right)}`);
    }
    window.scrollTo(500, window.scrollY);
    const sx = window.scrollX;
    window.scrollTo(0, window.scrollY);
    return { vw, sw: document.documentElement.scrollWidth, sx, wide: wide.slice(0, 10) };
  });
  assert.equal(r.vw, 360, 'viewport width');
  assert.ok(r.sw <= r.vw && r.sx === 0,
    `${what}: page scrolls sideways (scrollWidth ${r.sw} > ${r.vw}); too wide: ${r.wide.join(', ')}`);
}
