import type { TimePolicy } from '../pathway.js';

/** Time policies the built-in pathways share (PRODUCT.md: due in 14 days, remind at 7 and 12, escalate at 14 and weekly). */
export const twoWeeks: TimePolicy = { dueIn: '14 days', remindAt: ['7 days', '12 days'], escalateEvery: '7 days' };
export const sixWeeks: TimePolicy = { dueIn: '6 weeks', remindAt: ['4 weeks', '5 weeks'], escalateEvery: '7 days' };
export const threeMonths: TimePolicy = { dueIn: '3 months', remindAt: ['2 months'], escalateEvery: '2 weeks' };
/** For check-in reports: the grace after a report's due date before it counts as missed. */
export const checkinGrace: TimePolicy = { dueIn: '14 days', remindAt: ['7 days'], escalateEvery: '7 days' };
