import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps } from './deps.js';

const CHECK_TIMEOUT_MS = 3_000;

const PartStatus = z.enum(['up', 'down']);
const Health = z
  .object({ status: z.enum(['ok', 'degraded']), temporal: PartStatus, postgres: PartStatus, smtp: PartStatus })
  .openapi('Health', { example: { status: 'ok', temporal: 'up', postgres: 'up', smtp: 'up' } });

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Whether SafeRoutes and the services it depends on are reachable',
  responses: {
    200: { description: 'Every part is reachable', content: { 'application/json': { schema: Health } } },
    503: { description: 'At least one part is down; the body names it', content: { 'application/json': { schema: Health } } },
  },
});

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: ApiDeps) {
  return new OpenAPIHono().openapi(route, async (c) => {
    const [temporal, postgres, smtp] = await Promise.all([
      probe(async () => {
        const { status } = await deps.temporalConnection.healthService.check({});
        if (status !== 1 /* SERVING */) throw new Error('not serving');
      }),
      probe(() => deps.sql`SELECT 1`),
      probe(() => deps.mailer.verify()),
    ]);
    const allUp = temporal === 'up' && postgres === 'up' && smtp === 'up';
    return c.json({ status: allUp ? 'ok' : 'degraded', temporal, postgres, smtp } as const, allUp ? 200 : 503);
  });
}
