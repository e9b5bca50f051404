// Faults against the real servers, one after another, with 60 cases in a programme on a clock of
// seconds: the worker killed (-9) while timers fire, people act and pages read; the worker
// restarted twice more (cold caches); the Temporal server restarted; PostgreSQL stopped for 20 s;
// SMTP down for 30 s. Actions are posted during each and retried with their Idempotency-Key.
// Asserted on outcomes: every case goes on and still replays, nothing accepted is lost or applied
// twice, every email goes out exactly once, and no caller ever got a 500 or waited for ever.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueToken } from '../../usecases/tokens.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { caseStateQuery, caseWorkflowId, programmeWorkflowId } from '../../workflows/contract.js';
import { inParallel } from '../../activities/parallel.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { createParties, type Member } from '../support/fixtures.js';
import { testDataConverter } from '../support/stack.js';

const CASES = 60;
const QUOTA = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Outside a test (setup), where expect.poll is not allowed. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** Community sponsorship on a clock of seconds: reminders and escalations fire all through the faults. */
const template = {
  ...builtInTemplates['community-sponsorship']!,
  id: 'fault-sponsorship',
  stages: builtInTemplates['community-sponsorship']!.stages.map((stage) => ({
    ...stage,
    gates: stage.gates.map((g) => ({ ...g, time: { dueIn: '40 seconds', remindAt: ['15 seconds'], escalateEvery: '60 seconds' } })),
  })),
};

interface Answer {
  status: number;
  body: any;
  ms: number;
}

