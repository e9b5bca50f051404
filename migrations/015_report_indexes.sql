-- The programme reports (usecases/report-queries.ts) read a coordinator's cases, optionally of one
-- programme and pathway, and of each case only the events of a few kinds: when steps and stages
-- opened and closed, arrivals, holds and check-in reports. Without these, a report would read every
-- event of every case it covers (or every case of every coordinator).
CREATE INDEX cases_reports ON cases (coordinator_organisation_id, programme_id, pathway_id);
CREATE INDEX case_events_case_kind ON case_events (case_id, kind, at);
