import { describe, expect, it } from 'vitest';
import { CountsMemo, EXACT_BELOW, REFRESH_MS } from '../../usecases/board-counts.js';

/** Lets a count started behind an answer finish. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A memo over plain numbers (the number is the size), on a clock the test moves. */
function setup() {
  let now = 1_000_000;
  const memo = new CountsMemo<number>((n) => n, () => now);
  let counts = 0;
  const counter = (value: number) => async () => {
    counts += 1;
    return value;
  };
  return { memo, counter, tick: (ms: number) => (now += ms), counted: () => counts };
}

describe('the board counts memo', () => {
  it('counts a small board on every request, so a change shows at once', async () => {
    const { memo, counter, counted } = setup();
    expect((await memo.get('org', counter(3))).value).toBe(3);
    expect((await memo.get('org', counter(4))).value).toBe(4);
    expect(counted()).toBe(2);
  });

  it('serves a large board its last counts with their time, and counts again behind the answer once they are old', async () => {
    const { memo, counter, tick, counted } = setup();
    const large = EXACT_BELOW + 1;
    const first = await memo.get('org', counter(large));
    tick(REFRESH_MS - 1);
    expect(await memo.get('org', counter(large + 1))).toEqual(first);
    expect(counted()).toBe(1);
    tick(1);
    // Old enough: this answer is still the last counts, and a recount starts.
    expect((await memo.get('org', counter(large + 2))).value).toBe(large);
    expect(counted()).toBe(2);
    await flush();
    const next = await memo.get('org', counter(large + 3));
    expect(next.value).toBe(large + 2);
    expect(next.countedAt).toBe(first.countedAt + REFRESH_MS);
  });

  it('counts again before answering when nobody looked for a minute', async () => {
    const { memo, counter, tick } = setup();
    await memo.get('org', counter(EXACT_BELOW * 2));
    tick(60_000);
    expect((await memo.get('org', counter(7))).value).toBe(7);
  });

  it('keeps each coordinator and filter apart, and lets concurrent first requests share one count', async () => {
    const { memo, counter, counted } = setup();
    const [a, b] = await Promise.all([memo.get('org-a', counter(EXACT_BELOW)), memo.get('org-a', counter(EXACT_BELOW))]);
    expect(a).toBe(b);
    expect((await memo.get('org-b', counter(1))).value).toBe(1);
    expect(counted()).toBe(2);
  });

  it('keeps the last counts when a refresh fails, and fails the request once they are too old to serve', async () => {
    const { memo, counter, tick } = setup();
    const large = EXACT_BELOW * 3;
    await memo.get('org', counter(large));
    tick(REFRESH_MS);
    const failing = async (): Promise<number> => {
      throw new Error('PostgreSQL is down');
    };
    expect((await memo.get('org', failing)).value).toBe(large);
    await flush();
    expect((await memo.get('org', failing)).value).toBe(large);
    tick(60_000);
    await expect(memo.get('org', failing)).rejects.toThrow('PostgreSQL is down');
  });
});
