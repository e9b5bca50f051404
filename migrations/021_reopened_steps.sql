-- A step that was done and opened again: its outcome expired (a consent past its validity) or the
-- sponsor group it checked changed. The board lists these apart ("expired consent"), because the
-- case went back on something it had.
ALTER TABLE open_gates
  ADD COLUMN reopened     text CHECK (reopened IN ('expired', 'group-changed')),
  ADD COLUMN reopened_at  timestamptz;
CREATE INDEX open_gates_reopened ON open_gates (coordinator_organisation_id, reopened_at) WHERE reopened IS NOT NULL AND first_party;
