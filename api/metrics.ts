/**
 * GET /metrics for Prometheus: the application's counters and gauges (infra/metrics.ts,
 * infra/database-gauges.ts), and the Temporal SDK's when a worker runs in this process. Counts and
 * types only. With METRICS_TOKEN set it asks for that bearer token, for an API reachable from outside.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { METRICS_CONTENT_TYPE, metricsText } from '../infra/metrics.js';
import { problem } from './problem.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsRoutes(token: string | undefined) {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    if (token !== undefined) {
      const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      if (!sameSecret(given, token)) {
        c.header('WWW-Authenticate', 'Bearer');
        return problem(c, 401, 'Authentication required', 'Send Authorization: Bearer <METRICS_TOKEN>.');
      }
    }
    return c.body(await metricsText(), 200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
  });
  return app;
}
