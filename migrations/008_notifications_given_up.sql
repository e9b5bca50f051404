-- The messages the mail server refused for good, counted for /metrics (saferoutes_notifications):
-- without it, counting them reads every notification ever queued.
CREATE INDEX notifications_given_up ON notifications (failed_at) WHERE failed_at IS NOT NULL;
