-- Departure batches (usecases/departure-batches.ts): a programme's coordinator groups the cases that
-- are ready to travel into a batch with a departure date; its departure and later its arrival are
-- confirmed once for the batch, and a workflow (`departure-batch:<id>`, workflows/departure-batch.ts)
-- completes each case's travel or arrival step, recording a result per case. The name is the
-- coordinator's label for the batch ("March flight"), never a person's name; the workflow carries ids only.
CREATE TABLE departure_batches (
  id               uuid PRIMARY KEY,
  programme_id     uuid NOT NULL REFERENCES programmes (id),
  -- The programme's coordinating organisation when the batch was made: the only one that reads it.
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  departure_date   date NOT NULL,
  status           text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'departed', 'arrived', 'cancelled')),
  created_by       uuid NOT NULL REFERENCES people (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  departed_by      uuid REFERENCES people (id),
  departed_at      timestamptz,
  arrived_by       uuid REFERENCES people (id),
  arrived_at       timestamptz,
  cancelled_by     uuid REFERENCES people (id),
  cancelled_at     timestamptz,
  -- When the coordinator was reminded that the departure date came without a confirmed departure.
  reminded_at      timestamptz,
  -- Whether its workflow is known to have started: the worker's watchdog starts those whose start never reached Temporal.
  workflow_started boolean NOT NULL DEFAULT false
);
CREATE INDEX departure_batches_unstarted ON departure_batches (created_at) WHERE NOT workflow_started;
-- A programme's batches, soonest departure first.
CREATE INDEX departure_batches_programme ON departure_batches (programme_id, departure_date, id);

-- The cases of a batch. `status`: `in` (planned to travel), `dropped` (left the batch: held,
-- withdrawn, its step not open any more — `code` and `params` say why, as the case refused),
-- `travelled` (its travel step completed by the departure), `arrived` (its arrival step completed).
-- `departure` / `arrival`: the result per event, `pending` while the batch's workflow carries it out.
CREATE TABLE departure_batch_members (
  batch_id          uuid NOT NULL REFERENCES departure_batches (id),
  case_id           uuid NOT NULL REFERENCES cases (id),
  status            text NOT NULL DEFAULT 'in' CHECK (status IN ('in', 'dropped', 'travelled', 'arrived')),
  code              text,
  params            jsonb,
  departure         text CHECK (departure IN ('pending', 'done', 'dropped')),
  departure_at      timestamptz,
  arrival           text CHECK (arrival IN ('pending', 'done', 'dropped')),
  arrival_at        timestamptz,
  attempts          integer NOT NULL DEFAULT 0,
  -- True while the batch is planned: a case is in at most one planned batch at a time.
  in_planned_batch  boolean NOT NULL DEFAULT true,
  added_by          uuid NOT NULL REFERENCES people (id),
  added_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (batch_id, case_id)
);
CREATE UNIQUE INDEX departure_batch_members_one_planned ON departure_batch_members (case_id) WHERE in_planned_batch;
-- A case's batches (the case page's line), newest first.
CREATE INDEX departure_batch_members_case ON departure_batch_members (case_id, added_at DESC);
-- The workflow's work: what is still pending for an event.
CREATE INDEX departure_batch_members_pending_departure ON departure_batch_members (batch_id, case_id) WHERE departure = 'pending';
CREATE INDEX departure_batch_members_pending_arrival ON departure_batch_members (batch_id, case_id) WHERE arrival = 'pending';
