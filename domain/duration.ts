/**
 * Durations in pathway templates: "14 days", "6 months", "30 seconds". Plain words, so a
 * coordinator can read a template; a month counts as 30 days. Pure: workflows use it too.
 */
export type Duration = string;

export const DURATION_PATTERN = /^([1-9]\d*) (second|minute|hour|day|week|month)s?$/;
export const DURATION_HINT = 'expected a duration like "14 days", "2 weeks", "6 months" or "30 seconds"';

const UNIT_MS = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
} as const;

export function durationMs(duration: Duration): number {
  const match = DURATION_PATTERN.exec(duration);
  if (!match) throw new TypeError(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
