/**
 * Bearer tokens: only their sha256 is stored; a token is shown once when made. Every route but
 * /health, /openapi.json and /docs needs one; the caller it names is what scoping works from.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Queryable, Sql } from '../infra/db.js';
import type { Caller } from '../usecases/caller.js';
import { problem } from './problem.js';

export type AuthEnv = { Variables: { caller: Caller } };

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes a token for a person; returns the token itself, which is never stored. */
export async function issueToken(sql: Queryable, personId: string, label = ''): Promise<{ id: string; token: string }> {
  const token = `sr_${randomBytes(32).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`INSERT INTO api_tokens (person_id, token_hash, label) VALUES (${personId}, ${hashToken(token)}, ${label}) RETURNING id`;
  return { id: row!.id, token };
}

export function requireToken(sql: Sql): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      return problem(c, 401, 'Authentication required', 'Send an API token as "Authorization: Bearer <token>".');
    }
    const [caller] = await sql<Caller[]>`
      SELECT p.id AS "personId", p.organisation_id AS "organisationId", o.kind AS "organisationKind", p.role, p.language
      FROM api_tokens t JOIN people p ON p.id = t.person_id JOIN organisations o ON o.id = p.organisation_id
      WHERE t.token_hash = ${hashToken(match[1]!)} AND t.revoked_at IS NULL`;
    if (!caller) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return problem(c, 401, 'Invalid token', 'The token is unknown or was revoked.');
    }
    c.set('caller', caller);
    await next();
  };
}
