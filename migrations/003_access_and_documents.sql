-- API tokens (only a hash is kept), idempotent case creation, and the texts that stay out of
-- Temporal: housing offers' addresses, agreement versions, check-in reports.

CREATE TABLE api_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id   uuid NOT NULL REFERENCES people (id),
  token_hash  text NOT NULL UNIQUE,
  label       text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE idempotency_keys (
  person_id     uuid NOT NULL REFERENCES people (id),
  key           text NOT NULL,
  request_hash  text NOT NULL,
  case_id       uuid NOT NULL REFERENCES cases (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, key)
);

CREATE TABLE housing_offers (
  id               uuid PRIMARY KEY,
  case_id          uuid NOT NULL REFERENCES cases (id),
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  address          text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agreement_documents (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id       uuid REFERENCES cases (id),
  programme_id  uuid REFERENCES programmes (id),
  title         text NOT NULL,
  url           text,
  body          text,
  content_hash  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE checkin_reports (
  id          uuid PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases (id),
  person_id   uuid NOT NULL REFERENCES people (id),
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Who may see a programme: its coordinator and the organisations that sign its MoU.
ALTER TABLE programmes ADD COLUMN mou_signatories uuid[] NOT NULL DEFAULT '{}';

-- The case's coordinating organisation, for the coordinators' board.
ALTER TABLE cases ADD COLUMN coordinator_organisation_id uuid REFERENCES organisations (id);
CREATE INDEX cases_coordinator ON cases (coordinator_organisation_id) WHERE status IN ('active', 'waitlisted');
