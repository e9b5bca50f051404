/**
 * At least one refusal of every code, with parameters that are easy to spot when they leak: ids
 * no title has and instants no page writes. Typed per code, so a new code without a sample does
 * not compile (and test/domain/refusal.test.ts fails at run time for one without).
 */
import type { RefusalCode, RefusalOf } from '../../domain/refusal.js';

export const SAMPLE_IDS = { gateId: 'gate-id-sample', stageId: 'stage-id-sample', offerId: 'offer-id-sample' } as const;
const { gateId, stageId, offerId } = SAMPLE_IDS;
const at = '2031-02-03T04:05:06.000Z';
const later = '2031-03-04T05:06:07.000Z';

export const SAMPLE_REFUSALS: { [C in RefusalCode]: [RefusalOf<C>, ...RefusalOf<C>[]] } = {
  'case-final': [
    { code: 'case-final', status: 'completed' },
    { code: 'case-final', status: 'rejected' },
    { code: 'case-final', status: 'withdrawn' },
  ],
  'case-closed': [{ code: 'case-closed' }],
  'case-on-hold': [{ code: 'case-on-hold', since: at }],
  'case-already-on-hold': [{ code: 'case-already-on-hold', since: at }],
  'case-not-on-hold': [{ code: 'case-not-on-hold' }],
  'case-held-by-programme': [{ code: 'case-held-by-programme' }],
  'case-waitlisted': [{ code: 'case-waitlisted' }],
  'programme-paused': [{ code: 'programme-paused', since: at }],
  'coordinator-only': (['hold', 'resume', 'withdraw', 'nudge', 'extend', 'reassign', 'publish_agreement', 'complete'] as const).map((action) => ({ code: 'coordinator-only', action })) as [RefusalOf<'coordinator-only'>],
  'reason-needed': (['hold', 'withdraw', 'extend', 'reassign', 'decide', 'decline_housing_request', 'decline_offer', 'request_changes', 'decline_match', 'request_mou_changes', 'pause', 'close'] as const).map((action) => ({
    code: 'reason-needed',
    action,
  })) as [RefusalOf<'reason-needed'>],
  'gate-unknown': [{ code: 'gate-unknown', gateId }],
  'gate-not-open': [{ code: 'gate-not-open', gateId, stageId }, { code: 'gate-not-open', gateId }],
  'gate-done': [
    { code: 'gate-done', gateId, gateKind: 'decision' },
    { code: 'gate-done', gateId, gateKind: 'task' },
  ],
  'gate-rejected': [{ code: 'gate-rejected', gateId }],
  'gate-kind-mismatch': [{ code: 'gate-kind-mismatch', gateId, gateKind: 'decision', action: 'complete' }],
  'not-your-turn': [{ code: 'not-your-turn', gateId }],
  'due-date-invalid': [{ code: 'due-date-invalid' }],
  'due-date-past': [{ code: 'due-date-past' }],
  'due-date-not-later': [{ code: 'due-date-not-later', currentDueAt: at }],
  'reassign-agreement': [{ code: 'reassign-agreement' }],
  'reassign-coordinator-gate': [{ code: 'reassign-coordinator-gate' }],
  'reassign-same-organisation': [{ code: 'reassign-same-organisation' }],
  'offer-open': [{ code: 'offer-open', offerId, validUntil: at }],
  'offer-valid-until-past': [{ code: 'offer-valid-until-past' }],
  'offer-already-made': [{ code: 'offer-already-made', offerId }],
  'offer-unknown': [{ code: 'offer-unknown', offerId }],
  'offer-lapsed': [{ code: 'offer-lapsed', offerId, lapsedAt: at }],
  'offer-answered': [
    { code: 'offer-answered', offerId, status: 'accepted' },
    { code: 'offer-answered', offerId, status: 'declined' },
  ],
  'agreement-executed': [{ code: 'agreement-executed' }],
  'agreement-executed-no-new-version': [{ code: 'agreement-executed-no-new-version' }],
  'agreement-unpublished': [{ code: 'agreement-unpublished' }],
  'not-a-signatory': [{ code: 'not-a-signatory' }],
  'agreement-version-stale': [{ code: 'agreement-version-stale', version: 2, currentVersion: 3 }],
  'agreement-already-signed': [{ code: 'agreement-already-signed', version: 3 }],
  'checkins-complete': [{ code: 'checkins-complete' }],
  'checkin-out-of-order': [{ code: 'checkin-out-of-order', nextIndex: 1 }],
  'match-proposal-open': [{ code: 'match-proposal-open', organisationId: 'organisation-id-sample', answerBy: at }],
  'match-proposal-lapsed': [{ code: 'match-proposal-lapsed', lapsedAt: at }],
  'shortlist-invalid': [{ code: 'shortlist-invalid', max: 10 }],
  'not-done-in-batch': [
    { code: 'not-done-in-batch', gateId, event: 'departure' },
    { code: 'not-done-in-batch', gateId, event: 'arrival' },
  ],
  'checkin-too-early': [{ code: 'checkin-too-early', reportIndex: 1, dueAt: later, openFrom: at }],
  'programme-closed': [{ code: 'programme-closed' }],
  'programme-coordinator-only': (['publish_mou', 'pause', 'resume', 'set_quota', 'close'] as const).map((action) => ({ code: 'programme-coordinator-only', action })) as [
    RefusalOf<'programme-coordinator-only'>,
  ],
  'programme-already-paused': [{ code: 'programme-already-paused', since: at }],
  'programme-not-active': (['draft', 'negotiating', 'paused', 'closed'] as const).map((status) => ({ code: 'programme-not-active', status })) as [RefusalOf<'programme-not-active'>],
  'programme-not-paused': (['draft', 'negotiating', 'active', 'closed'] as const).map((status) => ({ code: 'programme-not-paused', status })) as [RefusalOf<'programme-not-paused'>],
  'quota-invalid': [{ code: 'quota-invalid' }],
  'quota-below-taken': [{ code: 'quota-below-taken', taken: 7 }],
  'programme-has-open-cases': [
    { code: 'programme-has-open-cases', openCases: 1 },
    { code: 'programme-has-open-cases', openCases: 4 },
  ],
};

/** Every sample, of every code. */
export const allSampleRefusals = () => Object.values(SAMPLE_REFUSALS).flat();
