// Client-side checks of the registration, login and verification forms. They mirror
// the server's (src/core/nik.c and the accounts API in docs/api.md) so a person sees
// a mistake before sending, and they return the server's own stable error codes so
// one message table (i18n.js) serves both. Where the client cannot know (whether a
// region code exists, whether an email is taken) it lets the server decide. Pure
// functions only: node's test runner imports this file directly.

export const EDUCATION = ['none', 'sd', 'smp', 'sma', 'smk', 'diploma', 's1', 's2', 's3'];
export const OCCUPATION = ['unemployed', 'laid_off', 'employee', 'entrepreneur', 'farmer_fisher',
  'informal_worker', 'student', 'homemaker', 'civil_servant', 'military_police',
  'village_official', 'legislator', 'soe_director', 'other'];

export const LIMITS = { email: 254, passwordMin: 8, passwordMax: 128, fullName: 150 }; /* max in bytes */

const DIGITS16 = /^[0-9]{16}$/;
const utf8 = new TextEncoder();

/* Length in UTF-8 bytes, as the server counts it; capped so huge input costs little. */
function byteLength(s) {
  return s.length > 1024 ? 3 * s.length : utf8.encode(s).length;
}
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/* C0/C1 controls, DEL, line/paragraph separators, bidi overrides and isolates, noncharacters. */
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]/u;