describe('outages of every part, with 60 cases', () => {
  let f: FaultStack;
  let m: Record<string, Member>;
  let parties: Record<string, string>;
  const tokens = new Map<string, string>();
  let programmeId: string;
  const caseIds: string[] = [];
  /** Every answer the API gave in this suite. */
  const answers: Answer[] = [];
  const figures: string[] = [];

  async function call(who: Member, method: string, path: string, body?: unknown, key?: string): Promise<Answer> {
    let token = tokens.get(who.personId);
    if (!token) {
      token = (await issueToken(f.sql, who.personId, 'fault')).token;
      tokens.set(who.personId, token);
    }
    const started = Date.now();
    const response = await f.app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = { status: response.status, body: await response.json().catch(() => null), ms: Date.now() - started };
    answers.push(answer);
    return answer;
  }

  /** Posts until the outcome is known (200 or 409), with the same key every time. */
  async function untilKnown(who: Member, path: string, body: unknown, key: string, deadlineMs = 90_000): Promise<Answer> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const a = await call(who, 'POST', path, body, key);
      if (a.status !== 503) return a;
      if (Date.now() > deadline) throw new Error(`${path} still 503 after ${deadlineMs} ms: ${JSON.stringify(a.body)}`);
      await sleep(1_000);
    }
  }

  const gate = (caseId: string, gateId: string, action: string) => `/v1/cases/${caseId}/gates/${gateId}/${action}`;
  const eventCount = async (caseId: string, kind: string, gateId?: string) =>
    Number((await f.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${caseId} AND kind = ${kind} ${gateId ? f.sql`AND data->>'gateId' = ${gateId}` : f.sql``}`)[0]!.n);
  const programmeQuota = async () => (await call(m.coordinator!, 'GET', `/v1/programmes/${programmeId}`)).body?.state?.quota;

  beforeAll(async () => {
    f = await startFaultStack('outages');
    await f.worker.start();
    ({ members: m, parties } = await createParties(f.sql, template as never));
    const created = await call(m.coordinator!, 'POST', '/v1/programmes', { name: 'Fault programme', pathway: template, quota: QUOTA, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator] }, 'programme');
    expect(created.status).toBe(201);
    programmeId = created.body.id;
    await untilKnown(m.coordinator!, `/v1/programmes/${programmeId}/agreement/publish`, { title: 'MoU', text: 'Terms' }, 'mou-publish');
    expect((await untilKnown(m.coordinator!, `/v1/programmes/${programmeId}/agreement/sign`, { version: 1 }, 'mou-sign')).body.status).toBe('active');
    const made = await inParallel([...Array(CASES).keys()], 6, async (i) => {
      const a = await call(m.coordinator!, 'POST', '/v1/cases', { reference: `F-${i}`, programmeId, parties, household: { principalName: `Household ${i}` } }, `case-${i}`);
      expect(a.status).toBe(201);
      return a.body.id as string;
    });
    caseIds.push(...made);
    await inParallel(caseIds, 6, async (id) => expect((await untilKnown(m.coordinator!, gate(id, 'eligibility', 'decision'), { outcome: 'approve' }, `eligible-${id}`)).status).toBe(200));
    // The programme counts a place when it grants it; the case's own projection shows it a moment
    // later (after the case has the programme's answer): wait for both.
    await waitFor(async () => {
      const q = await programmeQuota();
      return q?.reserved === QUOTA && q?.waitlisted === CASES - QUOTA && (await active()).length === QUOTA;
    }, 60_000);
  }, 300_000);

  afterAll(async () => {
    await f?.stop();
    if (figures.length) console.log(`fault suite figures:\n  ${figures.join('\n  ')}`);
  });

  /** The cases holding a place, at commitment: the first for approvals, the next for info requests, then withdrawals. */
  const active = async () => (await f.sql<{ id: string }[]>`SELECT id FROM cases WHERE programme_id = ${programmeId} AND place = 'reserved' AND status = 'active' ORDER BY reference`).map((r) => r.id);
  let approvals: string[] = [];
  let infoRequests: string[] = [];
  let withdrawals: string[] = [];
  const firstAnswers = new Map<string, Answer>();

  it('worker killed (-9) with timers firing: actions answer 503 at once, reads fall back to the projection; retried with their keys they apply once', async () => {
    const ids = await active();
    expect(ids.length).toBe(QUOTA);
    approvals = ids.slice(0, 20);
    infoRequests = ids.slice(20, 30);
    withdrawals = ids.slice(30, 35);
    const killedAt = Date.now();
    await f.worker.kill9();

    const acting = [
      ...approvals.map((id) => () => call(m.coordinator!, 'POST', gate(id, 'sponsor-plan', 'decision'), { outcome: 'approve' }, `plan-${id}`)),
      ...infoRequests.map((id) => () => call(m.municipality!, 'POST', gate(id, 'municipal-consent', 'decision'), { outcome: 'request_info', reason: 'please send the rental contract' }, `info-${id}`)),
      ...withdrawals.map((id) => () => call(m.coordinator!, 'POST', `/v1/cases/${id}/withdraw`, { reason: 'the family found another route' }, `withdraw-${id}`)),
    ];
    const reading = caseIds.map((id) => () => call(m.sponsor!, 'GET', `/v1/cases/${id}`));
    // Someone looking at cases in the Temporal Web UI meanwhile: queries straight to the workflows,
    // still waiting when the worker comes back — the trap workflows/legacy-query-guard.ts defuses.
    const looking = Promise.all(
      caseIds.map((id) =>
        f.client
          .withDeadline(Date.now() + 60_000, () => f.client.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery))
          .then(
            () => 'answered',
            (e: Error) => (/StaleCacheForQuery|evicting/.test(String(e.message)) ? 'refused by the guard' : 'failed'),
          ),
      ),
    );
    const [acted, read] = await Promise.all([inParallel(acting, 35, (go) => go()), inParallel(reading, 10, (go) => go())]);
    for (const a of acted) expect(a.status, JSON.stringify(a.body)).toBe(503);
    expect(acted.every((a) => a.body.detail.includes('same Idempotency-Key'))).toBe(true);
    for (const r of read) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ source: 'projection', stale: true });
      expect(r.ms).toBeLessThan(4_000);
    }
    figures.push(`worker down: ${acted.length} actions answered 503 in at most ${Math.max(...acted.map((a) => a.ms))} ms; ${read.length} reads answered from the projection in at most ${Math.max(...read.map((a) => a.ms))} ms`);

    // Timers fire while no worker runs; the texts people wrote are kept, not rolled back.
    await sleep(Math.max(0, killedAt + 20_000 - Date.now()));
    expect(Number((await f.sql`SELECT count(*)::int AS n FROM texts WHERE case_id = ANY(${infoRequests}::uuid[])`)[0]!.n)).toBe(infoRequests.length);
    await f.worker.start();
    const recoveredAt = Date.now();
    const looked = await looking;
    const count = (what: string) => looked.filter((l) => l === what).length;
    figures.push(`queries waiting through the outage: ${count('answered')} answered, ${count('refused by the guard')} refused by the guard (evicted, replayed), ${count('failed')} failed otherwise`);
    const retried = await inParallel(acting.map((_, i) => i), 8, async (i) => {
      const [id, path, body, key, who] =
        i < 20
          ? [approvals[i]!, gate(approvals[i]!, 'sponsor-plan', 'decision'), { outcome: 'approve' }, `plan-${approvals[i]}`, m.coordinator!]
          : i < 30
            ? [infoRequests[i - 20]!, gate(infoRequests[i - 20]!, 'municipal-consent', 'decision'), { outcome: 'request_info', reason: 'please send the rental contract' }, `info-${infoRequests[i - 20]}`, m.municipality!]
            : [withdrawals[i - 30]!, `/v1/cases/${withdrawals[i - 30]}/withdraw`, { reason: 'the family found another route' }, `withdraw-${withdrawals[i - 30]}`, m.coordinator!];
      const a = await untilKnown(who, path, body, key);
      firstAnswers.set(key, a);
      // Once known, the same key gets the same answer, however often.
      const again = await call(who, 'POST', path, body, key);
      expect({ status: again.status, body: again.body }).toEqual({ status: a.status, body: a.body });
      return { id, a };
    });
    for (const { a } of retried) expect(a.status, JSON.stringify(a.body)).toBe(200);
    figures.push(`worker back: every action known within ${((Date.now() - recoveredAt) / 1000).toFixed(1)} s of the restart`);

    // Applied exactly once each, though sent twice or more.
    const settling = Date.now();
    for (const id of approvals) await expect.poll(() => eventCount(id, 'gate_approved', 'sponsor-plan'), { timeout: 30_000 }).toBe(1);
    // Each answer came from the workflow; its timeline is written by the projection just after.
    for (const id of infoRequests) await expect.poll(() => eventCount(id, 'information_requested', 'municipal-consent'), { timeout: 30_000 }).toBe(1);
    for (const id of withdrawals) await expect.poll(() => eventCount(id, 'case_withdrawn'), { timeout: 30_000 }).toBe(1);
    // The withdrawn cases' places went to the cases waiting longest.
    await expect.poll(programmeQuota, { timeout: 60_000, interval: 500 }).toMatchObject({ reserved: QUOTA, waitlisted: CASES - QUOTA - withdrawals.length });
    figures.push(`worker back: applied once and places given to the waiting list within ${((Date.now() - settling) / 1000).toFixed(1)} s more`);
  }, 240_000);

  it('the worker restarted twice more (its cache cold each time): the cases go on', async () => {
    await f.worker.stop();
    await f.worker.start();
    const consent = await inParallel(approvals.slice(0, 5), 5, (id) => untilKnown(m.municipality!, gate(id, 'municipal-consent', 'decision'), { outcome: 'approve' }, `consent-${id}`));
    for (const a of consent) expect(a.body.stage.id).toBe('housing');
    await f.worker.kill9();
    await f.worker.start();
    const offered = await inParallel(approvals.slice(0, 5), 5, (id) =>
      untilKnown(m.municipality!, gate(id, 'housing', 'offer'), { address: 'Oudegracht 1', rooms: 3, accessible: true, availableFrom: '2027-01-01', validUntil: new Date(Date.now() + 86_400_000).toISOString() }, `offer-${id}`),
    );
    for (const a of offered) expect(a.status).toBe(200);
  }, 180_000);

  it('Temporal restarted: actions answer 503 fast, reads and the board say so; retried with their keys they apply once', async () => {
    await f.temporal.stop();
    let during: Answer[];
    let read: Answer;
    let board: Answer;
    try {
      during = await inParallel(approvals.slice(5, 15), 10, (id) => call(m.municipality!, 'POST', gate(id, 'municipal-consent', 'decision'), { outcome: 'approve' }, `consent-${id}`));
      read = await call(m.sponsor!, 'GET', `/v1/cases/${approvals[5]}`);
      board = await call(m.coordinator!, 'GET', '/v1/stuck');
    } finally {
      await f.temporal.start();
    }
    for (const a of during) {
      expect(a.status).toBe(503);
      expect(a.ms).toBeLessThan(12_000);
    }
    expect(read).toMatchObject({ status: 200, body: { source: 'projection', stale: true } });
    expect(board.status).toBe(200);
    expect(board.body.system).toEqual({ temporal: 'down', workers: null });
    const started = Date.now();
    const after = await inParallel(approvals.slice(5, 15), 5, (id) => untilKnown(m.municipality!, gate(id, 'municipal-consent', 'decision'), { outcome: 'approve' }, `consent-${id}`, 120_000));
    for (const a of after) expect(a.status, JSON.stringify(a.body)).toBe(200);
    figures.push(`Temporal restart: ${during.length} actions answered 503 in at most ${Math.max(...during.map((a) => a.ms))} ms; all applied within ${((Date.now() - started) / 1000).toFixed(1)} s of the restart`);
    for (const id of approvals.slice(5, 15)) await expect.poll(() => eventCount(id, 'gate_approved', 'municipal-consent'), { timeout: 30_000 }).toBe(1);
  }, 240_000);

  it('PostgreSQL stopped for 20 s: requests answer 503 without hanging, the processes live on, and the projection catches up', async () => {
    const workerPid = f.worker.pid();
    const stoppedAt = Date.now();
    await f.postgres.stop();
    const during: (Answer & { what: string })[] = [];
    try {
      while (Date.now() - stoppedAt < 20_000) {
        during.push({ what: 'list', ...(await call(m.coordinator!, 'GET', '/v1/cases?limit=5')) });
        during.push({ what: 'nudge', ...(await call(m.coordinator!, 'POST', `/v1/cases/${approvals[15]}/nudge`, { gateId: 'municipal-consent' }, `nudge-${approvals[15]}`)) });
        during.push({ what: 'board', ...(await call(m.coordinator!, 'GET', '/v1/stuck')) });
        await sleep(2_000);
      }
    } finally {
      await f.postgres.start();
    }
    for (const a of during) {
      expect(a.status, `${a.what}: ${JSON.stringify(a.body)}`).toBe(503);
      expect(a.ms, `${a.what} took ${a.ms} ms`).toBeLessThan(8_000);
    }
    expect(process.kill(workerPid!, 0)).toBe(true); // the worker process is still there
    const nudged = await untilKnown(m.coordinator!, `/v1/cases/${approvals[15]}/nudge`, { gateId: 'municipal-consent' }, `nudge-${approvals[15]}`);
    expect(nudged.status).toBe(200);
    await expect.poll(() => eventCount(approvals[15]!, 'gate_nudged'), { timeout: 30_000 }).toBe(1);
    figures.push(`PostgreSQL down 20 s: ${during.length} requests answered 503 in at most ${Math.max(...during.map((a) => a.ms))} ms`);
    // Every case's projection catches up with its workflow.
    await expect
      .poll(
        async () => {
          const behind = await inParallel(caseIds, 10, async (id) => {
            const live = await f.client.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery);
            const [row] = await f.sql<{ version: string }[]>`SELECT state_version::text AS version FROM cases WHERE id = ${id}`;
            return Number(row!.version) < live.version ? 1 : 0;
          });
          return behind.reduce((a: number, b: number) => a + b, 0);
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(0);
  }, 180_000);

  it('SMTP down for 30 s: cases go on, failing emails show on the board, and each goes out once when it is back', async () => {
    await f.smtp.stop();
    const downAt = Date.now();
    try {
      const [before] = await f.sql<{ v: string }[]>`SELECT state_version::text AS v FROM cases WHERE id = ${approvals[16]!}`;
      expect((await untilKnown(m.coordinator!, `/v1/cases/${approvals[16]}/nudge`, { gateId: 'municipal-consent' }, `nudge-smtp-${approvals[16]}`)).status).toBe(200);
      // The case moves on without its email: its projection (written with the email queued) is newer.
      await expect.poll(async () => Number((await f.sql<{ v: string }[]>`SELECT state_version::text AS v FROM cases WHERE id = ${approvals[16]!}`)[0]!.v), { timeout: 10_000 }).toBeGreaterThan(Number(before!.v));
      await expect
        .poll(async () => ((await call(m.coordinator!, 'GET', '/v1/stuck')).body.failing as { step: string }[]).filter((s) => s.step.startsWith('email:')).length, { timeout: 30_000 })
        .toBeGreaterThan(0);
      await sleep(Math.max(0, downAt + 30_000 - Date.now()));
    } finally {
      await f.smtp.start();
    }
    const backAt = Date.now();
    await expect.poll(async () => Number((await f.sql`SELECT count(*)::int AS n FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL`)[0]!.n), { timeout: 90_000, interval: 1_000 }).toBe(0);
    figures.push(`SMTP down 30 s: the backlog went out within ${((Date.now() - backAt) / 1000).toFixed(1)} s of its return`);
    await expect.poll(async () => ((await call(m.coordinator!, 'GET', '/v1/stuck')).body.failing as { step: string }[]).filter((s) => s.step.startsWith('email:')).length, { timeout: 30_000 }).toBe(0);
  }, 180_000);

  it('afterwards: every email went out exactly once, no caller got a 500, and every case and the programme still replay', async () => {
    const sent = await f.sql<{ messageId: string }[]>`SELECT message_id AS "messageId" FROM notifications WHERE sent_at IS NOT NULL`;
    const inbox = readdirSync(f.mailDir)
      .filter((name) => name.endsWith('.eml'))
      .map((name) => /^Message-ID:\s*(\S+)/im.exec(readFileSync(join(f.mailDir, name), 'utf8'))?.[1] ?? '');
    const seen = new Map<string, number>();
    for (const id of inbox) seen.set(id, (seen.get(id) ?? 0) + 1);
    expect([...seen.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(inbox)).toEqual(new Set(sent.map((r) => r.messageId)));
    figures.push(`emails: ${inbox.length} sent, each once`);

    expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
    figures.push(`API answers: ${answers.length}, statuses ${[...new Set(answers.map((a) => a.status))].sort().join(', ')}, slowest ${Math.max(...answers.map((a) => a.ms))} ms`);

    // Every run of every workflow, as a new worker would replay it after the next deploy.
    const workflowIds = [programmeWorkflowId(programmeId), ...caseIds.map(caseWorkflowId)];
    let replayed = 0;
    let largest = 0;
    for (const workflowId of workflowIds) {
      for await (const run of f.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        const history = await f.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
        largest = Math.max(largest, history.events?.length ?? 0);
        const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes?.failure?.message?.includes('Nondeterminism'));
        expect(failed, `${workflowId} had a nondeterminism failure`).toEqual([]);
        await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter(), replayName: workflowId }, history);
        replayed += 1;
      }
    }
    figures.push(`replayed ${replayed} workflow runs without a nondeterminism error (largest history ${largest} events)`);
    expect(replayed).toBeGreaterThanOrEqual(workflowIds.length);
  }, 240_000);
});
