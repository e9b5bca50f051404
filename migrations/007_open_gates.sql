-- The projection shaped for the questions people ask: whose turn is it, since when. The inbox, the
-- coordinators' board and the case lists read these rows with keyset paging and never a case's
-- whole state. Kept by the projection activity in the same transaction as the case row.

-- One row per open gate and organisation it waits on (a gate waiting on nobody right now has one
-- row with `waiting_on` NULL). `first_party` marks exactly one row per gate, so lists of gates read
-- those rows and lists of turns read them all.
CREATE TABLE open_gates (
  case_id                      uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  gate_id                      text NOT NULL,
  waiting_on                   uuid REFERENCES organisations (id),
  first_party                  boolean NOT NULL,
  all_waiting_on               uuid[] NOT NULL,
  gate_kind                    text NOT NULL,
  title                        text NOT NULL,
  reference                    text NOT NULL,
  coordinator_organisation_id  uuid REFERENCES organisations (id),
  programme_id                 uuid REFERENCES programmes (id),
  pathway_id                   text NOT NULL,
  pathway_name                 text NOT NULL,
  opened_at                    timestamptz NOT NULL,
  due_at                       timestamptz NOT NULL,
  reminders_sent               integer NOT NULL,
  escalations_sent             integer NOT NULL,
  -- 'held' by the coordinator or 'paused' with its programme: not overdue, whatever the date.
  on_hold                      text CHECK (on_hold IN ('held', 'paused'))
);
CREATE INDEX open_gates_case ON open_gates (case_id);
-- The inbox: what waits on one organisation, soonest due first.
CREATE INDEX open_gates_inbox ON open_gates (waiting_on, due_at, case_id, gate_id) WHERE waiting_on IS NOT NULL;
-- The board: a coordinator's gates by due date (overdue = due before now and not on hold).
CREATE INDEX open_gates_board ON open_gates (coordinator_organisation_id, due_at, case_id, gate_id) INCLUDE (waiting_on, first_party, programme_id, pathway_id, pathway_name, gate_kind)
  WHERE on_hold IS NULL;

-- What the case lists show and filter on, so they need no state: the stage's place and title, the
-- pathway's name, and whether the case is on hold.
ALTER TABLE cases
  ADD COLUMN stage_title    text,
  ADD COLUMN stage_index    integer,
  ADD COLUMN stage_count    integer,
  ADD COLUMN pathway_name   text,
  ADD COLUMN on_hold        text CHECK (on_hold IN ('held', 'paused')),
  -- The open gate due first: { gateId, title, dueAt }.
  ADD COLUMN next_step      jsonb;

-- Keyset paging for each way a list sorts, and search by any part of a reference.
CREATE INDEX cases_newest ON cases (created_at DESC, id DESC);
CREATE INDEX cases_due ON cases ((COALESCE(next_due_at, 'infinity'::timestamptz)), id);
CREATE INDEX cases_updated ON cases (updated_at DESC, id DESC);
CREATE INDEX cases_reference ON cases (reference, id);
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cases_reference_search ON cases USING gin (lower(reference) gin_trgm_ops);
-- The board's stalled cases: a coordinator's moving cases by when they should have woken.
CREATE INDEX cases_stalled ON cases (coordinator_organisation_id, next_wake_at) WHERE status IN ('active', 'waitlisted') AND stopped IS NULL;
-- The board's cases refused by their programme (withdrawn, so no other index of the board has them).
CREATE INDEX cases_programme_refused ON cases (coordinator_organisation_id, updated_at)
  WHERE status = 'withdrawn' AND state->'outcome'->>'code' = 'programme-refused';
-- The inbox's programme agreements still being signed.
CREATE INDEX programmes_negotiating ON programmes (id) WHERE status = 'negotiating';
-- Which cases an organisation takes part in, answered from the index alone.
CREATE INDEX case_parties_organisation_case ON case_parties (organisation_id, case_id);
DROP INDEX case_parties_organisation;

-- Cases projected before this migration: the same rows from their last projected state (the next
-- projection of each case rewrites them).
UPDATE cases SET
  stage_title  = state->'stage'->>'title',
  stage_index  = (state->'stage'->>'index')::integer,
  stage_count  = (state->'stage'->>'of')::integer,
  pathway_name = state->'pathway'->>'name',
  on_hold      = CASE WHEN (state->>'programmePaused')::boolean THEN 'paused' WHEN jsonb_typeof(state->'held') = 'object' THEN 'held' END,
  next_step    = (SELECT jsonb_build_object('gateId', g->>'id', 'title', g->>'title', 'dueAt', g->>'dueAt')
                  FROM jsonb_array_elements(state->'gates') g WHERE g->>'status' = 'open' AND status = 'active'
                  ORDER BY g->>'dueAt' LIMIT 1)
WHERE state IS NOT NULL;

INSERT INTO open_gates (case_id, gate_id, waiting_on, first_party, all_waiting_on, gate_kind, title, reference, coordinator_organisation_id,
                        programme_id, pathway_id, pathway_name, opened_at, due_at, reminders_sent, escalations_sent, on_hold)
SELECT c.id, g->>'id', w.party::uuid, COALESCE(w.n, 1) = 1,
       ARRAY(SELECT DISTINCT jsonb_array_elements_text(g->'waitingOn'))::uuid[],
       g->>'kind', g->>'title', c.reference, c.coordinator_organisation_id, c.programme_id, COALESCE(c.pathway_id, c.state->'pathway'->>'id'), c.state->'pathway'->>'name',
       (g->>'openedAt')::timestamptz, (g->>'dueAt')::timestamptz, (g->>'remindersSent')::integer, (g->>'escalationsSent')::integer, c.on_hold
FROM cases c
CROSS JOIN LATERAL jsonb_array_elements(c.state->'gates') g
LEFT JOIN LATERAL unnest(ARRAY(SELECT DISTINCT jsonb_array_elements_text(g->'waitingOn'))) WITH ORDINALITY AS w (party, n) ON true
WHERE c.status = 'active' AND c.state IS NOT NULL AND g->>'status' = 'open';
