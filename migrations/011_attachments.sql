-- Files attached to a case, to one of its steps (`gate_id`) or to one check-in report of a step
-- (`gate_id` and `report_index`), with who uploaded them (usecases/attachments.ts). The id derives
-- from the uploader's Idempotency-Key, so a retried upload is stored once. `content` holds the bytes
-- while the file store is PostgreSQL (infra/file-store.ts); another store would leave it null.
CREATE TABLE attachments (
  id               uuid PRIMARY KEY,
  case_id          uuid NOT NULL REFERENCES cases (id),
  gate_id          text,
  report_index     integer CHECK (report_index >= 0),
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  person_id        uuid NOT NULL REFERENCES people (id),
  file_name        text NOT NULL,
  media_type       text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')),
  size             integer NOT NULL CHECK (size > 0 AND size <= 10485760),
  sha256           text NOT NULL,
  content          bytea,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (report_index IS NULL OR gate_id IS NOT NULL)
);
CREATE INDEX attachments_case ON attachments (case_id, created_at DESC, id);

-- A download of an attachment is a read of personal data: its row in the read log names the file.
ALTER TABLE personal_data_reads ADD COLUMN attachment_id uuid REFERENCES attachments (id);
