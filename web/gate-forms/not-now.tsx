/**
 * A form that would be refused now is not offered: in its place, one line says why and, where it is
 * known, until when — in the words of the refusal the action would get (domain/refusal.ts), from
 * what the case page knows (the case view: held, programme paused, waitlisted, closed).
 */
import type { Refusal } from '../../domain/refusal.js';
import type { CasePageData } from '../case-data.js';
import type { Messages } from '../i18n/index.js';
import { caseLookups, refusalText } from '../refusals.js';

const FINAL = new Set(['completed', 'rejected', 'withdrawn']);

/**
 * Why no party's step action is taken on this case now, as `refuseAction` would say it (the
 * coordinator's own actions — hold, resume, withdraw, nudge, extend, reassign — are not held up).
 */
export function caseRefusalNow(d: CasePageData): Refusal | undefined {
  const s = d.state;
  if (!s) return undefined;
  if (FINAL.has(s.status)) return { code: 'case-final', status: s.status as Extract<Refusal, { code: 'case-final' }>['status'] };
  if (s.programmePaused) {
    // Since when: the view says it; a state projected before it did falls back to the timeline.
    const paused = d.events.find((e) => e.kind === 'programme_paused');
    return { code: 'programme-paused', since: s.programmePausedSince ?? (paused ? paused.at.toISOString() : '') };
  }
  if (s.held) return { code: 'case-on-hold', since: s.held.since };
  if (s.status === 'waitlisted') return { code: 'case-waitlisted' };
  return undefined;
}

/** The refusal as one line: why, and until when. */
export function notNowText(t: Messages, d: CasePageData, refusal: Refusal): string {
  if (refusal.code === 'programme-paused' && !refusal.since) return t.casePage.paused;
  const why = refusalText(t, { refusal, detail: '' }, caseLookups(t, d)) || t.casePage.noOpenSteps;
  const until = refusal.code === 'case-on-hold' ? `; ${t.notNow.untilResumed}` : refusal.code === 'case-waitlisted' ? `; ${t.notNow.untilPlace}` : '';
  return t.notNow.line(why + until);
}

/** In place of a step's forms: why they are not offered now. */
export function NotNow({ t, d, refusal }: { t: Messages; d: CasePageData; refusal: Refusal }) {
  return <p class="hint not-now">{notNowText(t, d, refusal)}</p>;
}
