-- Programmes, the projection columns the lists filter on, which organisations take part in each
-- case (for scoping), and the programme timeline.

CREATE TABLE programmes (
  id                          uuid PRIMARY KEY,
  name                        text NOT NULL,
  pathway_id                  text NOT NULL,
  template                    jsonb NOT NULL,
  coordinator_organisation_id uuid NOT NULL REFERENCES organisations (id),
  status                      text NOT NULL DEFAULT 'draft',
  quota                       integer NOT NULL CHECK (quota >= 0),
  state                       jsonb,
  state_version               bigint NOT NULL DEFAULT 0,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE programme_events (
  id            bigserial PRIMARY KEY,
  programme_id  uuid NOT NULL REFERENCES programmes (id),
  event_key     text NOT NULL UNIQUE,
  kind          text NOT NULL,
  actor         text NOT NULL,
  reason        text,
  data          jsonb NOT NULL DEFAULT '{}',
  at            timestamptz NOT NULL
);
CREATE INDEX programme_events_programme ON programme_events (programme_id, id);

ALTER TABLE cases
  ALTER COLUMN sponsor_organisation_id DROP NOT NULL,
  ADD COLUMN programme_id uuid REFERENCES programmes (id),
  ADD COLUMN pathway_id   text,
  ADD COLUMN stuck        boolean NOT NULL DEFAULT false,
  ADD COLUMN waiting_on   uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN next_due_at  timestamptz;
CREATE INDEX cases_programme ON cases (programme_id);
CREATE INDEX cases_stuck ON cases (stuck) WHERE stuck;
CREATE INDEX cases_waiting_on ON cases USING gin (waiting_on);

-- Which organisation fills which of the pathway's party slots; kept current by the projection.
CREATE TABLE case_parties (
  case_id          uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  slot             text NOT NULL,
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  PRIMARY KEY (case_id, slot)
);
CREATE INDEX case_parties_organisation ON case_parties (organisation_id);

ALTER TABLE notifications ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN programme_id uuid REFERENCES programmes (id);
