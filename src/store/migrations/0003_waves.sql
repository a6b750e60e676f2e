-- 0003_waves: schemes, the basic test, exclusion lists, waves with their quotas,
-- applications with their eligibility results, and beneficiaries (issue 4).
-- Amounts are integer rupiah; times Unix seconds UTC; booleans 0/1.

-- Every amount and rule of a scheme is a row, never a constant in C.
-- excluded_occupations: comma-separated occupation codes (docs/api.md) that
-- make a person ineligible. priority_tiers: groups of occupation codes separated
-- by "|", each a comma list; an applicant's tier is the index of the first group
-- holding their occupation, else the number of groups ("laid_off|unemployed":
-- laid-off 0, unemployed 1, everyone else 2). exclude_aid: 1 when recipients of
-- other aid (NIKs on an exclusion list marked aid) are ineligible.
-- incentive_interval_days: days between incentive payments (0 = one payment).
-- test_pass_mark: percent of correct answers needed to pass the basic test.
CREATE TABLE schemes (
  id @ID@,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  training_balance BIGINT NOT NULL,
  incentive_amount BIGINT NOT NULL,
  incentive_count INTEGER NOT NULL,
  incentive_interval_days INTEGER NOT NULL,
  survey_amount BIGINT NOT NULL,
  survey_count INTEGER NOT NULL,
  purchase_deadline_days INTEGER NOT NULL,
  age_min INTEGER NOT NULL,
  age_max INTEGER NOT NULL,
  exclude_aid INTEGER NOT NULL,
  max_per_kk INTEGER NOT NULL,
  min_course_hours INTEGER NOT NULL,
  excluded_occupations TEXT NOT NULL,
  exclude_students INTEGER NOT NULL,
  priority_tiers TEXT NOT NULL,
  test_questions INTEGER NOT NULL,
  test_minutes INTEGER NOT NULL,
  test_pass_mark INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);

INSERT INTO schemes (code, name, training_balance, incentive_amount, incentive_count,
  incentive_interval_days, survey_amount, survey_count, purchase_deadline_days, age_min,
  age_max, exclude_aid, max_per_kk, min_course_hours, excluded_occupations, exclude_students,
  priority_tiers, test_questions, test_minutes, test_pass_mark, created_at)
VALUES
 ('semi-bansos-2020', 'Semi-bansos 2020-2022', 1000000, 600000, 4, 30, 50000, 3, 30, 18, 64,
  1, 2, 15, 'civil_servant,military_police,village_official,legislator,soe_director', 1,
  'laid_off|unemployed,informal_worker', 20, 30, 60, 1585699200),
 ('normal-2023', 'Normal 2023+', 3500000, 600000, 1, 0, 50000, 2, 15, 18, 64,
  0, 2, 15, 'civil_servant,military_police,village_official,legislator,soe_director', 1,
  'laid_off|unemployed', 20, 30, 60, 1672531200);

-- The basic test. options: the choices joined by "\n" (id and en in the same
-- order); answer: the 0-based index of the right choice, never sent to a client.
CREATE TABLE test_questions (
  id @ID@,
  code TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  text_id TEXT NOT NULL,
  text_en TEXT NOT NULL,
  options_id TEXT NOT NULL,
  options_en TEXT NOT NULL,
  answer INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);

-- question_ids: the drawn questions as comma-separated ids, in the order shown;
-- answers: the submitted choices in that order (comma-separated, -1 unanswered).
-- day: the WIB date the attempt started (one attempt a day).
CREATE TABLE test_attempts (
  id @ID@,
  public_id TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  scheme_id BIGINT NOT NULL REFERENCES schemes(id),
  day TEXT NOT NULL,
  question_ids TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  submitted_at BIGINT,
  answers TEXT,
  correct INTEGER,
  total INTEGER NOT NULL,
  score INTEGER,
  passed INTEGER,
  UNIQUE (account_id, day)
);

-- Exclusion lists: NIK lists from other programs, found by NIK blind index.
-- aid = 1: a list of other-aid recipients (used by schemes with exclude_aid).
CREATE TABLE exclusion_lists (
  id @ID@,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  aid INTEGER NOT NULL,
  entries BIGINT NOT NULL DEFAULT 0,
  imported_at BIGINT NOT NULL
);
CREATE TABLE exclusion_entries (
  list_id BIGINT NOT NULL REFERENCES exclusion_lists(id),
  nik_bidx TEXT NOT NULL,
  PRIMARY KEY (list_id, nik_bidx)
);
CREATE INDEX exclusion_entries_nik ON exclusion_entries(nik_bidx);

