/**
 * Pause and resume of a programme with many open cases: how long until every case holds, and
 * resumes; how large the programme's history and state grow. Beside it, the raw engine on the
 * same server: the same number of workflows started and updated, doing nothing else.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inParallel } from '../activities/parallel.js';
import { startCaseWorkflow } from '../usecases/create-case.js';
import { startProgrammeWorkflow } from '../usecases/create-programme.js';
import { programmeStateQuery, programmeUpdates, programmeWorkflowId } from '../workflows/contract.js';
import { oneStepTemplate } from '../test/support/templates.js';
import type { BenchStack } from './stack.js';

const AT_ONCE = 24;
const SLOW = { dueIn: '30 days', remindAt: [], escalateEvery: '30 days' };
const template = oneStepTemplate;

const seconds = (since: number) => (Date.now() - since) / 1000;

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** The raw engine: `count` workflows started, then each updated once, `AT_ONCE` at a time. */
async function rawEngine(stack: BenchStack, count: number) {
  const connection = await NativeConnection.connect({ address: stack.address });
  const worker = await Worker.create({ connection, taskQueue: 'bench-raw', workflowsPath: fileURLToPath(new URL('./raw-workflows.ts', import.meta.url)), dataConverter: stack.dataConverter, maxCachedWorkflows: 500, maxConcurrentWorkflowTaskExecutions: 10 });
  try {
    return await worker.runUntil(async () => {
      const run = randomUUID().slice(0, 6);
      let t = Date.now();
      const handles = await inParallel([...Array(count).keys()], AT_ONCE, (i) => stack.client.workflow.start('waitsForUpdates', { workflowId: `raw-${run}-${i}`, taskQueue: 'bench-raw' }));
      const startSeconds = seconds(t);
      t = Date.now();
      await inParallel(handles, AT_ONCE, (h) => h.executeUpdate('ping', { args: [1] }));
      const updateSeconds = seconds(t);
      await inParallel(handles, AT_ONCE, (h) => h.executeUpdate('ping', { args: [-1] }));
      return { startSeconds, updateSeconds };
    });
  } finally {
    await connection.close();
  }
}

export async function fanout(stack: BenchStack, count: number) {
  const { sql, client } = stack;
  const raw = await rawEngine(stack, count);
  console.log(`raw engine: ${count} workflows started in ${raw.startSeconds.toFixed(1)} s, updated once each in ${raw.updateSeconds.toFixed(1)} s`);

  const [coordinator] = await sql<{ id: string }[]>`INSERT INTO organisations (name, kind) VALUES ('Bench coordinator', 'coordinator') RETURNING id`;
  const [sponsor] = await sql<{ id: string }[]>`INSERT INTO organisations (name, kind) VALUES ('Bench sponsors', 'sponsor_group') RETURNING id`;
  const [person] = await sql<{ id: string }[]>`INSERT INTO people (organisation_id, name, email, role) VALUES (${coordinator!.id}, 'Bench', ${`bench-${randomUUID()}@example.test`}, 'coordinator') RETURNING id`;
  const actor = { personId: person!.id, organisationId: coordinator!.id, role: 'coordinator' as const };
  const parties = { coordinator: coordinator!.id, sponsor: sponsor!.id };
  const programmeId = randomUUID();
  await sql`INSERT INTO programmes (id, name, pathway_id, template, coordinator_organisation_id, quota) VALUES (${programmeId}, 'Bench programme', ${template.id}, ${sql.json(template as never)}, ${coordinator!.id}, ${count})`;

  return stack.withWorker('saferoutes', async () => {
    await startProgrammeWorkflow(client, 'saferoutes', { programmeId, name: 'Bench programme', pathwayId: template.id, quota: count, coordinatorOrg: coordinator!.id, mouSignatories: [coordinator!.id], mouTime: SLOW });
    const programme = client.workflow.getHandle(programmeWorkflowId(programmeId));
    await programme.executeUpdate(programmeUpdates.publish_mou, { args: [{ actor, document: { title: 'MoU', contentHash: 'bench' } }] });
    await programme.executeUpdate(programmeUpdates.sign_mou, { args: [{ actor, version: 1 }] });

    // Rows first (as the API writes them), then the workflows.
    const ids = Array.from({ length: count }, () => randomUUID());
    for (let i = 0; i < ids.length; i += 1_000) {
      const slice = ids.slice(i, i + 1_000);
      await sql`INSERT INTO cases ${sql(slice.map((id, j) => ({ id, reference: `B-${i + j}`, sponsor_organisation_id: sponsor!.id, coordinator_organisation_id: coordinator!.id, programme_id: programmeId, pathway_id: template.id })))}`;
      await sql`INSERT INTO case_parties ${sql(slice.flatMap((id) => Object.entries(parties).map(([slot, organisation_id]) => ({ case_id: id, slot, organisation_id }))))}`;
    }
    let t = Date.now();
    await inParallel(ids, AT_ONCE, (caseId) => startCaseWorkflow(client, 'saferoutes', { caseId, reference: caseId.slice(0, 8), programmeId, template, parties }));
    const startSeconds = seconds(t);
    const openCases = async () => (await programme.query(programmeStateQuery)).openCases;
    await until('every case open', async () => (await openCases()) === count, 3_600_000);
    const openSeconds = seconds(t);
    console.log(`SafeRoutes: ${count} cases started in ${startSeconds.toFixed(1)} s, every one open and counted by its programme after ${openSeconds.toFixed(1)} s`);

    const heldCount = async (paused: boolean) => Number((await sql`SELECT count(*)::int AS n FROM cases WHERE programme_id = ${programmeId} AND (state->>'programmePaused')::boolean = ${paused}`)[0]!.n);
    t = Date.now();
    await programme.executeUpdate(programmeUpdates.pause, { args: [{ actor, reasonRef: randomUUID() }] });
    await until('every case paused', async () => (await heldCount(true)) === count, 3_600_000);
    const pauseSeconds = seconds(t);
    t = Date.now();
    await programme.executeUpdate(programmeUpdates.resume, { args: [{ actor }] });
    await until('every case resumed', async () => (await heldCount(false)) === count, 3_600_000);
    const resumeSeconds = seconds(t);
    console.log(`SafeRoutes: a pause reached all ${count} cases in ${pauseSeconds.toFixed(1)} s, the resume in ${resumeSeconds.toFixed(1)} s`);

    const runs: number[] = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${programmeWorkflowId(programmeId)}'` })) {
      runs.push((await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events?.length ?? 0);
    }
    const stateBytes = JSON.stringify(await programme.query(programmeStateQuery)).length;
    console.log(`programme: ${runs.length} runs (continue-as-new), the largest history ${Math.max(...runs)} events; its state ${stateBytes} bytes as JSON`);
    return { cases: count, raw, startSeconds, openSeconds, pauseSeconds, resumeSeconds, programmeRuns: runs.length, largestHistory: Math.max(...runs), stateBytes };
  });
}
