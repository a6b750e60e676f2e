-- 0005_accounts_unique_indexes: the unique keys of accounts (public_id, email, phone,
-- nik_bidx) become named unique indexes instead of inline UNIQUE constraints, so a
-- bulk import can drop every index of accounts and build each again by one sort
-- (src/cli/bulk.c). Same rules as before: NULL emails, phones and NIKs may repeat.
-- PostgreSQL drops the constraints (the names it gave them). SQLite can neither drop
-- a constraint nor the index behind one, so there accounts is rebuilt by SQLite's
-- own procedure: the migration runner turns foreign keys off and checks them all
-- before commit (src/store/db.c), so the tables that reference accounts(id) keep
-- pointing at it once the new table takes the name. Ids are copied as they are.
-- @pg
ALTER TABLE accounts DROP CONSTRAINT accounts_public_id_key;
ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;
ALTER TABLE accounts DROP CONSTRAINT accounts_phone_key;
ALTER TABLE accounts DROP CONSTRAINT accounts_nik_bidx_key;
-- @end
-- @sqlite
CREATE TABLE accounts_new (
  id @ID@,
  public_id TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'participant',
  email TEXT,
  phone TEXT,
  password_hash TEXT,
  full_name TEXT NOT NULL,
  nik_enc TEXT,
  nik_bidx TEXT,
  kk_enc TEXT,
  kk_bidx TEXT,
  birth_date TEXT,
  sex TEXT,
  village_code TEXT REFERENCES regions(code),
  regency_code TEXT,
  education TEXT,
  occupation TEXT,
  email_verified_at BIGINT,
  phone_verified_at BIGINT,
  synthetic INTEGER NOT NULL DEFAULT 0,
  scope_code TEXT,
  created_at BIGINT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  last_failed_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO accounts_new (id, public_id, role, email, phone, password_hash, full_name, nik_enc,
  nik_bidx, kk_enc, kk_bidx, birth_date, sex, village_code, regency_code, education, occupation,
  email_verified_at, phone_verified_at, synthetic, scope_code, created_at, failed_logins,
  locked_until, last_failed_at)
SELECT id, public_id, role, email, phone, password_hash, full_name, nik_enc,
  nik_bidx, kk_enc, kk_bidx, birth_date, sex, village_code, regency_code, education, occupation,
  email_verified_at, phone_verified_at, synthetic, scope_code, created_at, failed_logins,
  locked_until, last_failed_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE INDEX accounts_kk ON accounts(kk_bidx);
CREATE INDEX accounts_regency ON accounts(regency_code);
-- @end
CREATE UNIQUE INDEX accounts_public_id ON accounts(public_id);
CREATE UNIQUE INDEX accounts_email ON accounts(email);
CREATE UNIQUE INDEX accounts_phone ON accounts(phone);
CREATE UNIQUE INDEX accounts_nik ON accounts(nik_bidx);
