/**
 * Sign-in for people (not API clients): a single-use link sent by email opens a session whose
 * secret lives only in an HttpOnly cookie. Only hashes of link and session secrets are stored.
 */
import { randomBytes } from 'node:crypto';
import { hashToken } from '../usecases/tokens.js';
import type { Caller } from '../usecases/caller.js';
import type { Queryable, Sql } from '../infra/db.js';

/** How long an emailed link can be used (once). */
export const LINK_TTL_MINUTES = 15;
/** How long a session lasts before the person signs in again. */
export const SESSION_TTL_HOURS = 12;

export interface SignedIn extends Caller {
  name: string;
  sessionId: string;
}

export const newSecret = () => randomBytes(32).toString('base64url');

/** The person with this address, if any; for sending a sign-in link. */
export async function personByEmail(sql: Queryable, email: string) {
  const [row] = await sql<{ id: string; name: string; email: string; language: 'en' | 'nl' }[]>`
    SELECT id, name, email, language FROM people WHERE lower(email) = lower(${email})`;
  return row;
}

/**
 * Makes a link secret for a person and returns it (only its hash is stored), unless they were
 * sent `maxPerQuarter` links in the last quarter hour already: a bound on mail to one inbox. The
 * person's row is locked meanwhile, so simultaneous requests cannot all slip under the bound.
 */
export async function createSignInLink(sql: Sql, personId: string, maxPerQuarter: number): Promise<{ id: string; token: string } | undefined> {
  const token = newSecret();
  return sql.begin(async (tx) => {
    await tx`SELECT 1 FROM people WHERE id = ${personId} FOR UPDATE`;
    // Links and sessions that ended a day ago are of no use to anyone: they go.
    await tx`DELETE FROM sign_in_links WHERE person_id = ${personId} AND expires_at < now() - interval '1 day'`;
    await tx`DELETE FROM web_sessions WHERE person_id = ${personId} AND (expires_at < now() - interval '1 day' OR ended_at < now() - interval '1 day')`;
    const [recent] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM sign_in_links WHERE person_id = ${personId} AND created_at > now() - interval '15 minutes'`;
    if (recent!.n >= maxPerQuarter) return undefined;
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO sign_in_links (person_id, token_hash, expires_at)
      VALUES (${personId}, ${hashToken(token)}, now() + make_interval(mins => ${LINK_TTL_MINUTES})) RETURNING id`;
    return { id: row!.id, token };
  });
}

/**
 * Uses a link: succeeds once, before it expires. The single UPDATE makes two concurrent uses of
 * the same link impossible: only one of them sees `used_at` still empty.
 */
export async function useSignInLink(sql: Queryable, token: string): Promise<{ personId: string } | { refused: LinkRefusal }> {
  const [used] = await sql<{ personId: string }[]>`
    UPDATE sign_in_links SET used_at = now()
    WHERE token_hash = ${hashToken(token)} AND used_at IS NULL AND expires_at > now()
    RETURNING person_id AS "personId"`;
  return used ?? { refused: (await signInLinkRefusal(sql, token)) ?? 'expired' };
}

export type LinkRefusal = 'unknown' | 'used' | 'expired';

/** Why a link cannot be used (without using it), or undefined when it still can be. */
export async function signInLinkRefusal(sql: Queryable, token: string): Promise<LinkRefusal | undefined> {
  const [link] = token ? await sql<{ used: boolean; expired: boolean }[]>`
    SELECT used_at IS NOT NULL AS used, expires_at <= now() AS expired FROM sign_in_links WHERE token_hash = ${hashToken(token)}` : [];
  return !link ? 'unknown' : link.used ? 'used' : link.expired ? 'expired' : undefined;
}

/** The person's language, for their pages and for every email to them. */
export async function saveLanguage(sql: Queryable, personId: string, language: 'en' | 'nl'): Promise<void> {
  await sql`UPDATE people SET language = ${language} WHERE id = ${personId}`;
}

export async function openSession(sql: Queryable, personId: string): Promise<string> {
  const token = newSecret();
  await sql`INSERT INTO web_sessions (person_id, token_hash, expires_at) VALUES (${personId}, ${hashToken(token)}, now() + make_interval(hours => ${SESSION_TTL_HOURS}))`;
  return token;
}

export async function sessionPerson(sql: Queryable, token: string): Promise<SignedIn | undefined> {
  const [row] = await sql<SignedIn[]>`
    SELECT s.id AS "sessionId", p.id AS "personId", p.name, p.organisation_id AS "organisationId", o.kind AS "organisationKind", p.role, p.language
    FROM web_sessions s JOIN people p ON p.id = s.person_id JOIN organisations o ON o.id = p.organisation_id
    WHERE s.token_hash = ${hashToken(token)} AND s.ended_at IS NULL AND s.expires_at > now()`;
  return row;
}

export async function endSession(sql: Queryable, sessionId: string): Promise<void> {
  await sql`UPDATE web_sessions SET ended_at = now() WHERE id = ${sessionId} AND ended_at IS NULL`;
}
