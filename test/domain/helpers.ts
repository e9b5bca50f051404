/** Shared fixtures for the pure domain tests: a community-sponsorship case driven stage by stage. */
import { expect } from 'vitest';
import { refuseAction, type ActorRef, type CaseAction } from '../../domain/case-actions.js';
import { applyAction } from '../../domain/case-apply.js';
import { Recorder } from '../../domain/case-effects.js';
import { advance, newCaseState, programmeReplied, startCase } from '../../domain/case-lifecycle.js';
import { currentStage, type CaseState } from '../../domain/case-model.js';
import type { Role } from '../../domain/organisation.js';
import type { CaseMessage, ProgrammeReply } from '../../domain/programme-link.js';
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

/** The id of a text kept in PostgreSQL (a reason, note or comment): workflow state carries only ids. */
export const text = (n: number | string = 1) => `text-${n}`;

/** The ids of the messages waiting in the case's outbox, without the `case:<caseId>:` prefix. */
export const outboxKinds = (s: CaseState) => s.outbox.map((m) => m.id.replace(`case:${s.caseId}:`, ''));

/** A programme's answer: accepted, active and never paused unless `fields` says otherwise. */
export const reply = (fields: Partial<ProgrammeReply> = {}): ProgrammeReply => ({ accepted: true, status: 'active', epoch: 0, paused: false, ...fields });

/**
 * Delivers the case's outbox as its workflow does: oldest first, each message taken off before
 * its answer is applied. `answer` gives the programme's reply to each message.
 */
export function deliverOutbox(s: CaseState, now: number, answer: (m: CaseMessage) => ProgrammeReply = () => reply()): { delivered: CaseMessage[]; rec: Recorder } {
  const rec = new Recorder(s, s.caseId, now);
  const delivered: CaseMessage[] = [];
  while (s.outbox.length > 0) {
    const head = s.outbox.shift()!;
    delivered.push(head.message);
    programmeReplied(s, head.message, answer(head.message), rec);
  }
  advance(s, rec);
  return { delivered, rec };
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
      // The programme answers the case's messages; its request gets a place at once.
      if (s.status === 'waitlisted') deliverOutbox(s, now, (m) => reply(m.kind === 'request_place' ? { place: 'reserved' } : {}));
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
