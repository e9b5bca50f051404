-- A coordinator's alerts on a programme (usecases/programme-alerts.ts): "more than N steps
-- overdue" or "a step open longer than N days". Evaluated every ten minutes by a Temporal
-- Schedule (activities/alerts.ts); an email goes out when an alert is crossed, once, until it
-- clears. `crossed_since` is the state: NULL when clear; moving it is what sends, in the same
-- transaction as the email's outbox row, so a retried or overlapping evaluation sends nothing twice.
CREATE TABLE programme_alerts (
  id             uuid PRIMARY KEY,
  programme_id   uuid NOT NULL REFERENCES programmes (id),
  kind           text NOT NULL CHECK (kind IN ('overdue-steps', 'step-age')),
  threshold      integer NOT NULL CHECK (threshold BETWEEN 1 AND 100000),
  created_by     uuid NOT NULL REFERENCES people (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  crossed_since  timestamptz,
  last_value     integer,
  evaluated_at   timestamptz,
  times_crossed  integer NOT NULL DEFAULT 0
);
CREATE INDEX programme_alerts_programme ON programme_alerts (programme_id, created_at);
-- The evaluation counts a programme's open steps by due date and by age.
CREATE INDEX open_gates_programme ON open_gates (programme_id, due_at) INCLUDE (opened_at, on_hold) WHERE first_party;
