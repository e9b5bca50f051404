/**
 * The real case and programme workflows on the time-skipping test server, with activities that are
 * plain functions recording their calls: no PostgreSQL, no SMTP, no other workflow. The stubs are
 * typed from the real activity factory, so they keep its names and signatures.
 */
import { activityInfo } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { createActivities } from '../../activities/index.js';
import type { CaseView } from '../../domain/case-view.js';
import { ensureSearchAttributes } from '../../infra/temporal.js';
import { searchAttributeKeys } from '../../workflows/contract.js';
import { testDataConverter, uniqueTaskQueue } from './stack.js';

export type Activities = ReturnType<typeof createActivities>;
export type ActivityName = keyof Activities;

export interface ActivityCall<N extends ActivityName = ActivityName> {
  name: N;
  input: Parameters<Activities[N]>[0];
  /** The workflow that called it, and its run (a new one after continue-as-new). */
  workflowId: string;
  runId: string;
  /** What it came to: still running, its answer, or the failure it threw. */
  outcome: { running: true } | { returned: Awaited<ReturnType<Activities[N]>> } | { threw: string };
}

/** What each activity does when all goes well, without touching anything. */
const quietly: Activities = {
  projectCase: async () => {},
  projectProgramme: async () => {},
  tellProgramme: async ({ message }) => ({ accepted: true, status: 'active', epoch: 0, paused: false, ...(message.kind === 'request_place' ? { place: 'reserved' as const } : {}) }),
  tellCases: async () => 0,
  grantPlaces: async () => ({ accepted: [] }),
  runBulkPage: async () => ({ last: null, remaining: 0 }),
  dueDigests: async () => [],
  sendDigest: async () => 'skipped' as const,
  evaluateAlerts: async () => ({ evaluated: 0, crossed: 0, cleared: 0 }),
  eraseExpiredCases: async () => ({ erased: 0, more: false }),
  // A group whose three members have every check.
  readGroupRequirements: async (q) => ({ rosterVersion: 1, members: 3, missing: [...q.everyMember, ...q.someMember].map((check) => ({ check, members: 0 })) }),
  deliverRosterChanges: async () => ({ rosterVersion: 0, told: 0 }),
  markBatch: async () => true,
  runBatchPage: async () => ({ last: null, remaining: 0 }),
  remindDeparture: async () => 1,
};

/** The calls of one workflow (or of all), and ways to wait for them. */
export class CallLog {
  constructor(
    protected readonly all: ActivityCall[],
    private readonly workflowId?: string,
  ) {}

  /** The calls of one activity, oldest first. */
  of<N extends ActivityName>(name: N): ActivityCall<N>[] {
    return this.all.filter((c): c is ActivityCall<N> => c.name === name && (this.workflowId === undefined || c.workflowId === this.workflowId));
  }

  /** The case states projected so far, oldest first. */
  projectedViews(): CaseView[] {
    return this.of('projectCase').map((c) => c.input.view);
  }

  /** Waits (in real time) until a call satisfies `predicate`; returns it. */
  async waitFor<N extends ActivityName>(name: N, predicate: (call: ActivityCall<N>) => boolean = () => true, timeoutMs = 30_000): Promise<ActivityCall<N>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(name).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${name} call as expected within ${timeoutMs} ms; calls so far: ${JSON.stringify(this.of(name).map((c) => c.input))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export class ActivityStubs extends CallLog {
  /** How each activity answers; a test replaces one to script it (and puts it back). */
  readonly behave: Activities = { ...quietly };

  constructor() {
    super([]);
  }

  /** The calls made by one workflow. */
  ofWorkflow(workflowId: string): CallLog {
    return new CallLog(this.all, workflowId);
  }

  /** Every activity back to answering quietly. */
  reset(): void {
    Object.assign(this.behave, quietly);
  }

  /** The functions the worker runs: each records its call, then does what `behave` says. */
  activities(): Activities {
    const record = <N extends ActivityName>(name: N) =>
      (async (input: ActivityCall<N>['input']) => {
        const { workflowId, runId } = activityInfo().workflowExecution ?? { workflowId: '(none)', runId: '(none)' };
        const call: ActivityCall<N> = { name, input, workflowId, runId, outcome: { running: true } };
        this.all.push(call as ActivityCall);
        try {
          const returned = await (this.behave[name] as (i: typeof input) => Promise<Awaited<ReturnType<Activities[N]>>>)(input);
          call.outcome = { returned };
          return returned;
        } catch (error) {
          call.outcome = { threw: error instanceof Error ? error.name : String(error) };
          throw error;
        }
      }) as unknown as Activities[N];
    return {
      projectCase: record('projectCase'),
      projectProgramme: record('projectProgramme'),
      tellProgramme: record('tellProgramme'),
      tellCases: record('tellCases'),
      grantPlaces: record('grantPlaces'),
      runBulkPage: record('runBulkPage'),
      dueDigests: record('dueDigests'),
      sendDigest: record('sendDigest'),
      evaluateAlerts: record('evaluateAlerts'),
      eraseExpiredCases: record('eraseExpiredCases'),
      readGroupRequirements: record('readGroupRequirements'),
      deliverRosterChanges: record('deliverRosterChanges'),
      markBatch: record('markBatch'),
      runBatchPage: record('runBatchPage'),
      remindDeparture: record('remindDeparture'),
    } satisfies Activities;
  }
}

export interface StubbedEnv {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  stubs: ActivityStubs;
  stop(): Promise<void>;
}

/** A time-skipping test server and a worker running the real workflow bundle with `stubs`. */
export async function startStubbedEnv(label: string, stubs = new ActivityStubs()): Promise<StubbedEnv> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    client: { dataConverter: testDataConverter() },
  });
  const namespace = env.namespace ?? 'default';
  await ensureSearchAttributes(env.connection, namespace, searchAttributeKeys);
  const taskQueue = uniqueTaskQueue(label);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace,
    taskQueue,
    // Built once by the global setup, with the interceptor that fails a workflow on a failed assertion.
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: stubs.activities(),
    dataConverter: testDataConverter(),
    // Heartbeats (and so cancellations) reach a stub at once, not after the default throttle.
    maxHeartbeatThrottleInterval: '100 ms',
    defaultHeartbeatThrottleInterval: '100 ms',
    shutdownGraceTime: '1 second',
  });
  const running = worker.run();
  return {
    env,
    taskQueue,
    stubs,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
