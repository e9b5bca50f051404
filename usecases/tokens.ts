/**
 * API tokens: only their sha256 is stored; a token is shown once when made. The API's bearer
 * tokens, the codec's operators and the pages' session cookies are all looked up by hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes a token for a person; returns the token itself, which is never stored. */
export async function issueToken(sql: Queryable, personId: string, label = ''): Promise<{ id: string; token: string }> {
  const token = `sr_${randomBytes(32).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`INSERT INTO api_tokens (person_id, token_hash, label) VALUES (${personId}, ${hashToken(token)}, ${label}) RETURNING id`;
  return { id: row!.id, token };
}

/** The person a token speaks for, unless it is unknown or revoked. */
export async function callerOfToken(sql: Queryable, token: string): Promise<Caller | undefined> {
  const [caller] = await sql<Caller[]>`
    SELECT p.id AS "personId", p.organisation_id AS "organisationId", o.kind AS "organisationKind", p.role, p.language
    FROM api_tokens t JOIN people p ON p.id = t.person_id JOIN organisations o ON o.id = p.organisation_id
    WHERE t.token_hash = ${hashToken(token)} AND t.revoked_at IS NULL`;
  return caller;
}
