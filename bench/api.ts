/**
 * The SafeRoutes HTTP API served in this process on a free port, as api/run.ts serves it — with a
 * database pool and a Temporal client of its own, as the API process has — and called over real
 * HTTP, each changing request with its own Idempotency-Key, as the API asks of its clients.
 */
import { randomUUID } from 'node:crypto';
import { createApp } from '../server/app.js';
import { issueToken } from '../usecases/tokens.js';
import { listen } from '../server/listen.js';
import { connectDb } from '../infra/db.js';
import { createMailer } from '../infra/mailer.js';
import { createTemporalClient } from '../infra/temporal.js';
import type { Member } from '../test/support/fixtures.js';
import { freePort } from '../test/support/ports.js';
import type { BenchStack } from './stack.js';

export interface BenchApi {
  /** POSTs `body` as `who`; resolves with the answer's JSON, rejects unless the status is `expect`. */
  post(who: Member, path: string, body: unknown, expect: number): Promise<unknown>;
  /** GETs `path` as `who`; resolves with the answer's JSON, rejects unless it is a 200. */
  get(who: Member, path: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function serveBenchApi(stack: BenchStack, taskQueue: string): Promise<BenchApi> {
  const sql = connectDb(stack.databaseUrl);
  const { client, connection } = createTemporalClient(stack.address, 'default', stack.dataConverter);
  // The routes measured here send no mail; a transport connects only when it sends.
  const mailer = createMailer('smtp://127.0.0.1:25');
  const app = createApp({ temporal: client, temporalConnection: connection, sql, mailer, config: { publicUrl: 'http://saferoutes.bench', mailFrom: 'SafeRoutes <no-reply@saferoutes.bench>' }, taskQueue });
  const server = await listen(app, '127.0.0.1', await freePort());
  const tokens = new Map<string, string>();
  const tokenOf = async (who: Member) => {
    let token = tokens.get(who.personId);
    if (!token) tokens.set(who.personId, (token = (await issueToken(stack.sql, who.personId, 'bench')).token));
    return token;
  };
  return {
    async post(who, path, body, expect) {
      const token = await tokenOf(who);
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify(body),
      });
      const answer: unknown = await response.json();
      if (response.status !== expect) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },
    async get(who, path) {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await tokenOf(who)}` } });
      const answer: unknown = await response.json();
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },
    async close() {
      await server.close();
      await connection.close().catch(() => undefined);
      mailer.close();
      await sql.end({ timeout: 5 });
    },
  };
}
