-- 0001_init: region reference data and participant accounts.
-- regions.level: 1 province, 2 regency, 3 district, 4 village;
-- regions.digits: the code without dots as a number ("35.09" -> 3509).
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  level INTEGER NOT NULL,
  parent_code TEXT,
  name TEXT NOT NULL,
  digits BIGINT NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_code, code);
CREATE INDEX regions_level ON regions(level, code);

CREATE TABLE accounts (
  id @ID@,
  public_id TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL DEFAULT 'participant',
  email TEXT UNIQUE,
  phone TEXT UNIQUE,
  password_hash TEXT,
  full_name TEXT NOT NULL,
  nik_enc TEXT,
  nik_bidx TEXT UNIQUE,
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
  created_at BIGINT NOT NULL
);
CREATE INDEX accounts_kk ON accounts(kk_bidx);
CREATE INDEX accounts_regency ON accounts(regency_code);
