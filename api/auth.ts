/**
 * Bearer tokens (usecases/tokens.ts): every /v1 route needs one; the caller it names is what
 * scoping works from. /health, /openapi.json and /docs need none.
 */
import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../infra/db.js';
import type { Caller } from '../usecases/caller.js';
import { callerOfToken } from '../usecases/tokens.js';
import { problem } from './problem.js';

export type AuthEnv = { Variables: { caller: Caller } };

export function requireToken(sql: Sql): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      return problem(c, 401, 'Authentication required', 'Send an API token as "Authorization: Bearer <token>".');
    }
    const caller = await callerOfToken(sql, match[1]!);
    if (!caller) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return problem(c, 401, 'Invalid token', 'The token is unknown or was revoked.');
    }
    c.set('caller', caller);
    await next();
  };
}
