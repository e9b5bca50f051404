/** Builds the SafeRoutes worker from its dependencies; used by worker/run.ts, `npm start` and tests. */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { TASK_QUEUE } from '../workflows/contract.js';
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
  /** Extra options, e.g. test interceptors. */
  overrides?: Partial<WorkerOptions>;
}

export function createSafeRoutesWorker(options: SafeRoutesWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities(options.activityDeps),
    dataConverter: options.dataConverter,
    interceptors: {
      // A prebuilt bundle has them built in (see workflowInterceptorModules).
      workflowModules: options.workflowBundle ? [] : workflowInterceptorModules,
      activity: [failingStepsInterceptor(options.activityDeps.sql)],
    },
    // Sized for a 2-core machine: bounded cache and concurrency.
    maxCachedWorkflows: 500,
    maxConcurrentActivityTaskExecutions: 20,
    maxConcurrentWorkflowTaskExecutions: 10,
    ...options.overrides,
  });
}

/** Connects to Temporal, retrying while it comes up (or is away). */
export async function connectWorkerConnection(address: string, timeoutMs = 60_000): Promise<NativeConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await NativeConnection.connect({ address });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
