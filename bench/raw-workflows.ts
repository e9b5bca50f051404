/** The raw engine's side of a benchmark: a workflow that only waits for an update and answers it. */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const ping = defineUpdate<boolean, [number]>('ping');

export async function waitsForUpdates(): Promise<void> {
  let done = false;
  setHandler(ping, (epoch: number) => {
    done = epoch < 0;
    return true;
  });
  await condition(() => done);
}
