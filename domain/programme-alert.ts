/**
 * A coordinator's alert on a programme, and when it is crossed. Pure: the evaluation
 * (activities/alerts.ts) measures, this decides.
 */
export const ALERT_KINDS = ['overdue-steps', 'step-age'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * What each kind measures and when it is crossed:
 * - `overdue-steps`: how many of the programme's steps are overdue now (not on hold); crossed
 *   above the threshold ("more than 10 overdue").
 * - `step-age`: how many open steps have been open longer than the threshold in days; crossed
 *   when there is one ("a step older than 30 days").
 */
export function isCrossed(kind: AlertKind, value: number, threshold: number): boolean {
  return kind === 'overdue-steps' ? value > threshold : value > 0;
}
