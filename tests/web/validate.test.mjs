// Unit tests of the web app's client-side checks (web/src/validate.js), which must
// agree with the server's: the same NIK rules as src/core/nik.c (women have 40 added
// to the day, the century resolved against today, serial 0000 refused), the same
// phone normalisation, and the server's stable codes. Run: node --test tests/web/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNik, checkKk, normalizePhone, checkRegistration, checkPassword, checkEmail,
  checkCode, parseIsoDate } from '../../web/src/validate.js';

const TODAY = { y: 2026, m: 11, d: 28 };

const good = () => ({
  email: 'siti@example.id', password: 'rahasia-123', full_name: "Siti Nur'aini",
  nik: '3509154708950001', kk: '3509150101080003', birth_date: '1995-08-07', sex: 'F',
  phone: '0812-3456-7890', village_code: '35.09.15.2001', education: 'sma', occupation: 'unemployed',
});

test('a woman\'s NIK has 40 added to the day', () => {
  const n = parseNik('3509154708950001', TODAY);
  assert.deepEqual(n, { birth: { y: 1995, m: 8, d: 7 }, sex: 'F', district: '350915' });
  assert.equal(parseNik('3509150708950001', TODAY).sex, 'M');
});

test('the NIK century is 2000+YY unless that lies after today', () => {
  assert.equal(parseNik('3509150101100001', TODAY).birth.y, 2010);
  assert.equal(parseNik('3509150101300001', TODAY).birth.y, 1930);
  assert.equal(parseNik('3509152811260001', TODAY).birth.y, 2026);
  assert.equal(parseNik('3509152911260001', TODAY).birth.y, 1926);
});

test('each bad NIK gets the server\'s code', () => {
  assert.equal(parseNik('350915470895000', TODAY).code, 'nik.length');
  assert.equal(parseNik('35091547089500012', TODAY).code, 'nik.length');
  assert.equal(parseNik('35091547089500a1', TODAY).code, 'nik.not_digits');
  assert.equal(parseNik('３５０９１５４７０８９５０００１', TODAY).code, 'nik.length');
  assert.equal(parseNik('3509153208950001', TODAY).code, 'nik.bad_birth_date');
  assert.equal(parseNik('3509150013950001', TODAY).code, 'nik.bad_birth_date');
  assert.equal(parseNik('3509150008950001', TODAY).code, 'nik.bad_birth_date');
  assert.equal(parseNik('3509157208950001', TODAY).code, 'nik.bad_birth_date');
  assert.equal(parseNik('3509156902010001', TODAY).code, 'nik.bad_birth_date');
  assert.equal(parseNik('3509156902000001', TODAY).birth.d, 29);
  assert.equal(parseNik('3509154708950000', TODAY).code, 'nik.serial_zero');
  assert.equal(parseNik(undefined, TODAY).code, 'nik.length');
});

test('KK checks', () => {
  assert.equal(checkKk('3509150101080003'), null);
  assert.equal(checkKk('350915010108000'), 'kk.length');
  assert.equal(checkKk('35091501010800x3'), 'kk.not_digits');
  assert.equal(checkKk('3509150101080000'), 'kk.serial_zero');
});

test('phones are normalised to +62', () => {
  assert.equal(normalizePhone('0812-3456-7890'), '+6281234567890');
  assert.equal(normalizePhone('62812 3456 7890'), '+6281234567890');
  assert.equal(normalizePhone('+62 812-3456-7890'), '+6281234567890');
  assert.equal(normalizePhone('021 555 1234'), null);
  assert.equal(normalizePhone('12345'), null);
  assert.equal(normalizePhone('08123'), null);
  assert.equal(normalizePhone('0812345678901234'), null);
  assert.equal(normalizePhone('0'.repeat(100)), null);
});

test('a good registration passes', () => {
  assert.deepEqual(checkRegistration(good(), TODAY), []);
});

test('birth date and sex must agree with the NIK', () => {
  const v = { ...good(), birth_date: '1995-08-08', sex: 'M' };
  assert.deepEqual(checkRegistration(v, TODAY), [
    { field: 'birth_date', code: 'birth_date.nik_mismatch' },
    { field: 'sex', code: 'sex.nik_mismatch' },
  ]);
});

