/**
 * A workflow the size of the trap, for test/fault/legacy-query.test.ts: it wakes on a timer and
 * runs an activity, and takes an update. Nothing of SafeRoutes: it shows what the SDK does.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

const { touch } = proxyActivities<{ touch(n: number): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export const poke = defineUpdate<number>('poke');

export async function tickingWorkflow(): Promise<void> {
  let dirty = true;
  let n = 0;
  setHandler(poke, () => {
    dirty = true;
    n += 1;
    return n;
  });
  for (let i = 0; i < 20; i++) {
    while (dirty) {
      dirty = false;
      await touch(n);
    }
    if (!(await condition(() => dirty, '4 seconds'))) await touch(-1);
  }
}
