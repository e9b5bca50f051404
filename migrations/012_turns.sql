-- Every open task is someone's visible turn, named by what to do: the lists read the instruction
-- (`todo`: decide, make-offer, answer-offer, choose-another, publish-agreement, sign-agreement,
-- send-report…) and what its words need (report 2 of 4, the agreement's version) beside the step's
-- title. `due_at` is from now on the date the party whose turn it is must meet (an offer is
-- answered by the day it lapses). Rows written before this migration have no `todo` until their
-- case next changes; the pages then name the step by its title, as before.
ALTER TABLE open_gates
  ADD COLUMN todo        text,
  ADD COLUMN todo_params jsonb NOT NULL DEFAULT '{}'::jsonb;
