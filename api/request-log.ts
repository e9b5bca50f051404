/**
 * One log line and one latency observation per HTTP request (API and pages alike), and the
 * request's id on every line logged while it is answered. Only the route template is logged —
 * never the path as sent (sign-in links carry a token in it) nor the query (searches are names).
 */
import type { MiddlewareHandler } from 'hono';
import { inRequest, log } from '../infra/logger.js';
import { httpRequestDuration } from '../infra/metrics.js';

const http = log.child({ component: 'http' });

export const requestLog: MiddlewareHandler = async (c, next) => {
  const requestId = c.get('requestId' as never) as string;
  const started = performance.now();
  await inRequest(requestId, async () => {
    await next();
    const seconds = (performance.now() - started) / 1000;
    // A path no route matched has the catch-all template: the label set stays small.
    const route = c.req.routePath;
    const status = c.res.status;
    httpRequestDuration.observe({ method: c.req.method, route, status: String(status) }, seconds);
    const line = { method: c.req.method, route, status, ms: Math.round(seconds * 10_000) / 10 };
    if (status >= 500) http.error(line, 'request failed');
    else http.info(line, 'request');
  });
};
