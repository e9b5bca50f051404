-- Notification preferences, the daily digest and absences with a delegate (README: "Preferences,
-- the daily digest and delegation").

-- Per person: when the daily digest goes (a local hour; NULL = no digest) and in which time zone.
CREATE TABLE notification_settings (
  person_id    uuid PRIMARY KEY REFERENCES people (id),
  digest_hour  smallint CHECK (digest_hour BETWEEN 0 AND 23),
  time_zone    text NOT NULL DEFAULT 'Europe/Amsterdam',
  updated_at   timestamptz NOT NULL DEFAULT now()
);
-- The hourly digest run looks for the people who asked for one.
CREATE INDEX notification_settings_digest ON notification_settings (digest_hour) WHERE digest_hour IS NOT NULL;

-- Per person and kind of message (a notification template): at once, in the digest, or not at
-- all. No row = at once. Essential kinds are never stored otherwise (usecases/notification-settings.ts).
CREATE TABLE notification_preferences (
  person_id  uuid NOT NULL REFERENCES people (id),
  kind       text NOT NULL,
  delivery   text NOT NULL CHECK (delivery IN ('immediately', 'digest', 'off')),
  PRIMARY KEY (person_id, kind)
);

-- Messages that were not sent at once, kept for the record: held for the digest (`digested_at`
-- once a digest carried them), switched off, or not sent while the person was away (their
-- delegate got theirs). The same key as the outbox row it would have been: a message is in one of
-- the two tables, never both.
CREATE TABLE notifications_withheld (
  key           text PRIMARY KEY,
  person_id     uuid NOT NULL REFERENCES people (id),
  case_id       uuid REFERENCES cases (id),
  programme_id  uuid REFERENCES programmes (id),
  template      text NOT NULL,
  payload       jsonb NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('digest', 'off', 'away')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  digested_at   timestamptz,
  digest_day    date
);
CREATE INDEX notifications_withheld_held ON notifications_withheld (person_id, created_at) WHERE reason = 'digest' AND digested_at IS NULL;

-- One digest per person per local day, sent or skipped (nothing to say). The primary key is the
-- exactly-once: it is written in the same transaction as the digest's outbox row.
CREATE TABLE digests_sent (
  person_id         uuid NOT NULL REFERENCES people (id),
  day               date NOT NULL,
  sent_at           timestamptz NOT NULL,
  outcome           text NOT NULL CHECK (outcome IN ('sent', 'skipped')),
  notification_key  text REFERENCES notifications (key),
  PRIMARY KEY (person_id, day)
);

-- A person away, and the colleague (same organisation, checked by the use case) who stands in.
-- An absence that has begun is never deleted, only ended: the timeline reads "X (for Y)" from it.
CREATE TABLE absences (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id    uuid NOT NULL REFERENCES people (id),
  delegate_id  uuid NOT NULL REFERENCES people (id),
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (delegate_id <> person_id)
);
CREATE INDEX absences_person ON absences (person_id, ends_at);
CREATE INDEX absences_delegate ON absences (delegate_id, starts_at);
