-- 0006_marketplace: partners and their API keys, the course catalog with
-- sessions and curation, the double-entry ledger, purchases with vouchers and
-- redeem codes, completion, certificates and ratings (issue 5).
-- Amounts are integer rupiah; times Unix seconds UTC; booleans 0/1.

-- Partners: digital platforms, training providers and payment partners.
-- kind: platform | provider | payment. status: active | suspended.
-- legal_name and tax_id (NPWP, 15 or 16 digits) are required of providers.
CREATE TABLE partners (
  id @ID@,
  public_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  legal_name TEXT,
  tax_id TEXT,
  contact_email TEXT,
  contact_phone TEXT,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX partners_kind ON partners(kind, status);

-- Staff accounts of a partner (role provider/platform/payment_partner) log in
-- to the web app as people; machines use partner_keys.
ALTER TABLE accounts ADD COLUMN partner_id BIGINT REFERENCES partners(id);

-- API keys: key_id is public ("pk_..."); the HMAC secret is stored encrypted
-- with the PII key (secretbox, base64) because the server must recompute the
-- signature. revoked_at set = refused.
CREATE TABLE partner_keys (
  key_id TEXT PRIMARY KEY,
  partner_id BIGINT NOT NULL REFERENCES partners(id),
  secret_enc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- Nonces seen inside the signature window: a nonce is accepted once per key.
-- Rows older than the window are deleted as new ones arrive.
CREATE TABLE partner_nonces (
  key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  seen_at BIGINT NOT NULL,
  PRIMARY KEY (key_id, nonce)
);
CREATE INDEX partner_nonces_seen ON partner_nonces(seen_at);

-- Courses. level: basic | high_skill. purpose: reskilling | upskilling |
-- new_skill. mode: self_paced | webinar | offline | hybrid (offline and hybrid
-- carry a regency and an address). status: draft | pending | approved |
-- rejected | withdrawn; only approved courses are on sale; reject_reason is set
-- with rejected. rating_sum/rating_count: the published stars.
CREATE TABLE courses (
  id @ID@,
  public_id TEXT NOT NULL UNIQUE,
  provider_id BIGINT NOT NULL REFERENCES partners(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  level TEXT NOT NULL,
  purpose TEXT NOT NULL,
  mode TEXT NOT NULL,
  hours INTEGER NOT NULL,
  price BIGINT NOT NULL,
  regency_code TEXT,
  address TEXT,
  status TEXT NOT NULL,
  reject_reason TEXT,
  reviewed_by BIGINT REFERENCES accounts(id),
  reviewed_at BIGINT,
  rating_sum BIGINT NOT NULL DEFAULT 0,
  rating_count BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX courses_provider ON courses(provider_id, status);
CREATE INDEX courses_status_price ON courses(status, price, id);
CREATE INDEX courses_status_category ON courses(status, category, price, id);
CREATE INDEX courses_status_mode ON courses(status, mode, price, id);
CREATE INDEX courses_status_regency ON courses(status, regency_code, price, id);

-- The catalog's text index: one row per distinct normalised word of a
-- course's title and description (core/text.h folding), searched by prefix.
CREATE TABLE course_terms (
  term TEXT NOT NULL,
  course_id BIGINT NOT NULL REFERENCES courses(id),
  PRIMARY KEY (term, course_id)
);
CREATE INDEX course_terms_course ON course_terms(course_id);

-- Sessions: for live modes a start time and a capacity; a self-paced course has
-- one session with starts_at NULL. seats_taken counts paid, not cancelled purchases.
CREATE TABLE course_sessions (
  id @ID@,
  public_id TEXT NOT NULL UNIQUE,
  course_id BIGINT NOT NULL REFERENCES courses(id),
  starts_at BIGINT,
  capacity INTEGER NOT NULL,
  seats_taken INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX course_sessions_course ON course_sessions(course_id, starts_at);

-- The rule on starting a second training before finishing the first, as data:
-- 1 = a beneficiary may hold several unfinished trainings, 0 = must finish first.
ALTER TABLE schemes ADD COLUMN concurrent_trainings INTEGER NOT NULL DEFAULT 0;
UPDATE schemes SET concurrent_trainings = 1 WHERE code = 'semi-bansos-2020';

-- The double-entry ledger (core/ledger.h). Accounts hold value; every entry
-- moves value between accounts and its lines sum to zero. code: "state:funding"
-- (the only account allowed below zero: where the program's money comes from),
-- "program:budget", "card:<card_number>", "platform:<partner public id>",
-- "incentive:payable", "incentive:paid", "state:returned".
CREATE TABLE ledger_accounts (
  id @ID@,
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  balance BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
-- kind: fund | credit | purchase | refund | revocation | expiry | incentive ...;
-- ref: what it pays for ("purchase:<public id>", "beneficiary:<card>", ...).
CREATE TABLE ledger_entries (
  id @ID@,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX ledger_entries_ref ON ledger_entries(ref);
CREATE TABLE ledger_lines (
  entry_id BIGINT NOT NULL REFERENCES ledger_entries(id),
  account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  amount BIGINT NOT NULL,
  PRIMARY KEY (entry_id, account_id)
);
CREATE INDEX ledger_lines_account ON ledger_lines(account_id);

-- One-time purchase codes a platform asks for; sent to the participant's phone
-- through the outbox; stored hashed.
CREATE TABLE purchase_otps (
  id @ID@,
  beneficiary_id BIGINT NOT NULL REFERENCES beneficiaries(id),
  platform_id BIGINT NOT NULL REFERENCES partners(id),
  code_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  used_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX purchase_otps_card ON purchase_otps(beneficiary_id, platform_id);

-- One platform account bound to one card: a card has at most one account on a
-- platform and a platform account holds at most one card.
CREATE TABLE platform_bindings (
  platform_id BIGINT NOT NULL REFERENCES partners(id),
  platform_account TEXT NOT NULL,
  beneficiary_id BIGINT NOT NULL REFERENCES beneficiaries(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (platform_id, platform_account),
  UNIQUE (platform_id, beneficiary_id)
);

-- Purchases. status: paid | cancelled | completed. voucher_code: unguessable,
-- with check characters (core/voucher.h). (platform_id, idempotency_key) makes
-- a retried request return the first answer; request_hash detects a key reused
-- for a different request.
CREATE TABLE purchases (
  id @ID@,
  public_id TEXT NOT NULL UNIQUE,
  beneficiary_id BIGINT NOT NULL REFERENCES beneficiaries(id),
  platform_id BIGINT NOT NULL REFERENCES partners(id),
  course_id BIGINT NOT NULL REFERENCES courses(id),
  session_id BIGINT NOT NULL REFERENCES course_sessions(id),
  price BIGINT NOT NULL,
  voucher_code TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  cancelled_at BIGINT,
  UNIQUE (platform_id, idempotency_key)
);
CREATE INDEX purchases_beneficiary ON purchases(beneficiary_id, status);
CREATE INDEX purchases_course ON purchases(course_id);

-- Redeem codes: one per purchase and session, got by exchanging the voucher at
-- the provider. status: issued | used | cancelled.
CREATE TABLE redeem_codes (
  id @ID@,
  code TEXT NOT NULL UNIQUE,
  purchase_id BIGINT NOT NULL REFERENCES purchases(id),
  session_id BIGINT NOT NULL REFERENCES course_sessions(id),
  status TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  used_at BIGINT,
  UNIQUE (purchase_id, session_id)
);

-- Completion reported by the provider (one per purchase) and the participant's
-- rating (one per purchase, only after completion).
CREATE TABLE completions (
  purchase_id BIGINT PRIMARY KEY REFERENCES purchases(id),
  score INTEGER NOT NULL,
  certificate_no TEXT NOT NULL,
  completed_on TEXT NOT NULL,
  reported_at BIGINT NOT NULL
);
CREATE TABLE ratings (
  purchase_id BIGINT PRIMARY KEY REFERENCES purchases(id),
  stars INTEGER NOT NULL,
  review TEXT NOT NULL,
  rated_at BIGINT NOT NULL
);

-- The first finished and rated training: what the incentive waits for.
ALTER TABLE beneficiaries ADD COLUMN incentive_purchase_id BIGINT REFERENCES purchases(id);