test('every empty field is required', () => {
  const empty = Object.fromEntries(Object.keys(good()).map((k) => [k, '']));
  const errs = checkRegistration(empty, TODAY);
  assert.deepEqual(errs.map((e) => e.field).sort(), Object.keys(good()).sort());
  assert.ok(errs.every((e) => e.code === 'field.required'));
});

test('field codes match the server\'s', () => {
  const v = { ...good(), email: 'not-an-email', password: 'short', nik: '123', kk: '123',
    birth_date: '2001-02-29', sex: 'X', phone: '555', village_code: '35.09', education: 'phd',
    occupation: 'astronaut', full_name: '!!!' };
  const got = Object.fromEntries(checkRegistration(v, TODAY).map((e) => [e.field, e.code]));
  assert.deepEqual(got, {
    email: 'email.invalid', password: 'password.too_short', full_name: 'full_name.invalid',
    nik: 'nik.length', kk: 'kk.length', birth_date: 'birth_date.invalid', sex: 'sex.invalid',
    phone: 'phone.invalid', village_code: 'village.unknown', education: 'education.invalid',
    occupation: 'occupation.invalid',
  });
});

test('names keep apostrophes, hyphens and any script', () => {
  for (const n of ["Nur'aini", 'Jean-Luc', 'Ṣalāḥ', '李小龙'])
    assert.deepEqual(checkRegistration({ ...good(), full_name: n }, TODAY), []);
  assert.equal(checkRegistration({ ...good(), full_name: 'a'.repeat(201) }, TODAY)[0].code, 'field.too_long');
});

test('small checks', () => {
  assert.equal(checkPassword('1234567'), 'password.too_short');
  assert.equal(checkPassword('12345678'), null);
  assert.equal(checkPassword('x'.repeat(1025)), 'password.too_long');
  assert.equal(checkEmail('A@B.ID'), null);
  assert.equal(checkEmail('a@b'), 'email.invalid');
  assert.equal(checkCode(' 123456 '), null);
  assert.equal(checkCode('12345'), 'verify.bad_format');
  assert.equal(parseIsoDate('2024-02-29').d, 29);
  assert.equal(parseIsoDate('2023-02-29'), null);
  assert.equal(checkRegistration({ ...good(), birth_date: '2026-11-29' }, TODAY)
    .find((e) => e.field === 'birth_date').code, 'birth_date.invalid');
});

test('email, phone, password and name follow the server\'s exact rules', () => {
  assert.equal(checkEmail('siti.nur@mail.example.id'), null);
  assert.equal(checkEmail('sítí@example.id'), 'email.invalid');
  assert.equal(checkEmail('a..b@example.id'), 'email.invalid');
  assert.equal(checkEmail('a@example.c0'), 'email.invalid');
  assert.equal(checkEmail('a@-x.id'), 'email.invalid');
  assert.equal(checkEmail('a@b@c.id'), 'email.invalid');
  assert.equal(checkEmail('x'.repeat(65) + '@example.id'), 'email.invalid');
  assert.equal(normalizePhone('(0812) 3456 7890'), null);
  assert.equal(normalizePhone('0812  3456'), null);
  assert.equal(normalizePhone('+1 812 3456 7890'), null);
  assert.equal(normalizePhone('0812.3456.7890'), '+6281234567890');
  assert.equal(checkPassword('é'.repeat(64)), null);
  assert.equal(checkPassword('é'.repeat(65)), 'password.too_long');
  assert.equal(checkRegistration({ ...good(), full_name: 'Siti\u202eNur' }, TODAY)[0].code, 'full_name.invalid');
  assert.equal(checkRegistration({ ...good(), full_name: 'é'.repeat(76) }, TODAY)[0].code, 'field.too_long');
  assert.deepEqual(checkRegistration({ ...good(), birth_date: '1895-08-07' }, TODAY),
    [{ field: 'birth_date', code: 'birth_date.nik_mismatch' }]);
});
