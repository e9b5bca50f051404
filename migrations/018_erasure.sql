-- Erasure and retention of a closed case's personal data (usecases/erasure.ts, usecases/retention.ts),
-- and the data-protection officer's export of the read log (usecases/read-log-export.ts).

-- One row per erased case: who erased it (a person, an admin; NULL with actor 'system' for the
-- retention schedule), when and why. The primary key makes an erasure happen once: a second
-- request finds this row and changes nothing. What remains of the case is its row (reference,
-- status, pathway, programme), its non-personal timeline and the read log.
CREATE TABLE case_erasures (
  case_id           uuid PRIMARY KEY REFERENCES cases (id),
  erased_at         timestamptz NOT NULL DEFAULT now(),
  actor             text NOT NULL CHECK (actor IN ('admin', 'system')),
  person_id         uuid REFERENCES people (id),
  reason            text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
  -- For the retention schedule: the setting it applied, in months after closing.
  retention_months  integer,
  -- How many people the household had (not personal on its own), kept for counts.
  household_size    integer,
  CHECK ((actor = 'admin') = (person_id IS NOT NULL))
);
-- The admin page lists them newest first; the DPO export reads them by period.
CREATE INDEX case_erasures_at ON case_erasures (erased_at DESC, case_id);

-- Rows whose text or bytes were erased keep their ids (the timeline and the state refer to them)
-- and say since when their content is gone.
ALTER TABLE texts ADD COLUMN erased_at timestamptz;
ALTER TABLE housing_offers ADD COLUMN erased_at timestamptz;
ALTER TABLE checkin_reports ADD COLUMN erased_at timestamptz;
ALTER TABLE attachments ADD COLUMN erased_at timestamptz;
ALTER TABLE agreement_documents ADD COLUMN erased_at timestamptz;

-- Closed cases, for the retention run and the admin page (a handful of statuses, few open cases).
CREATE INDEX cases_closed ON cases (id) WHERE status IN ('completed', 'rejected', 'withdrawn');

-- The read log by period (the DPO export), and by organisation.
CREATE INDEX personal_data_reads_at ON personal_data_reads (at, id);
CREATE INDEX personal_data_reads_organisation ON personal_data_reads (organisation_id, at, id);

-- Every export of the read log: who exported which period, with which filters. Append-only.
CREATE TABLE personal_data_read_exports (
  id                   bigserial PRIMARY KEY,
  person_id            uuid NOT NULL REFERENCES people (id),
  period_from          timestamptz NOT NULL,
  period_to            timestamptz NOT NULL,
  case_id              uuid,
  organisation_filter  uuid,
  door                 text NOT NULL CHECK (door IN ('api', 'web')),
  at                   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX personal_data_read_exports_at ON personal_data_read_exports (at DESC, id DESC);
