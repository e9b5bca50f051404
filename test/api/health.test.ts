// /health answers 503 naming the part that cannot be reached.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { issueToken } from '../../api/auth.js';
import { connectDb } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createCaseRow, createParties } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { PUBLIC_URL, TEST_MAIL_FROM, testDataConverter, testDb, testClient } from '../support/stack.js';

describe('GET /health', () => {
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

  it('is 503 naming PostgreSQL when it is down', async () => {
    const app = await appWith({ databaseUrl: `postgres://nobody:x@127.0.0.1:${await freePort()}/none` });
    const response = await app.request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'degraded', temporal: 'up', postgres: 'down', smtp: 'up' });
  });

  it('is 503 naming SMTP when it is down', async () => {
    const app = await appWith({ smtpUrl: `smtp://127.0.0.1:${await freePort()}` });
    const response = await app.request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ smtp: 'down', postgres: 'up', temporal: 'up' });
  });

  it('is 503 naming Temporal when it is down, and a case read then answers from the projection, marked stale', async () => {
    const app = await appWith({ temporalAddress: `127.0.0.1:${await freePort()}` });
    const response = await app.request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ temporal: 'down', postgres: 'up', smtp: 'up' });

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
