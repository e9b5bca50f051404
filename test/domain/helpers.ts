/** Shared fixtures for the pure domain tests: a community-sponsorship case driven stage by stage. */
import { expect } from 'vitest';
import { refuseAction, type ActorRef, type CaseAction } from '../../domain/case-actions.js';
import { applyAction } from '../../domain/case-apply.js';
import { Recorder } from '../../domain/case-effects.js';
import { advance, grantPlace, newCaseState, startCase } from '../../domain/case-lifecycle.js';
import { currentStage, type CaseState } from '../../domain/case-model.js';
import type { Role } from '../../domain/organisation.js';
import { builtInTemplates } from '../../domain/templates/index.js';

export const DAY = 86_400_000;
export const T0 = Date.parse('2030-03-01T09:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export const template = builtInTemplates['community-sponsorship']!;

/** One distinct organisation per party slot of the community-sponsorship pathway. */
export const ORG = {
  coordinator: '00000000-0000-4000-8000-000000000001',
  sponsor: '00000000-0000-4000-8000-000000000002',
  municipality: '00000000-0000-4000-8000-000000000003',
  immigration: '00000000-0000-4000-8000-000000000004',
  iom: '00000000-0000-4000-8000-000000000005',
} as const;
export type Slot = keyof typeof ORG;
export const OTHER_MUNICIPALITY = '00000000-0000-4000-8000-000000000006';

const ROLE: Record<Slot, Role> = { coordinator: 'coordinator', sponsor: 'sponsor', municipality: 'municipal_officer', immigration: 'agency_officer', iom: 'agency_officer' };

export const actor = (slot: Slot, role: Role = ROLE[slot]): ActorRef => ({ personId: `person-${slot}`, organisationId: ORG[slot], role });

export function makeCase(opts: { programmeId?: string; now?: number } = {}): { s: CaseState; rec: Recorder } {
  const now = opts.now ?? T0;
  const s = newCaseState({ caseId: 'case-1', reference: 'SR-1', programmeId: opts.programmeId, template, parties: { ...ORG } }, now);
  const rec = new Recorder(s, s.caseId, now);
  startCase(s, rec);
  return { s, rec };
}

/** Asserts the action is valid, applies it and lets the case advance; returns what it recorded. */
export function act(s: CaseState, action: CaseAction, now: number): Recorder {
  expect(refuseAction(s, action, now)).toBeUndefined();
  const rec = new Recorder(s, s.caseId, now);
  applyAction(s, action, rec);
  advance(s, rec);
  return rec;
}

export const offer = (offerId: string, now: number, validForDays = 10) => ({ offerId, rooms: 3, accessible: false, availableFrom: '2030-06-01', validUntil: iso(now + validForDays * DAY) });
export const doc = (n: number) => ({ title: `Agreement draft ${n}`, contentHash: `sha256-${n}` });

/** The ordinary way through the current stage, as the right party. */
function passStage(s: CaseState, now: number): void {
  const stage = currentStage(s)!.id;
  switch (stage) {
    case 'eligibility':
      act(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'approve' }, now);
      return;
    case 'commitment':
      if (s.status === 'waitlisted') grantPlace(s, new Recorder(s, s.caseId, now));
      act(s, { type: 'decide', gateId: 'sponsor-plan', actor: actor('coordinator'), outcome: 'approve' }, now);
      act(s, { type: 'decide', gateId: 'municipal-consent', actor: actor('municipality'), outcome: 'approve' }, now);
      return;
    case 'housing':
      act(s, { type: 'offer_housing', gateId: 'housing', actor: actor('municipality'), offer: offer('pass-offer', now) }, now);
      act(s, { type: 'accept_offer', gateId: 'housing', actor: actor('sponsor'), offerId: 'pass-offer' }, now);
      return;
    case 'agreement':
      act(s, { type: 'publish_agreement', gateId: 'sponsorship-agreement', actor: actor('coordinator'), document: doc(1) }, now);
      for (const slot of ['sponsor', 'municipality', 'coordinator'] as const) act(s, { type: 'sign', gateId: 'sponsorship-agreement', actor: actor(slot), version: 1 }, now);
      return;
    case 'visa':
      act(s, { type: 'decide', gateId: 'entry-visa', actor: actor('immigration'), outcome: 'approve' }, now);
      return;
    case 'pre-departure':
      act(s, { type: 'complete', gateId: 'orientation', actor: actor('iom') }, now);
      act(s, { type: 'complete', gateId: 'travel', actor: actor('iom') }, now);
      return;
    case 'arrival':
      act(s, { type: 'complete', gateId: 'arrival', actor: actor('sponsor') }, now);
      return;
    default:
      throw new Error(`no standard way through stage ${stage}`);
  }
}

/** Drives the case forward until it reaches `stageId` (everything happens at `now`). */
export function driveTo(s: CaseState, stageId: string, now: number): void {
  for (let i = 0; i < 10 && currentStage(s)!.id !== stageId; i++) passStage(s, now);
  expect(currentStage(s)!.id).toBe(stageId);
}
