-- Organisations, people, cases with their personal data kept apart, the projection of each
-- case's workflow state, its timeline, and the notification outbox.

CREATE TABLE organisations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('sponsor_group', 'municipality', 'university', 'national_agency', 'coordinator')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE people (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  name             text NOT NULL,
  email            text NOT NULL UNIQUE,
  role             text NOT NULL CHECK (role IN ('coordinator', 'sponsor', 'municipal_officer', 'university_officer', 'agency_officer', 'admin')),
  language         text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'nl')),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_organisation ON people (organisation_id);

-- One row per case. `state` is the projection of the workflow's state (ids and facts, no personal
-- data); `state_version` only grows, so an older projection write never overwrites a newer one.
CREATE TABLE cases (
  id                       uuid PRIMARY KEY,
  reference                text NOT NULL,
  sponsor_organisation_id  uuid NOT NULL REFERENCES organisations (id),
  status                   text NOT NULL DEFAULT 'starting',
  stage                    text,
  state                    jsonb,
  state_version            bigint NOT NULL DEFAULT 0,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_sponsor ON cases (sponsor_organisation_id);

-- Personal data of the household. It never enters Temporal: workflows carry the case id only.
CREATE TABLE case_households (
  case_id         uuid PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  principal_name  text NOT NULL,
  members         jsonb NOT NULL DEFAULT '[]',
  needs           text[] NOT NULL DEFAULT '{}'
);

-- Append-only timeline; `event_key` makes a retried activity write its event once.
CREATE TABLE case_events (
  id         bigserial PRIMARY KEY,
  case_id    uuid NOT NULL REFERENCES cases (id),
  event_key  text NOT NULL UNIQUE,
  kind       text NOT NULL,
  actor      text NOT NULL,
  reason     text,
  data       jsonb NOT NULL DEFAULT '{}',
  at         timestamptz NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- Outbox: one row per (event, recipient). A message is sent only while `sent_at` is null, so a
-- retried activity does not send it again.
CREATE TABLE notifications (
  key         text PRIMARY KEY,
  case_id     uuid REFERENCES cases (id),
  person_id   uuid NOT NULL REFERENCES people (id),
  template    text NOT NULL,
  message_id  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
