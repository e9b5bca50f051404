// The whole of SafeRoutes as `npm start` runs it (API, pages, worker, mail dispatcher in one
// process), logging at debug level as JSON, driven through a case with a canary word in every
// place a person's data can be: names, email addresses, a household, a housing address, an
// agreement's text, reasons, a search, a sign-in, a bad request. The log must be JSON lines, carry
// the request id on every line of a request and the Temporal SDK's own lines — and never the canary,
// nor a token. Its /metrics must carry the application's and the SDK's metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { connectDb, type Sql } from '../../infra/db.js';
import { projectRoot } from '../../infra/paths.js';
import { issueToken } from '../../usecases/tokens.js';
import { createParties, type Member } from '../support/fixtures.js';
import { freePorts } from '../support/ports.js';

const CANARY = 'Qwyzzelbrook';

describe('the log of a whole running system', () => {
  let child: ChildProcess;
  let output = '';
  let baseUrl = '';
  let workerMetricsUrl = '';
  let admin: Sql;
  let sql: Sql;
  let database = '';
  const tokens: string[] = [];
  const requestIds: string[] = [];

  beforeAll(async () => {
    const [port, workerMetricsPort] = (await freePorts(2)) as [number, number];
    workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    database = `logs_${port}`;
    // A database of its own: the process's mail dispatcher sends only this test's mail.
    admin = connectDb(inject('databaseUrl'), { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${database}`);
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${database}`;
    const dataDir = join(inject('scratchDir'), `logs-${port}`);
    mkdirSync(dataDir, { recursive: true });
    child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts', 'start.ts')], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        VITEST: '',
        NODE_ENV: '',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'debug',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        // The worker's own /metrics, as a worker running on its own serves it.
        WORKER_METRICS_PORT: String(workerMetricsPort),
        DATA_DIR: dataDir,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        DATABASE_URL: url.toString(),
        SMTP_URL: inject('smtpUrl'),
        PAYLOAD_ENCRYPTION_KEYS: inject('payloadEncryptionKeys'),
        WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
        EXIT_WITH_PARENT: '1',
      },
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    baseUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start's entry point exited with ${child.exitCode}:\n${output.slice(-3000)}`);
      const ready = await fetch(`${baseUrl}/health/ready`).then((r) => r.ok, () => false);
      if (ready && output.includes('SafeRoutes is running')) break;
      if (Date.now() > deadline) throw new Error(`not ready within 90 s:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    sql = connectDb(url.toString(), { max: 2 });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await sql?.end();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin?.end();
  });

  async function call(token: string | undefined, method: string, path: string, body?: unknown, raw?: string): Promise<Response> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
    });
    const id = response.headers.get('x-request-id');
    if (id) requestIds.push(id);
    return response;
  }

  it('runs a journey full of personal data and logs none of it', async () => {
    const { members, parties } = await createParties(sql, builtInTemplates['community-sponsorship']!);
    const token: Record<string, string> = {};
    for (const [slot, member] of Object.entries(members) as [string, Member][]) {
      // Every person's name and address carries the canary.
      await sql`UPDATE people SET name = ${`${CANARY} ${slot}`}, email = ${`${CANARY.toLowerCase()}.${slot}@example.test`} WHERE id = ${member.personId}`;
      token[slot] = (await issueToken(sql, member.personId, 'logs')).token;
      tokens.push(token[slot]!);
    }

    const created = await call(token.sponsor, 'POST', '/v1/cases', {
      reference: 'LOG-1',
      pathwayId: 'community-sponsorship',
      parties,
      household: { principalName: `${CANARY} Principal`, needs: [`${CANARY} needs a ground floor`] },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const gate = (g: string, action: string) => `/v1/cases/${id}/gates/${g}/${action}`;
    // Refused, with the caller's text in it; then applied, with reasons and texts.
    expect((await call(token.coordinator, 'POST', gate('eligibility', 'decision'), { outcome: 'reject' })).status).toBe(409);
    expect((await call(token.coordinator, 'POST', gate('eligibility', 'decision'), { outcome: 'approve', reason: `${CANARY} is eligible` })).status).toBe(200);
    expect((await call(token.coordinator, 'POST', gate('sponsor-plan', 'decision'), { outcome: 'approve' })).status).toBe(200);
    expect((await call(token.municipality, 'POST', gate('municipal-consent', 'decision'), { outcome: 'approve' })).status).toBe(200);
    const validUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const offered = await call(token.municipality, 'POST', gate('housing', 'offer'), { address: `${CANARY}straat 1, Utrecht`, rooms: 3, accessible: true, availableFrom: '2027-02-01', validUntil });
    expect(offered.status).toBe(200);
    const offerId = ((await offered.json()) as { gates: { detail: { offers: { offerId: string }[] } }[] }).gates[0]!.detail.offers[0]!.offerId;
    expect((await call(token.sponsor, 'POST', gate('housing', 'decline'), { offerId, reason: `${CANARY} cannot climb stairs` })).status).toBe(200);
    // A bad request that quotes the canary, malformed JSON with it, and a search for it.
    expect((await call(token.sponsor, 'POST', '/v1/cases', { reference: CANARY, pathwayId: 'no-such-pathway', parties: {}, household: { principalName: CANARY } })).status).toBe(400);
    expect((await call(token.sponsor, 'POST', '/v1/cases', undefined, `{"reference": "${CANARY}`)).status).toBe(400);
    expect((await call(token.coordinator, 'GET', `/v1/cases?q=${CANARY}`)).status).toBe(200);
    // Someone signs in on the pages with a canary address (a link is emailed at once).
    const form = await fetch(`${baseUrl}/sign-in`);
    const cookie = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const signIn = await fetch(`${baseUrl}/sign-in`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, email: `${CANARY.toLowerCase()}.sponsor@example.test` }), headers: { origin: baseUrl, cookie } });
    expect(signIn.status).toBe(200);
    // The worker has projected the case and its timeline (so its activities have run and logged).
    await expect.poll(async () => (await sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${id}`)[0]!.n, { timeout: 30_000, interval: 300 }).toBeGreaterThanOrEqual(6);
    await expect.poll(async () => (await sql`SELECT count(*)::int AS n FROM notifications WHERE template = 'sign-in' AND sent_at IS NOT NULL`)[0]!.n, { timeout: 30_000, interval: 300 }).toBe(1);

    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^saferoutes_actions_total\{action="decide",outcome="applied"\} 3$/m);
    expect(metrics).toMatch(/^saferoutes_actions_total\{action="decide",outcome="refused"\} 1$/m);
    expect(metrics).toMatch(/^saferoutes_notifications_delivered_total\{result="sent"\} [1-9]/m);
    expect(metrics).toMatch(/^saferoutes_http_request_duration_seconds_count\{method="POST",route="\/v1\/cases\/:id\/gates\/:gateId\/decision",status="200"\} 3$/m);
    // The Temporal SDK's runtime metrics, from the worker in the same process.
    expect(metrics).toMatch(/^temporal_workflow_task_execution_latency_seconds_count\{/m);
    expect(metrics).not.toContain(CANARY);
    const workerMetrics = await fetch(workerMetricsUrl);
    expect(workerMetrics.status).toBe(200);
    expect(await workerMetrics.text()).toMatch(/^temporal_activity_execution_latency_seconds_count\{/m);
    expect((await fetch(workerMetricsUrl.replace('/metrics', '/other'))).status).toBe(404);

    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    if (process.env.KEEP_LOG_OUTPUT) (await import('node:fs')).writeFileSync(process.env.KEEP_LOG_OUTPUT, output);
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line.slice(0, 300)}`);
      }
    });
    // The request id on each request's line, the very ids the answers carried.
    const http = parsed.filter((l) => l.component === 'http');
    expect(http.length).toBeGreaterThanOrEqual(requestIds.length);
    for (const line of http) expect(line.requestId).toEqual(expect.any(String));
    for (const requestId of requestIds) expect(http.some((l) => l.requestId === requestId)).toBe(true);
    // The SDK's own lines (workflows and activities, at debug level) are in the same stream.
    expect(parsed.some((l) => l.component === 'temporal' && typeof l.workflowId === 'string')).toBe(true);
    expect(parsed.some((l) => l.component === 'temporal' && typeof l.activityType === 'string')).toBe(true);

    expect(output.toLowerCase()).not.toContain(CANARY.toLowerCase());
    for (const t of tokens) expect(output).not.toContain(t);
    expect(output).not.toMatch(/Bearer /i);
    // Nor the key that encrypts Temporal payloads, as text or as the bytes the SDK would print.
    const key = inject('payloadEncryptionKeys').split(':')[1]!;
    expect(output).not.toContain(key);
    expect(output).not.toContain(JSON.stringify([...Buffer.from(key, 'base64')]).slice(1, -1));
  }, 120_000);
});
