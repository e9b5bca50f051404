/**
 * The raw engine's side of the benchmarks: workflows that do what a case does with Temporal alone
 * — wait for an update, sleep until a due time — and nothing of SafeRoutes.
 */
import { condition, defineUpdate, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';

export const ping = defineUpdate<boolean, [number]>('ping');

/** P1's bare start, P2's `executeUpdate` and the fan-out: a workflow that only waits for updates and answers them. */
export async function waitsForUpdates(): Promise<void> {
  let done = false;
  setHandler(ping, (epoch: number) => {
    done = epoch < 0;
    return true;
  });
  await condition(() => done);
}

/** What the bench process gives the raw worker: it notes when a sleeper woke, as a case records its reminder. */
export interface RawActivities {
  recordWake(sleeper: string, dueAt: number): Promise<void>;
}

const { recordWake } = proxyActivities<RawActivities>({ startToCloseTimeout: '1 minute' });

/** P4: a timer until `dueAt` (as a case's reminder is), then one activity (as a case projects its reminder). */
export async function sleepsUntil(dueAt: number): Promise<void> {
  await sleep(Math.max(dueAt - Date.now(), 1));
  await recordWake(workflowInfo().workflowId, dueAt);
}

/** P5: as many weekly timers as a 24-month case has reminders, in one history without continue-as-new. */
export async function weeklyTimers(count: number, everyMs: number): Promise<void> {
  for (let i = 0; i < count; i++) await sleep(everyMs);
}
