-- Exactly once, or honestly unknown: what people write stays here (workflows carry its id), every
-- request with an Idempotency-Key gets its first answer again, emails are queued with the
-- projection and delivered by the dispatcher, and the board can see stalls and failing steps.

-- Reasons, comments and notes. A row whose action was refused is deleted; one whose outcome is not
-- known yet is kept (the action may still apply), and is shown only where a case refers to it.
CREATE TABLE texts (
  id            uuid PRIMARY KEY,
  case_id       uuid REFERENCES cases (id),
  programme_id  uuid REFERENCES programmes (id),
  person_id     uuid NOT NULL REFERENCES people (id),
  kind          text NOT NULL,
  body          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX texts_case ON texts (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX texts_programme ON texts (programme_id) WHERE programme_id IS NOT NULL;

-- One row per (person, Idempotency-Key): the request it was first used with, and its answer once
-- known. `resource_id` is the case a creation made (chosen before the case exists).
CREATE TABLE idempotent_requests (
  person_id     uuid NOT NULL REFERENCES people (id),
  key           text NOT NULL,
  request_hash  text NOT NULL,
  resource_id   uuid,
  status        integer,
  body          jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  PRIMARY KEY (person_id, key)
);
CREATE INDEX idempotent_requests_age ON idempotent_requests (created_at);
INSERT INTO idempotent_requests (person_id, key, request_hash, resource_id, created_at)
  SELECT person_id, key, request_hash, case_id, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;

-- The outbox: rows are queued by the projection (with what to render) and sent by the dispatcher,
-- which claims a row for a while, talks to SMTP holding no lock or connection, and records the
-- outcome. Failing deliveries (attempts > 0, last_error set) show on the coordinators' board.
ALTER TABLE notifications
  ADD COLUMN payload          jsonb,
  ADD COLUMN attempts         integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN claimed_until    timestamptz,
  ADD COLUMN last_attempt_at  timestamptz,
  ADD COLUMN last_error       text;
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX notifications_case ON notifications (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX notifications_failing ON notifications (last_attempt_at) WHERE sent_at IS NULL AND last_error IS NOT NULL;

-- What the case holds of its programme's quota, when its workflow next wakes by itself (past
-- that with no newer state, it is stalled), and why its workflow stopped without the case ending.
ALTER TABLE cases
  ADD COLUMN place         text,
  ADD COLUMN next_wake_at  timestamptz,
  ADD COLUMN stopped       jsonb;
CREATE INDEX cases_next_wake ON cases (next_wake_at) WHERE status IN ('active', 'waitlisted');
CREATE INDEX cases_starting ON cases (created_at) WHERE status = 'starting';
CREATE INDEX cases_stopped ON cases (coordinator_organisation_id) WHERE stopped IS NOT NULL;

-- The MoU time policy, so a programme whose workflow could not be started can be started later.
ALTER TABLE programmes ADD COLUMN mou_time jsonb;

-- A programme's waiting list, in the order cases joined it (the workflow keeps only its length).
-- A place offered to a case records the offer's round and, once known, the case's answer, so a
-- repeated offer (a retried activity) gets the same cases and answers.
CREATE TABLE programme_waitlist (
  programme_id   uuid NOT NULL REFERENCES programmes (id),
  case_id        uuid NOT NULL REFERENCES cases (id),
  position       bigint NOT NULL,
  offered_round  integer,
  accepted       boolean,
  PRIMARY KEY (programme_id, case_id)
);
CREATE INDEX programme_waitlist_order ON programme_waitlist (programme_id, position);

-- Activities that are failing now (written by the worker as they fail, cleared when they succeed).
CREATE TABLE failing_steps (
  workflow_id    text NOT NULL,
  activity_id    text NOT NULL,
  case_id        uuid,
  programme_id   uuid,
  activity_type  text NOT NULL,
  attempt        integer NOT NULL,
  last_failure   text,
  since          timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (workflow_id, activity_id)
);
CREATE INDEX failing_steps_case ON failing_steps (case_id) WHERE case_id IS NOT NULL;

CREATE INDEX housing_offers_case ON housing_offers (case_id);
CREATE INDEX agreement_documents_case ON agreement_documents (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX agreement_documents_programme ON agreement_documents (programme_id) WHERE programme_id IS NOT NULL;
CREATE INDEX checkin_reports_case ON checkin_reports (case_id);
