-- The programmes an organisation takes part in (GET /v1/programmes, the "Programmes" page): those
-- it coordinates, newest first, and those whose MoU it signs.
CREATE INDEX programmes_coordinator ON programmes (coordinator_organisation_id, created_at DESC, id DESC);
CREATE INDEX programmes_signatories ON programmes USING gin (mou_signatories);
