/** Maps every thrown error to problem+json: user mistakes to 4xx, unreachable services to 503. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isRefusedValue, isUnavailable } from '../infra/unavailable.js';
import { ProblemError } from '../usecases/problem.js';
import { RETRY_AFTER_SECONDS } from '../usecases/updates.js';
import { log } from '../infra/logger.js';
import { problem } from './problem.js';

export function onError(error: Error, c: Context): Response {
  if (error instanceof ProblemError) {
    if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
    return problem(c, error.status, error.title, error.detail, error.extensions);
  }
  if (error instanceof HTTPException) return problem(c, error.status, error.message || 'Request refused');
  const service = isUnavailable(error);
  if (service) {
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    // Actions that may have been applied say so themselves (usecases/updates.ts); what reaches
    // here failed before anything was sent on.
    return problem(c, 503, `${service} is unavailable`, 'A service SafeRoutes depends on cannot be reached. Nothing was changed; try again shortly.');
  }
  if (isRefusedValue(error)) return problem(c, 400, 'Invalid input', 'A value in the request cannot be stored (for example a control character, or a number or date out of range).');
  // The type and where it was thrown: messages can carry request data.
  log.error({ component: 'api', type: error.name, at: error.stack?.split('\n')[1]?.trim(), method: c.req.method, route: c.req.routePath }, 'unexpected error');
  return problem(c, 500, 'Internal error', 'Something went wrong on our side. The request may be retried.');
}
