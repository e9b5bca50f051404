-- Bulk actions (usecases/bulk-actions.ts): a coordinator's nudge, extend, reassign, hold or resume
-- over many cases at once, carried out in the background by a workflow (`bulk:<id>`) one item at
-- a time, with a result per item that the coordinator's organisation reads afterwards.
-- `params` holds ids, dates and the step chosen — never text: the reason typed once is a row of
-- `texts` (`reason_ref`), copied per case to `bulk_action_items.reason_ref` so that each case
-- refers to a text of its own, as a single action's reason does.
CREATE TABLE bulk_actions (
  id               uuid PRIMARY KEY,
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  person_id        uuid NOT NULL REFERENCES people (id),
  action           text NOT NULL CHECK (action IN ('nudge', 'extend', 'reassign', 'hold', 'resume')),
  params           jsonb NOT NULL DEFAULT '{}',
  reason_ref       uuid REFERENCES texts (id),
  -- How the cases were chosen: listed one by one, or every case matching a filter of the case list (kept as spelled).
  selection        text NOT NULL CHECK (selection IN ('cases', 'filter')),
  filter           jsonb,
  total            integer NOT NULL,
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);
-- An organisation's bulk actions, newest first (keyset-paged).
CREATE INDEX bulk_actions_organisation ON bulk_actions (organisation_id, created_at DESC, id DESC);

-- One row per case of a bulk action, in the order chosen (`position`). `code` says why an item was
-- refused or failed (a refusal code of domain/refusal.ts, or one of the bulk's own), `params` what
-- it concerns; `detail` is the workflow's English words when it sent no code.
CREATE TABLE bulk_action_items (
  bulk_id      uuid NOT NULL REFERENCES bulk_actions (id),
  case_id      uuid NOT NULL REFERENCES cases (id),
  position     integer NOT NULL,
  gate_id      text,
  reason_ref   uuid REFERENCES texts (id),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'refused', 'failed')),
  code         text,
  params       jsonb,
  detail       text,
  attempts     integer NOT NULL DEFAULT 0,
  finished_at  timestamptz,
  PRIMARY KEY (bulk_id, case_id),
  UNIQUE (bulk_id, position)
);
-- The background work reads what is still pending in order; results are read page by page by
-- position (the unique index above), and counted by result.
CREATE INDEX bulk_action_items_pending ON bulk_action_items (bulk_id, position) WHERE status = 'pending';
CREATE INDEX bulk_action_items_status ON bulk_action_items (bulk_id, status);
