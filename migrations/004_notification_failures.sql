-- A message the mail server refused for good (5xx) is marked failed, not retried for ever.
ALTER TABLE notifications
  ADD COLUMN failed_at timestamptz,
  ADD COLUMN failure text;
