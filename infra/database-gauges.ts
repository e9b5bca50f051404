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

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Every gauge read from the snapshot: its name, what it means, and its samples. */
const GAUGES: { name: string; help: string; labelNames: string[]; samples(s: Snapshot): Sample[] }[] = [
  {
    name: 'saferoutes_notifications',
    help: 'Emails by state: queued (not yet sent), failing (queued, last attempt failed), given_up (refused for good)',
    labelNames: ['state'],
    samples: ({ notifications: n }) => [
      { labels: { state: 'queued' }, value: n.queued },
      { labels: { state: 'failing' }, value: n.failing },
      { labels: { state: 'given_up' }, value: n.givenUp },
    ],
  },
  {
    name: 'saferoutes_notifications_oldest_queued_seconds',
    help: 'Age of the oldest email not yet sent (0 when none waits): a growing backlog',
    labelNames: [],
    samples: (s) => [{ labels: {}, value: s.notifications.oldestQueuedSeconds }],
  },
  {
    name: 'saferoutes_open_cases',
    help: 'Open cases (starting, active or waitlisted) by pathway and stage',
    labelNames: ['pathway', 'stage'],
    samples: (s) => s.openCases.map((r) => ({ labels: { pathway: r.pathway, stage: r.stage }, value: r.count })),
  },
  {
    name: 'saferoutes_overdue_steps',
    help: "Open steps past their due date and not on hold, by kind of step (the coordinators' board)",
    labelNames: ['kind'],
    samples: (s) => s.overdueSteps.map((r) => ({ labels: { kind: r.kind }, value: r.count })),
  },
  {
    name: 'saferoutes_failing_steps',
    help: 'Activities failing right now (retrying), by activity type',
    labelNames: ['activity'],
    samples: (s) => s.failingSteps.map((r) => ({ labels: { activity: r.activity }, value: r.count })),
  },
];

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

  for (const gauge of GAUGES) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        // Unreadable: the last values stand rather than vanish from the scrape.
        if (!s) return;
        this.reset();
        for (const { labels, value } of gauge.samples(s)) this.set(labels, value);
      },
    });
  }
}
