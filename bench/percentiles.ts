/** Latencies of requests made at a fixed concurrency, and their percentiles. */
import { inParallel } from '../activities/parallel.js';

/** The nearest-rank percentile `p` (0–100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('no values to take a percentile of');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Load {
  count: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
}

/** Makes `count` requests, `concurrency` at a time, timing each one. */
export async function atConcurrency(count: number, concurrency: number, request: (i: number) => Promise<unknown>): Promise<Load> {
  const latencies: number[] = [];
  const started = performance.now();
  await inParallel([...Array(count).keys()], concurrency, async (i) => {
    const t = performance.now();
    await request(i);
    latencies.push(performance.now() - t);
  });
  const seconds = (performance.now() - started) / 1000;
  return { count, seconds, perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