-- Waves. status: scheduled | open | closed | drawn (the clock moves scheduled to
-- open at opens_at and open to closed at closes_at). quota_mode: csv (rows of
-- wave_quotas given at creation) or proportional (derived at the draw from the
-- eligible applicants per regency, each regency at least quota_floor).
-- spill_rule: a draw_rule_name (regency | regency_province | regency_province_nation).
-- seed_commitment: hex SHA-256 of the seed, fixed at creation; seed: hex, NULL
-- until the draw. refill_seats: revoked seats this wave refills (in total_quota).
CREATE TABLE waves (
  id @ID@,
  number INTEGER NOT NULL UNIQUE,
  scheme_id BIGINT NOT NULL REFERENCES schemes(id),
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  total_quota BIGINT NOT NULL,
  quota_mode TEXT NOT NULL,
  quota_floor BIGINT NOT NULL DEFAULT 0,
  spill_rule TEXT NOT NULL,
  seed_commitment TEXT NOT NULL,
  seed TEXT,
  refill_seats BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  closed_at BIGINT,
  drawn_at BIGINT,
  created_by BIGINT REFERENCES accounts(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE wave_quotas (
  wave_id BIGINT NOT NULL REFERENCES waves(id),
  regency_code TEXT NOT NULL,
  quota BIGINT NOT NULL,
  PRIMARY KEY (wave_id, regency_code)
);

-- Applications. status: submitted | eligible | ineligible | selected |
-- not_selected | carried_over. open = 1 while the application is live (one open
-- application per person: the partial unique index). regency_code: the
-- applicant's domicile regency when applying. stage: enum draw_stage after the
-- draw. draw_key: hex of the 32-byte key. carried_from: the application this one
-- carried over from.
CREATE TABLE applications (
  id @ID@,
  public_id TEXT NOT NULL UNIQUE,
  wave_id BIGINT NOT NULL REFERENCES waves(id),
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  regency_code TEXT NOT NULL,
  tier INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  is_open INTEGER NOT NULL DEFAULT 1,
  draw_key TEXT,
  stage INTEGER,
  carried_from BIGINT REFERENCES applications(id),
  checked_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (wave_id, account_id)
);
CREATE UNIQUE INDEX applications_one_open ON applications(account_id) WHERE is_open = 1;
CREATE INDEX applications_wave ON applications(wave_id, status);

-- One row per rule per application, replaced at each check. reason: a stable
-- code of core/errors.c (elig.*), NULL when the rule passed.
CREATE TABLE eligibility_results (
  application_id BIGINT NOT NULL REFERENCES applications(id),
  rule TEXT NOT NULL,
  passed INTEGER NOT NULL,
  reason TEXT,
  checked_at BIGINT NOT NULL,
  PRIMARY KEY (application_id, rule)
);

-- Beneficiaries: one per person ever (account_id UNIQUE: never a beneficiary
-- twice; a revoked row stays and bars the person). status: active | revoked.
-- balance: training balance left, integer rupiah. returned_balance: what went
-- back to the program at revocation. refilled_by: the wave that refilled the seat.
CREATE TABLE beneficiaries (
  id @ID@,
  card_number TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL UNIQUE REFERENCES accounts(id),
  application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id),
  wave_id BIGINT NOT NULL REFERENCES waves(id),
  scheme_id BIGINT NOT NULL REFERENCES schemes(id),
  kk_bidx TEXT,
  regency_code TEXT NOT NULL,
  balance BIGINT NOT NULL,
  purchase_deadline BIGINT NOT NULL,
  first_purchase_at BIGINT,
  status TEXT NOT NULL,
  revoked_at BIGINT,
  returned_balance BIGINT NOT NULL DEFAULT 0,
  refilled_by BIGINT REFERENCES waves(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX beneficiaries_kk ON beneficiaries(kk_bidx);
CREATE INDEX beneficiaries_deadline ON beneficiaries(status, purchase_deadline);