function isLeap(y) {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y, m) {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function validDate(y, m, d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function cmpDate(a, b) {
  return (a.y - b.y) || (a.m - b.m) || (a.d - b.d);
}

/** Today as {y, m, d} in UTC. */
export function todayUTC(now = new Date()) {
  return { y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: now.getUTCDate() };
}

/** Parses "YYYY-MM-DD" into {y, m, d}, or null when it is not a real calendar date. */
export function parseIsoDate(s) {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(typeof s === 'string' ? s : '');
  if (!m) return null;
  const d = { y: +m[1], m: +m[2], d: +m[3] };
  return validDate(d.y, d.m, d.d) ? d : null;
}

/**
 * Parses a NIK as the server does, without the region lookup. Returns {code} with the
 * first failing stable code, or {birth: {y, m, d}, sex: 'F'|'M', district: '350915'}.
 * The century is 2000+YY unless that is after today, else 1900+YY.
 */
export function parseNik(nik, today = todayUTC()) {
  if (typeof nik !== 'string' || byteLength(nik) !== 16) return { code: 'nik.length' };
  if (!DIGITS16.test(nik)) return { code: 'nik.not_digits' };
  let dd = +nik.slice(6, 8);
  const mm = +nik.slice(8, 10);
  const yy = +nik.slice(10, 12);
  let sex = 'M';
  if (dd > 40) {
    dd -= 40;
    sex = 'F';
  }
  const birth = { y: 2000 + yy, m: mm, d: dd };
  if (cmpDate(birth, today) > 0) birth.y = 1900 + yy;
  if (dd < 1 || dd > 31 || !validDate(birth.y, birth.m, birth.d) || cmpDate(birth, today) > 0)
    return { code: 'nik.bad_birth_date' };
  if (nik.slice(12) === '0000') return { code: 'nik.serial_zero' };
  return { birth, sex, district: nik.slice(0, 6) };
}

/** Returns null when kk passes the checks the client can make, else its stable code. */
export function checkKk(kk) {
  if (typeof kk !== 'string' || byteLength(kk) !== 16) return 'kk.length';
  if (!DIGITS16.test(kk)) return 'kk.not_digits';
  if (kk.slice(12) === '0000') return 'kk.serial_zero';
  return null;
}

/**
 * Normalises an Indonesian mobile number the way the server stores it: "0812-3456-7890",
 * "62812..." and "+62 812 ..." all give "+62812...". Returns null when it is not one.
 */
export function normalizePhone(raw) {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 32) return null;
  if (!/^\+?[0-9]+([ .-][0-9]+)*$/.test(raw)) return null;
  let s = raw.replace(/[ .-]/g, '');
  if (s.startsWith('+')) {
    if (!s.startsWith('+62')) return null;
    s = s.slice(3);
  } else if (s.startsWith('62')) s = s.slice(2);
  else if (s.startsWith('0')) s = s.slice(1);
  else return null;
  return /^8[0-9]{7,12}$/.test(s) ? '+62' + s : null;
}

/** The server's pragmatic ASCII local@domain.tld check (src/core/account.c). */
export function emailValid(email) {
  if (typeof email !== 'string' || email.length > LIMITS.email) return false;
  const at = email.indexOf('@');
  if (at < 1 || at > 64 || at !== email.lastIndexOf('@')) return false;
  if (!EMAIL_LOCAL.test(email.slice(0, at))) return false;
  const labels = email.slice(at + 1).split('.');
  return labels.length >= 2 && labels.every((l) => EMAIL_LABEL.test(l)) &&
    /^[A-Za-z]{2,}$/.test(labels[labels.length - 1]);
}

export function checkEmail(email) {
  if (typeof email !== 'string' || email.trim() === '') return 'field.required';
  return emailValid(email.trim()) ? null : 'email.invalid';
}

export function checkPassword(pw) {
  if (typeof pw !== 'string' || pw === '') return 'field.required';
  if (byteLength(pw) > LIMITS.passwordMax) return 'password.too_long';
  if ([...pw].length < LIMITS.passwordMin) return 'password.too_short';
  return null;
}

/** A 6-digit verification code, spaces allowed around it. */
export function checkCode(code) {
  if (typeof code !== 'string' || code.trim() === '') return 'field.required';
  return /^[0-9]{6}$/.test(code.trim()) ? null : 'verify.bad_format';
}

/**
 * Checks a whole registration form. v holds the form's strings under the API's field
 * names (email, password, full_name, nik, kk, birth_date, sex, phone, village_code,
 * education, occupation). Returns a list of {field, code}, empty when all pass.
 */
export function checkRegistration(v, today = todayUTC()) {
  const errs = [];
  const add = (field, code) => errs.push({ field, code });
  const req = (field) => {
    if (typeof v[field] !== 'string' || v[field].trim() === '') {
      add(field, 'field.required');
      return false;
    }
    return true;
  };

  const e = checkEmail(v.email);
  if (e) add('email', e);
  const p = checkPassword(v.password);
  if (p) add('password', p);

  if (req('full_name')) {
    if (byteLength(v.full_name) > LIMITS.fullName) add('full_name', 'field.too_long');
    else if (NAME_FORBIDDEN.test(v.full_name) || !/\p{L}/u.test(v.full_name))
      add('full_name', 'full_name.invalid');
  }

  let nik = null;
  if (req('nik')) {
    nik = parseNik(v.nik.trim(), today);
    if (nik.code) {
      add('nik', nik.code);
      nik = null;
    }
  }
  if (req('kk')) {
    const k = checkKk(v.kk.trim());
    if (k) add('kk', k);
  }

  let birth = null;
  if (req('birth_date')) {
    birth = parseIsoDate(v.birth_date);
    if (!birth || cmpDate(birth, today) > 0) {
      add('birth_date', 'birth_date.invalid');
      birth = null;
    }
  }
  if (req('sex') && v.sex !== 'F' && v.sex !== 'M') add('sex', 'sex.invalid');

  if (nik && birth && cmpDate(nik.birth, birth) !== 0) add('birth_date', 'birth_date.nik_mismatch');
  if (nik && (v.sex === 'F' || v.sex === 'M') && v.sex !== nik.sex) add('sex', 'sex.nik_mismatch');

  if (req('phone') && !normalizePhone(v.phone)) add('phone', 'phone.invalid');
  if (req('village_code') && !/^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$/.test(v.village_code))
    add('village_code', 'village.unknown');
  if (req('education') && !EDUCATION.includes(v.education)) add('education', 'education.invalid');
  if (req('occupation') && !OCCUPATION.includes(v.occupation)) add('occupation', 'occupation.invalid');
  return errs;
}
