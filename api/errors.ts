/** Maps every thrown error to problem+json: user mistakes to 4xx, unreachable services to 503. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { problem, ProblemError } from './problem.js';

const RETRY_AFTER_SECONDS = '5';

export function isUnavailable(error: unknown): string | undefined {
  const e = error as { name?: string; code?: string | number; message?: string };
  // postgres.js connection failures
  if (typeof e.code === 'string' && ['ECONNREFUSED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', '57P03'].includes(e.code)) {
    return 'PostgreSQL';
  }
  // gRPC UNAVAILABLE / DEADLINE_EXCEEDED from the Temporal client
  if (e.name === 'ServiceError' || e.code === 14 || e.code === 4 || /UNAVAILABLE|Failed to connect|TransportError/i.test(e.message ?? '')) {
    return 'Temporal';
  }
  return undefined;
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof ProblemError) return problem(c, error.status, error.title, error.detail, error.extensions);
  if (error instanceof HTTPException) return problem(c, error.status, error.message || 'Request refused');
  const service = isUnavailable(error);
  if (service) {
    c.header('Retry-After', RETRY_AFTER_SECONDS);
    return problem(c, 503, `${service} is unavailable`, 'A service SafeRoutes depends on cannot be reached. Try again shortly; nothing was changed.');
  }
  // Log the error type only: messages can carry request data.
  console.error(`[api] unexpected ${error.name} on ${c.req.method} ${c.req.routePath}`, error.stack?.split('\n')[1]?.trim());
  return problem(c, 500, 'Internal error', 'Something went wrong on our side. The request may be retried.');
}
