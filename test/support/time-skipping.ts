/** A time-skipping test server (months in seconds) with a real worker and real activities. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import type { Sql } from '../../infra/db.js';
import { ensureSearchAttributes } from '../../infra/temporal.js';
import type { RunningDispatcher } from '../../notifications/dispatcher.js';
import { startTestDispatcher, startTestWorker, testDataConverter, uniqueTaskQueue, type TestWorker } from './stack.js';
import { searchAttributeKeys } from '../../workflows/contract.js';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  worker: TestWorker;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startTimeSkipping(sql: Sql, label: string): Promise<TimeSkipping> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    client: { dataConverter: testDataConverter() },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default', searchAttributeKeys);
  const taskQueue = uniqueTaskQueue(label);
  const worker = await startTestWorker({ sql, taskQueue, connection: env.nativeConnection, client: env.client });
  const dispatcher: RunningDispatcher = startTestDispatcher(sql);
  return {
    env,
    worker,
    taskQueue,
    async stop() {
      await dispatcher.stop();
      await worker.stop();
      await env.teardown();
    },
  };
}

export const DAY_MS = 86_400_000;
