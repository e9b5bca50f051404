-- The members of sponsor groups and the checks each has completed (a certificate of good conduct,
-- training…): personal data, so here and never in a workflow. A case's group requirements
-- (domain/case-groups.ts) are read from these tables as counts. Every change of a group's members
-- or checks raises its `roster_version`, in the same transaction, so cases can tell a newer roster
-- from one they have read.

ALTER TABLE organisations ADD COLUMN roster_version bigint NOT NULL DEFAULT 0;

CREATE TABLE group_members (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  name text NOT NULL,
  email text,
  joined_at timestamptz NOT NULL DEFAULT now(),
  -- A member who left stays for the record; requirements count the members who have not left.
  left_at timestamptz,
  added_by uuid REFERENCES people (id)
);
CREATE INDEX group_members_current ON group_members (organisation_id) WHERE left_at IS NULL;
-- The roster as its group reads it: every member, those who left too, in the order they joined.
CREATE INDEX group_members_roster ON group_members (organisation_id, joined_at, id);

CREATE TABLE member_checks (
  member_id uuid NOT NULL REFERENCES group_members (id),
  -- A slug named by the pathway's templates: 'good-conduct', 'training', …
  check_kind text NOT NULL,
  completed_on date NOT NULL,
  -- A check with a date here counts until that day (a certificate of good conduct is often asked to be recent).
  valid_until date,
  recorded_by uuid REFERENCES people (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, check_kind)
);

-- A group's change waiting to reach its cases (the outbox): written in the transaction of the change,
-- removed once every case the group takes part in has been told (activities/roster-delivery.ts);
-- a row left behind (the delivery never started) is delivered by the worker's watchdog.
CREATE TABLE roster_changes (
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  roster_version bigint NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, roster_version)
);
-- The watchdog's sweep: changes left undelivered for a while.
CREATE INDEX roster_changes_changed_at ON roster_changes (changed_at);
