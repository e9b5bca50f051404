// Liveness and readiness: /health/ready (and /health) answers 503 naming what keeps it from serving;
// a mail outage is reported but leaves it ready, since emails wait in their queue.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { issueToken } from '../../usecases/tokens.js';
import { connectDb } from '../../infra/db.js';
import { pendingMigrations } from '../../infra/migrate.js';
import { createMailer } from '../../infra/mailer.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createCaseRow, createParties } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { PUBLIC_URL, TEST_MAIL_FROM, testDataConverter, testDb, testClient } from '../support/stack.js';

describe('GET /health/live, /health/ready and /health', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  async function appWith(parts: { databaseUrl?: string; temporalAddress?: string; smtpUrl?: string }) {
    const sql = parts.databaseUrl ? connectDb(parts.databaseUrl) : testDb();
    const connection = createTemporalClient(parts.temporalAddress ?? inject('temporalAddress'), 'default', testDataConverter()).connection;
    closers.push(() => sql.end(), () => connection.close().catch(() => {}));
    return createApp({
      temporal: testClient(connection),
      temporalConnection: connection,
      sql,
      mailer: createMailer(parts.smtpUrl ?? inject('smtpUrl')),
      config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM },
      taskQueue: 'unused',
    });
  }

  it('is ready with everything up, and live', async () => {
    const app = await appWith({});
    for (const path of ['/health/ready', '/health']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(await response.json(), path).toEqual({ status: 'ok', temporal: 'up', postgres: 'up', migrations: 'applied', smtp: 'up' });
    }
    expect(await (await app.request('/health/live')).json()).toEqual({ status: 'live' });
  });

  it('is unready naming PostgreSQL when it is down, and still live', async () => {
    const app = await appWith({ databaseUrl: `postgres://nobody:x@127.0.0.1:${await freePort()}/none` });
    const response = await app.request('/health/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unready', temporal: 'up', postgres: 'down', migrations: 'unknown', smtp: 'up' });
    expect((await app.request('/health/live')).status).toBe(200);
  });

  it('is unready while the migrations this code expects are missing', async () => {
    // A database of its own that was never migrated, so the shared one stays as every other test needs it.
    const sql = testDb();
    closers.push(() => sql.end());
    const name = `unmigrated_${randomUUID().replaceAll('-', '')}`;
    await sql.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    const app = await appWith({ databaseUrl: url.toString() });
    const response = await app.request('/health/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unready', temporal: 'up', postgres: 'up', migrations: 'pending', smtp: 'up' });
    expect(await pendingMigrations(sql)).toEqual([]);
  });

  it('stays ready with mail down, reporting it: emails wait in their queue', async () => {
    const app = await appWith({ smtpUrl: `smtp://127.0.0.1:${await freePort()}` });
    const response = await app.request('/health/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'degraded', temporal: 'up', postgres: 'up', migrations: 'applied', smtp: 'down' });
  });

  it('is unready naming Temporal when it is down, and a case read then answers from the projection, marked stale', async () => {
    const app = await appWith({ temporalAddress: `127.0.0.1:${await freePort()}` });
    const response = await app.request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unready', temporal: 'down', postgres: 'up', smtp: 'up' });

    const sql = testDb();
    closers.push(() => sql.end());
    const template = builtInTemplates['resettlement']!;
    const { parties, members } = await createParties(sql, template);
    const { caseId } = await createCaseRow(sql, template, parties);
    const { token } = await issueToken(sql, members.coordinator!.personId);
    const started = Date.now();
    const read = await app.request(`/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: caseId, source: 'projection', stale: true });
    // Within a second or two, never the 30 s a hanging query would take.
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
