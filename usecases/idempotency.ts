/**
 * `Idempotency-Key`: a person's retry of the same request gets the first answer (status and
 * body) and changes nothing twice. The key also derives the Temporal update id, so even an answer
 * that was never recorded (the process died) is not applied twice: the workflow remembers it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Sql } from '../infra/db.js';
import { ProblemError } from './problem.js';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** A request in progress: its seed derives every id it makes (texts, rows, the update id). */
export interface RequestScope {
  personId: string;
  /** The caller's key; absent, a random one that keeps the API's own retries safe. */
  key: string | undefined;
  seed: string;
  hash: string;
}

export const hashRequest = (request: unknown): string => createHash('sha256').update(JSON.stringify(request)).digest('hex');

/** The Temporal update id for a request: the same person and key, the same update. */
export const updateIdOf = (scope: RequestScope): string => `req-${createHash('sha256').update(scope.seed).digest('hex').slice(0, 40)}`;

export function requestScope(personId: string, key: string | undefined, request: unknown): RequestScope {
  return { personId, key, seed: `${personId}:${key ?? randomUUID()}`, hash: hashRequest(request) };
}

const reused = () =>
  new ProblemError(409, 'Idempotency-Key reused', 'This Idempotency-Key was used before with a different request. Use a new key for a new request.');

/**
 * Registers the request under its key. Returns the stored answer if the key was used before for
 * this same request and answered, and the resource id chosen the first time (for creations).
 */
export async function beginRequest(sql: Sql, scope: RequestScope, resourceId?: string): Promise<{ answer?: StoredAnswer; resourceId?: string }> {
  if (!scope.key) return { resourceId };
  // The first use of a key records it and is done in one round trip; a retry reads what is there.
  const [fresh] = await sql<{ resourceId: string | null }[]>`
    INSERT INTO idempotent_requests (person_id, key, request_hash, resource_id)
    VALUES (${scope.personId}, ${scope.key}, ${scope.hash}, ${resourceId ?? null})
    ON CONFLICT (person_id, key) DO NOTHING
    RETURNING resource_id AS "resourceId"`;
  if (fresh) return { resourceId: fresh.resourceId ?? undefined };
  const [row] = await sql<{ hash: string; resourceId: string | null; status: number | null; body: unknown }[]>`
    SELECT request_hash AS hash, resource_id AS "resourceId", status, body FROM idempotent_requests WHERE person_id = ${scope.personId} AND key = ${scope.key}`;
  if (!row) throw new ProblemError(503, 'PostgreSQL is unavailable', 'The request was not recorded. Send it again with the same Idempotency-Key.', {}, 5);
  if (row.hash !== scope.hash) throw reused();
  return { answer: row.status === null ? undefined : { status: row.status, body: row.body }, resourceId: row.resourceId ?? undefined };
}

/**
 * Records the answer (the first one recorded wins) and returns the recorded one. If PostgreSQL
 * cannot take it, the answer is still the truth: it is returned, and a retry asks the workflow,
 * which remembers the update.
 */
export async function finishRequest(sql: Sql, scope: RequestScope, answer: StoredAnswer): Promise<StoredAnswer> {
  if (!scope.key) return answer;
  try {
    // Returned as stored, so every attempt's answer is byte for byte the same (jsonb orders keys).
    const [recorded] = await sql<StoredAnswer[]>`
      UPDATE idempotent_requests SET status = ${answer.status}, body = ${sql.json(answer.body as never)}, completed_at = now()
      WHERE person_id = ${scope.personId} AND key = ${scope.key} AND status IS NULL
      RETURNING status, body`;
    if (recorded) return recorded;
    // Another attempt recorded its answer first: that one is the answer.
    const [row] = await sql<StoredAnswer[]>`SELECT status, body FROM idempotent_requests WHERE person_id = ${scope.personId} AND key = ${scope.key}`;
    return row?.status ? row : answer;
  } catch {
    return answer;
  }
}
