-- Saved views (usecases/saved-views.ts): a person's named filter of the case list or the board, kept
-- to return to. A coordinator may share one with their organisation (`shared`): it is then listed
-- for every person of `organisation_id`, the owner's organisation when it was saved. `query` holds
-- the list's filters as its address spells them (strings, validated by the list's own schema when
-- saved), never a page cursor. Only the owner deletes a view.
CREATE TABLE saved_views (
  id               uuid PRIMARY KEY,
  person_id        uuid NOT NULL REFERENCES people (id),
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  list             text NOT NULL CHECK (list IN ('cases', 'board')),
  name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
  query            jsonb NOT NULL,
  shared           boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now()
);
-- A person's own views, and the views shared with an organisation: the two halves of the list.
CREATE INDEX saved_views_person ON saved_views (person_id);
CREATE INDEX saved_views_shared ON saved_views (organisation_id) WHERE shared;
