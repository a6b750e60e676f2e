-- 0002_auth: login throttling, sessions, verification codes, the outbox and the audit log.
ALTER TABLE accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN last_failed_at BIGINT NOT NULL DEFAULT 0;

-- token_hash: hash of the bearer token; the token itself is never stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE verification_codes (
  id @ID@,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  channel TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX verification_codes_account ON verification_codes(account_id, channel);

CREATE TABLE outbox (
  id @ID@,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX outbox_sent ON outbox(sent_at);

-- Entries are chained: hash covers prev_hash and this entry, so tampering shows.
CREATE TABLE audit_log (
  id @ID@,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
