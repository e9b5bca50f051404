/** Builds the SafeRoutes worker from its dependencies; used by worker/run.ts, `npm start` and tests. */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { programmeTaskQueue, TASK_QUEUE } from '../workflows/contract.js';
import type { TemporalSecurity, WorkerTuning } from '../infra/config.js';
import { failingStepsInterceptor } from './failing-steps.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundled with the workflows wherever a bundle is built (worker, tests, the Docker image). */
export const workflowInterceptorModules = [fileURLToPath(new URL('../workflows/legacy-query-guard.ts', import.meta.url))];

export interface SafeRoutesWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activityDeps: ActivityDeps;
  /** Encrypts payloads; the same converter as the clients'. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (production, tests); without it the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
  /** How much it takes on at once (WORKER_* settings); the defaults suit a 2-core machine. */
  tuning?: WorkerTuning;
  /** Extra options, e.g. test interceptors. */
  overrides?: Partial<WorkerOptions>;
}

const DEFAULT_TUNING: WorkerTuning = { maxCachedWorkflows: 500, maxConcurrentWorkflowTaskExecutions: 10, maxConcurrentActivityTaskExecutions: 20 };

/**
 * The worker of one SafeRoutes deployment: a Temporal worker on the cases' queue and one on the
 * programmes' queue (workflows/contract.ts says why they are apart), made, run and stopped as one.
 */
export interface SafeRoutesWorker {
  /** Runs both until they are shut down; rejects (after stopping the other) if either fails. */
  run(): Promise<void>;
  /** Runs both until `work` settles, then shuts them down; settles with `work` once both stopped. */
  runUntil<T>(work: Promise<T>): Promise<T>;
  /** Stops the cases' worker, then, once it has stopped, the programmes'. */
  shutdown(): void;
  /** RUNNING only while both run. */
  getState(): ReturnType<Worker['getState']>;
}

/**
 * A stop is bounded: activities still running after the grace time are cancelled (the server
 * gives them to the next worker; every activity is idempotent), and the worker stops regardless
 * after the force time — a deploy or a test never waits on a call that cannot end.
 */
const STOPPING = { shutdownGraceTime: '10 seconds', shutdownForceTime: '30 seconds' } as const;

export async function createSafeRoutesWorker(options: SafeRoutesWorkerOptions): Promise<SafeRoutesWorker> {
  const caseQueue = options.taskQueue ?? TASK_QUEUE;
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities(options.activityDeps),
    dataConverter: options.dataConverter,
    interceptors: {
      // A prebuilt bundle has them built in (see workflowInterceptorModules).
      workflowModules: options.workflowBundle ? [] : workflowInterceptorModules,
      activity: [failingStepsInterceptor(options.activityDeps.sql)],
    },
    ...STOPPING,
  } satisfies Partial<WorkerOptions>;
  // Bounded cache and concurrency. Programmes are few, each busy: a tenth of the cache, half the slots.
  const tuning = options.tuning ?? DEFAULT_TUNING;
  const cases = await Worker.create({ ...common, taskQueue: caseQueue, ...tuning, ...options.overrides });
  const programmes = await Worker.create({
    ...common,
    taskQueue: programmeTaskQueue(caseQueue),
    maxCachedWorkflows: Math.max(10, Math.ceil(tuning.maxCachedWorkflows / 10)),
    maxConcurrentActivityTaskExecutions: Math.max(1, Math.ceil(tuning.maxConcurrentActivityTaskExecutions / 2)),
    maxConcurrentWorkflowTaskExecutions: Math.max(2, Math.ceil(tuning.maxConcurrentWorkflowTaskExecutions / 2)),
    ...options.overrides,
  });

  let running: { cases: Promise<void>; programmes: Promise<void>; both: Promise<void> } | undefined;
  const stopIfRunning = (w: Worker) => {
    if (w.getState() === 'RUNNING') w.shutdown();
  };
  // Cases first: what they are still sending to their programmes needs the programmes' worker.
  const shutdown = () => {
    stopIfRunning(cases);
    void (running?.cases ?? Promise.resolve()).finally(() => stopIfRunning(programmes));
  };
  const run = () => {
    if (!running) {
      // A failure of either stops both; `both` settles once both stopped, with the first failure.
      const casesRun = cases.run().catch((error: unknown) => (shutdown(), Promise.reject(error)));
      const programmesRun = programmes.run().catch((error: unknown) => (shutdown(), Promise.reject(error)));
      const both = Promise.allSettled([casesRun, programmesRun]).then((outcomes) => {
        const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        if (failed) throw failed.reason;
      });
      running = { cases: casesRun.catch(() => undefined), programmes: programmesRun.catch(() => undefined), both };
    }
    return running.both;
  };
  return {
    run,
    async runUntil(work) {
      const stopped = run();
      try {
        return await Promise.race([work, stopped.then(() => Promise.reject(new Error('the SafeRoutes worker stopped before its work was done')))]);
      } finally {
        shutdown();
        await stopped.catch(() => undefined);
      }
    },
    shutdown,
    getState: () => (cases.getState() === 'RUNNING' ? programmes.getState() : cases.getState()),
  };
}

/** Connects to Temporal, retrying while it comes up (or is away). */
export async function connectWorkerConnection(address: string, timeoutMs = 60_000, security: TemporalSecurity = {}): Promise<NativeConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await NativeConnection.connect({ address, tls: security.tls, apiKey: security.apiKey });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
