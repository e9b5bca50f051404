-- Every read of a household's personal data (usecases/household.ts): who read it (person and
-- organisation), which case, what (the access level and the fields it returned) and when; the
-- case's coordinator reads it newest first (GET /v1/cases/{id}/reads). Append-only.
CREATE TABLE personal_data_reads (
  id               bigserial PRIMARY KEY,
  case_id          uuid NOT NULL REFERENCES cases (id),
  person_id        uuid NOT NULL REFERENCES people (id),
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  level            text NOT NULL,
  fields           text[] NOT NULL,
  door             text NOT NULL CHECK (door IN ('api', 'web')),
  at               timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX personal_data_reads_case ON personal_data_reads (case_id, at DESC, id DESC);
