/**
 * Gauges read from the projection at scrape time: the backlog of email, open cases by stage, overdue
 * steps and failing activities. One round of queries serves every gauge of a scrape and is reused
 * for a few seconds, so two Prometheus servers (or a dashboard refresh) cost one round; every query
 * reads an index or a bounded set (open cases, open gates, unsent mail).
 */
import { Gauge } from 'prom-client';
import type { Sql } from './db.js';
import { log } from './logger.js';
import { registry } from './metrics.js';

const REUSE_MS = 10_000;

interface Snapshot {
  notifications: { queued: number; failing: number; givenUp: number; oldestQueuedSeconds: number };
  openCases: { pathway: string; stage: string; count: number }[];
  overdueSteps: { kind: string; count: number }[];
  failingSteps: { activity: string; count: number }[];
}

async function read(sql: Sql): Promise<Snapshot> {
  const [mail] = await sql<{ queued: number; failing: number; givenUp: number; oldest: number | null }[]>`
    SELECT
      (SELECT count(*)::int FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL) AS queued,
      (SELECT count(*)::int FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL) AS failing,
      (SELECT count(*)::int FROM notifications WHERE failed_at IS NOT NULL) AS "givenUp",
      (SELECT extract(epoch FROM now() - min(created_at))::float FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL) AS oldest`;
  const openCases = await sql<{ pathway: string; stage: string; count: number }[]>`
    SELECT COALESCE(pathway_name, '') AS pathway, COALESCE(stage_title, status) AS stage, count(*)::int AS count
    FROM cases WHERE status IN ('active', 'waitlisted', 'starting') GROUP BY 1, 2`;
  const overdueSteps = await sql<{ kind: string; count: number }[]>`
    SELECT gate_kind AS kind, count(*)::int AS count FROM open_gates
    WHERE first_party AND on_hold IS NULL AND due_at < now() GROUP BY 1`;
  const failingSteps = await sql<{ activity: string; count: number }[]>`
    SELECT activity_type AS activity, count(*)::int AS count FROM failing_steps GROUP BY 1`;
  return {
    notifications: { queued: mail?.queued ?? 0, failing: mail?.failing ?? 0, givenUp: mail?.givenUp ?? 0, oldestQueuedSeconds: mail?.oldest ?? 0 },
    openCases: [...openCases],
    overdueSteps: [...overdueSteps],
    failingSteps: [...failingSteps],
  };
}

let source: Sql | undefined;

/**
 * Has the gauges read from `sql` whenever metrics are scraped. Registered once per process (a
 * registry holds one metric per name); a later call (tests that build several apps) moves them
 * onto its database.
 */
export function registerDatabaseGauges(sql: Sql): void {
  const first = source === undefined;
  source = sql;
  if (first) createGauges();
}

function createGauges(): void {
  let last: { at: number; snapshot: Promise<Snapshot | undefined> } | undefined;
  let warnedAt = 0;
  const snapshot = () => {
    if (!source) return Promise.resolve(undefined);
    if (!last || Date.now() - last.at > REUSE_MS) {
      last = {
        at: Date.now(),
        snapshot: read(source).catch((error: unknown) => {
          // The scrape goes on without these gauges; /health/ready says why.
          if (Date.now() - warnedAt > 60_000) log.warn({ component: 'metrics', err: error }, 'could not read the gauges from PostgreSQL');
          warnedAt = Date.now();
          last = undefined;
          return undefined;
        }),
      };
    }
    return last.snapshot;
  };

  new Gauge({
    name: 'saferoutes_notifications',
    help: 'Emails by state: queued (not yet sent), failing (queued, last attempt failed), given_up (refused for good)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s) return;
      this.reset();
      this.set({ state: 'queued' }, s.notifications.queued);
      this.set({ state: 'failing' }, s.notifications.failing);
      this.set({ state: 'given_up' }, s.notifications.givenUp);
    },
  });
  new Gauge({
    name: 'saferoutes_notifications_oldest_queued_seconds',
    help: 'Age of the oldest email not yet sent (0 when none waits): a growing backlog',
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (s) this.set(s.notifications.oldestQueuedSeconds);
    },
  });
  new Gauge({
    name: 'saferoutes_open_cases',
    help: 'Open cases (starting, active or waitlisted) by pathway and stage',
    labelNames: ['pathway', 'stage'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s) return;
      this.reset();
      for (const row of s.openCases) this.set({ pathway: row.pathway, stage: row.stage }, row.count);
    },
  });
  new Gauge({
    name: 'saferoutes_overdue_steps',
    help: 'Open steps past their due date and not on hold, by kind of step (the coordinators\' board)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s) return;
      this.reset();
      for (const row of s.overdueSteps) this.set({ kind: row.kind }, row.count);
    },
  });
  new Gauge({
    name: 'saferoutes_failing_steps',
    help: 'Activities failing right now (retrying), by activity type',
    labelNames: ['activity'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s) return;
      this.reset();
      for (const row of s.failingSteps) this.set({ activity: row.activity }, row.count);
    },
  });
}
