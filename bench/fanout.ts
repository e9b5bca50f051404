/**
 * Pause and resume of a programme with many open cases: how long until every case holds, and
 * resumes; how large the programme's history and state grow. Beside it, the raw engine on the
 * same server: the same number of workflows started and updated, doing nothing else.
 */
import { randomUUID } from 'node:crypto';
import { inParallel } from '../activities/parallel.js';
import { programmeStateQuery, programmeUpdates, programmeWorkflowId } from '../workflows/contract.js';
import { oneStepTemplate } from '../test/support/templates.js';
import { insertCaseRows, openProgramme, startCases, STARTS_AT_ONCE } from './cases.js';
import type { waitsForUpdates } from './raw-workflows.js';
import type { BenchStack } from './stack.js';
import { until } from './until.js';

const template = oneStepTemplate;

const seconds = (since: number) => (Date.now() - since) / 1000;

/** The raw engine: `count` workflows started, then each updated once, `STARTS_AT_ONCE` at a time. */
function rawEngine(stack: BenchStack, count: number) {
  return stack.withRawWorker('bench-raw', async () => {
    const run = randomUUID().slice(0, 6);
    let t = Date.now();
    const handles = await inParallel([...Array(count).keys()], STARTS_AT_ONCE, (i) => stack.client.workflow.start<typeof waitsForUpdates>('waitsForUpdates', { workflowId: `raw-${run}-${i}`, taskQueue: 'bench-raw' }));
    const startSeconds = seconds(t);
    t = Date.now();
    await inParallel(handles, STARTS_AT_ONCE, (h) => h.executeUpdate('ping', { args: [1] }));
    const updateSeconds = seconds(t);
    // Left waiting: an idle workflow costs the server nothing while SafeRoutes is measured, and
    // ending them would take as long again as updating them.
    return { startSeconds, updateSeconds };
  });
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

  return stack.withWorker('bench-fanout', async () => {
    const programmeId = await openProgramme(sql, client, 'bench-fanout', { template, coordinator: actor, quota: count });
    const programme = client.workflow.getHandle(programmeWorkflowId(programmeId));

    // Rows first (as the API writes them), then the workflows.
    const cases = await insertCaseRows(sql, { template, parties, count, referencePrefix: 'B', programmeId });
    let t = Date.now();
    await startCases(client, 'bench-fanout', cases);
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
