/**
 * The board's counts (overdue steps per party, programme, pathway, kind and age) cost time in
 * proportion to the steps counted, while its page of steps does not: at a national programme's
 * size, counting on every request would make the board slower the more it is needed. So a board
 * whose last count was large is counted again at most every `REFRESH_MS` per coordinator and
 * filter, in the background, and served meanwhile with the time it was counted (`countedAt`); a
 * small board is counted on every request, exactly. The steps listed are always read fresh.
 */

/** Counts below this many overdue steps are cheap (a few milliseconds): they are always exact. */
export const EXACT_BELOW = 5_000;
/** A large board's counts are at most this old when served … */
export const REFRESH_MS = 10_000;
/** … unless nobody looked for this long: then they are counted again before answering. */
const MAX_AGE_MS = 60_000;
/** Coordinator and filter combinations remembered in this process (oldest forgotten first). */
const MAX_ENTRIES = 1_000;

export interface Counted<V> {
  value: V;
  /** When these counts were taken (ms since the epoch). */
  countedAt: number;
}

interface Entry<V> {
  last?: Counted<V>;
  counting?: Promise<Counted<V>>;
}

export class CountsMemo<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    /** How many steps a result counted: decides whether it may be served again. */
    private readonly sizeOf: (value: V) => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The counts for `key`: fresh when small or old, else the last ones (refreshed behind the answer). */
  async get(key: string, count: () => Promise<V>): Promise<Counted<V>> {
    const entry = this.entries.get(key) ?? {};
    this.remember(key, entry);
    const last = entry.last;
    const age = last ? this.now() - last.countedAt : Infinity;
    // Small: counted for this request alone, so a person sees at once what they just changed.
    if (last && this.sizeOf(last.value) < EXACT_BELOW) return this.countInto(entry, count);
    if (!last || age >= MAX_AGE_MS) return this.recount(entry, count);
    if (age >= REFRESH_MS && !entry.counting) {
      // A failed refresh keeps the last counts until they are too old to serve; the next request retries.
      this.recount(entry, count).catch(() => undefined);
    }
    return last;
  }

  /** A count that requests arriving while it runs share, instead of starting their own. */
  private recount(entry: Entry<V>, count: () => Promise<V>): Promise<Counted<V>> {
    entry.counting ??= this.countInto(entry, count).finally(() => {
      entry.counting = undefined;
    });
    return entry.counting;
  }

  private async countInto(entry: Entry<V>, count: () => Promise<V>): Promise<Counted<V>> {
    const counted = { countedAt: this.now(), value: await count() };
    // A slow count that began earlier never replaces a newer one.
    if (!entry.last || entry.last.countedAt <= counted.countedAt) entry.last = counted;
    return counted;
  }

  /** Moves `key` to the newest end, and forgets the oldest beyond the bound. */
  private remember(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(oldest);
    }
  }
}
