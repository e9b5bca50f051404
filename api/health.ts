/**
 * Health, as an orchestrator asks for it. `/health/live`: the process answers (restart it if not).
 * `/health/ready`: it can serve — Temporal and PostgreSQL reachable and every migration applied
 * (send it no traffic if not). Mail is reported but never makes it unready: emails wait in their
 * queue and go out when the mail server is back. `/health` is the same report as `/health/ready`.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { pendingMigrations } from '../infra/migrate.js';
import type { ApiDeps } from './deps.js';

const CHECK_TIMEOUT_MS = 3_000;

const PartStatus = z.enum(['up', 'down']);
const Readiness = z
  .object({
    status: z.enum(['ok', 'degraded', 'unready']).openapi({ description: '`ok`: everything up; `degraded`: ready, but mail waits in its queue; `unready`: Temporal or PostgreSQL cannot be reached, or migrations are missing' }),
    temporal: PartStatus,
    postgres: PartStatus,
    migrations: z.enum(['applied', 'pending', 'unknown']).openapi({ description: '`pending`: this code expects migrations the database does not have yet' }),
    smtp: PartStatus,
  })
  .openapi('Readiness', { example: { status: 'ok', temporal: 'up', postgres: 'up', migrations: 'applied', smtp: 'up' } });

const readinessResponses = {
  200: { description: 'Ready to serve (`status` says whether mail is waiting)', content: { 'application/json': { schema: Readiness } } },
  503: { description: 'Not ready: the body names what is missing', content: { 'application/json': { schema: Readiness } } },
};

// `security: []`: health needs no token, whatever the document's default says (an orchestrator has none).
const liveRoute = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['system'],
  summary: 'Liveness: the process answers',
  security: [],
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('live') }) } } } },
});
const readyRoute = createRoute({ method: 'get', path: '/health/ready', tags: ['system'], summary: 'Readiness: Temporal and PostgreSQL reachable, migrations applied (mail reported)', security: [], responses: readinessResponses });
const healthRoute = createRoute({ method: 'get', path: '/health', tags: ['system'], summary: 'The readiness report, as `/health/ready`', security: [], responses: readinessResponses });

async function probe<T>(check: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    return { ok: true, value: await Promise.race([check(), timeout]) };
  } catch {
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: ApiDeps) {
  async function readiness() {
    const [temporal, pending, smtp] = await Promise.all([
      probe(async () => {
        const { status } = await deps.temporalConnection.healthService.check({});
        if (status !== 1 /* SERVING */) throw new Error('not serving');
      }),
      probe(() => pendingMigrations(deps.sql)),
      probe(() => deps.mailer.verify()),
    ]);
    const report = {
      temporal: temporal.ok ? 'up' : 'down',
      postgres: pending.ok ? 'up' : 'down',
      migrations: !pending.ok ? 'unknown' : pending.value.length ? 'pending' : 'applied',
      smtp: smtp.ok ? 'up' : 'down',
    } as const;
    const ready = report.temporal === 'up' && report.migrations === 'applied';
    return { ready, body: { status: !ready ? 'unready' : report.smtp === 'up' ? 'ok' : 'degraded', ...report } as const };
  }

  const app = new OpenAPIHono();
  app.openapi(liveRoute, (c) => c.json({ status: 'live' as const }, 200));
  for (const route of [readyRoute, healthRoute]) {
    app.openapi(route, async (c) => {
      const { ready, body } = await readiness();
      return c.json(body, ready ? 200 : 503);
    });
  }
  return app;
}
