// The trap behind "after a worker outage, cases stop replaying", reproduced on the real dev
// server with a workflow the size of the trap (timer + activity + update), and the guard every
// SafeRoutes workflow is bundled with (workflows/legacy-query-guard.ts) shown to defuse it.
//
// The outage: the worker is killed while workflows wait on a timer; someone queries them (the
// Web UI, a page) and sends an update; the timer fires. When a worker comes back, the query task
// makes the SDK apply the fired timer in an activation of its own, and the update arrives with
// the next task: first execution records [activity scheduled, update accepted], replay produces
// [update accepted, activity scheduled] — a nondeterminism error. Whether a given workflow's
// query reaches the worker before its task is a matter of timing, so 16 of them go through it:
// without the guard some (seen: 4 to 14 of 20) become unreplayable; with it, none.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTemporalDevServer, type RunningTemporal } from '../../devstack/temporal-dev-server.js';
import { workflowInterceptorModules } from '../../worker/worker.js';
import { freePort } from '../support/ports.js';
import { searchAttributeKeys } from '../../workflows/contract.js';

const WORKFLOWS = 16;
// The replays below fail on purpose; their warnings would only drown the test's output.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} };

describe('a query that reaches a worker which is behind', () => {
  let server: RunningTemporal;
  let connection: Connection;
  let client: Client;
  let dir: string;
  const workers = new Set<ChildProcess>();

  beforeAll(async () => {
    dir = join(inject('scratchDir'), `trap-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    server = await startTemporalDevServer({ searchAttributes: searchAttributeKeys, port: await freePort(), logFile: join(dir, 'temporal.log'), extraArgs: ['--http-port', String(await freePort()), '--metrics-port', String(await freePort())] });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await connection?.close();
    await server?.stop();
  });

  async function startWorker(taskQueue: string, bundlePath: string): Promise<ChildProcess> {
    const log = join(dir, `${taskQueue}-${Date.now()}.log`);
    const child = spawn(process.execPath, ['--import', 'tsx', here('./trap/worker.ts'), server.address, taskQueue, bundlePath], { stdio: ['ignore', 'pipe', openSync(log, 'w')] });
    workers.add(child);
    child.once('exit', () => workers.delete(child));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => String(d).includes('polling') && resolve());
      child.once('exit', (code) => reject(new Error(`trap worker exited with ${code}; see ${log}`)));
    });
    return child;
  }

  const kill9 = async (child: ChildProcess) => {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  };

  /** Runs the outage on `WORKFLOWS` workflows; returns how many no longer replay. */
  async function outage(label: string, guarded: boolean): Promise<number> {
    const { code } = await bundleWorkflowCode({ workflowsPath: here('./trap/workflows.ts'), workflowInterceptorModules: guarded ? workflowInterceptorModules : [], logger: silent });
    const bundlePath = join(dir, `${label}.js`);
    writeFileSync(bundlePath, code);
    const taskQueue = `trap-${label}`;
    let worker = await startWorker(taskQueue, bundlePath);
    const handles = await Promise.all(Array.from({ length: WORKFLOWS }, (_, i) => client.workflow.start('tickingWorkflow', { workflowId: `${label}-${i}`, taskQueue })));
    await sleep(3_000);
    await kill9(worker);
    const pending: Promise<unknown>[] = [];
    for (const h of handles) pending.push(client.withDeadline(Date.now() + 60_000, () => h.query('__stack_trace')).catch(() => 'no answer'));
    await sleep(500);
    for (const h of handles) pending.push(h.executeUpdate('poke', { updateId: 'poke-1' }).catch(() => 'no answer'));
    await sleep(8_000); // the timers fire, and the tasks on the dead worker's queue time out
    worker = await startWorker(taskQueue, bundlePath);
    await Promise.all(pending);
    await sleep(2_000);
    await kill9(worker);
    let broken = 0;
    for (const h of handles) {
      const history = await h.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: { code } }, history, h.workflowId).catch(() => (broken += 1));
    }
    return broken;
  }

  it('breaks replay without the guard (the trap is real), and never with it', async () => {
    const unguarded = await outage('unguarded', false);
    const guarded = await outage('guarded', true);
    console.log(`legacy-query trap: ${unguarded} of ${WORKFLOWS} unreplayable without the guard, ${guarded} with it`);
    expect(unguarded).toBeGreaterThan(0);
    expect(guarded).toBe(0);
  }, 240_000);
});
