/**
 * Every action a person can take on a case, declared once for the API and the pages alike: where it
 * is, what it does, the body it takes, and what it writes to PostgreSQL first (texts stay out of
 * Temporal) before the workflow update (workflows/contract.ts) applies it. Exactly once, or
 * honestly unknown: a refusal is a 409 with the workflow's reason (and its rows are deleted); an
 * outcome that cannot be confirmed is a 503 that says whether a retry is safe; an
 * `Idempotency-Key` makes every retry get the first answer.
 */
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import { MAX_SHORTLIST, type CaseAction } from '../domain/case-actions.js';
import type { CaseView } from '../domain/case-view.js';
import type { Sql } from '../infra/db.js';
import { caseUpdates, caseWorkflowId, wouldRefuseQuery, type ActionInput } from '../workflows/contract.js';
import { actorOf, type Caller } from './caller.js';
import { DocumentBody, storeDocument } from './documents.js';
import type { Deps } from './deps.js';
import { beginRequest, finishRequest, requestScope, updateIdOf, type RequestScope, type StoredAnswer } from './idempotency.js';
import { checkCandidates } from './match.js';
import { invalidInput, type ProblemError } from './problem.js';
import { LIVE_READ_DEADLINE_MS } from './read-case.js';
import { visibleCase } from './scope.js';
import { derivedId, discardRows, storeText, type StoredRow } from './texts.js';
import { refusedBody, storedRefusal } from './refused-answer.js';
import { outcomeUnknown, sendUpdate } from './updates.js';

type Type = CaseAction['type'];

/** What an action's `prepare` may do: write rows (recorded, so a refusal can delete them). */
export class Preparation {
  readonly rows: StoredRow[] = [];
  constructor(
    readonly sql: Sql,
    readonly caseId: string,
    readonly caller: Caller,
    private readonly seed: string,
    /** The step a gate action names (undefined for the case's own actions). */
    readonly gateId?: string,
  ) {}

  /** An id for a row this request writes: the same on every retry of the request. */
  idFor(purpose: string): string {
    return derivedId(`${this.seed}:${purpose}`);
  }

  async text(kind: 'reason' | 'comment' | 'note', body: string): Promise<string> {
    const id = this.idFor(kind);
    this.rows.push({ table: 'texts', id });
    return storeText(this.sql, id, { caseId: this.caseId, personId: this.caller.personId }, kind, body);
  }

  async optionalText(kind: 'reason' | 'note', body: string | undefined): Promise<string | undefined> {
    return body === undefined ? undefined : this.text(kind, body);
  }

  recordRow(table: StoredRow['table'], id: string): string {
    this.rows.push({ table, id });
    return id;
  }
}

type WithoutGateAndActor<T extends Type> = Omit<ActionInput<T>, 'actor' | (ActionInput<T> extends { gateId: string } ? 'gateId' : never)>;

interface ActionDefinition<T extends Type, B extends z.ZodType> {
  type: T;
  /** Gate actions name their gate (in the API path, in a form field); the others act on the whole case. */
  onGate: boolean;
  /** Its address in the API: under the case (`/v1/cases/{id}/<path>`), or for gate actions under the gate (`…/gates/{gateId}/<path>`). */
  path: string;
  /** What it does, in one line, as the API documents it. */
  summary: string;
  body: B;
  /** A body the API reference shows and "try it out" starts from (test/api/docs.test.ts checks it against `body`). */
  example: z.input<B>;
  /** The update's input but for the actor and the gate id, writing what stays in PostgreSQL. */
  prepare(body: z.infer<B>, p: Preparation): Promise<WithoutGateAndActor<T>> | WithoutGateAndActor<T>;
}

const define = <T extends Type, B extends z.ZodType>(a: ActionDefinition<T, B>) => a;
const reason = z.string().trim().min(1).max(2000);
const EXAMPLE_OFFER_ID = '9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b';

/**
 * Every action on a case, once: the API's route (api/cases/actions.ts), the pages' form handler
 * (web/actions.ts) and the texts (web/i18n/) follow from these; the update is the contract's.
 */
export const caseActions = [
  define({
    type: 'decide',
    onGate: true,
    path: 'decision',
    summary: 'Approve, reject (with a reason) or ask for more information',
    body: z.object({ outcome: z.enum(['approve', 'reject', 'request_info']), reason: reason.optional() }),
    example: { outcome: 'request_info', reason: 'Please send the registration certificate.' },
    prepare: async (b, p) => ({ outcome: b.outcome, reasonRef: await p.optionalText('reason', b.reason) }),
  }),
  define({
    type: 'complete',
    onGate: true,
    path: 'complete',
    summary: 'Mark a task done',
    body: z.object({ note: z.string().trim().min(1).max(2000).optional() }),
    example: { note: 'Welcome pack delivered.' },
    prepare: async (b, p) => ({ noteRef: await p.optionalText('note', b.note) }),
  }),
  define({
    type: 'offer_housing',
    onGate: true,
    path: 'offer',
    summary: 'Municipality: offer housing (the address is kept in PostgreSQL only)',
    body: z.object({ address: z.string().trim().min(1).max(500), rooms: z.number().int().min(1).max(20), accessible: z.boolean(), availableFrom: z.iso.date(), validUntil: z.iso.datetime({ offset: true }) }),
    example: { address: 'Oudegracht 1, 3511 AA Utrecht', rooms: 3, accessible: true, availableFrom: '2027-03-01', validUntil: '2027-02-15T12:00:00Z' },
    prepare: async (b, p) => {
      const offerId = p.recordRow('housing_offers', p.idFor('offer'));
      await p.sql`
        INSERT INTO housing_offers (id, case_id, organisation_id, address) VALUES (${offerId}, ${p.caseId}, ${p.caller.organisationId}, ${b.address})
        ON CONFLICT (id) DO NOTHING`;
      return { offer: { offerId, rooms: b.rooms, accessible: b.accessible, availableFrom: b.availableFrom, validUntil: b.validUntil } };
    },
  }),
  define({
    type: 'decline_housing_request',
    onGate: true,
    path: 'decline-request',
    summary: 'Municipality: no capacity (coordinators are told at once)',
    body: z.object({ reason }),
    example: { reason: 'No family housing free before the summer.' },
    prepare: async (b, p) => ({ reasonRef: await p.text('reason', b.reason) }),
  }),
  define({
    type: 'accept_offer',
    onGate: true,
    path: 'accept',
    summary: 'Accept the open housing offer',
    body: z.object({ offerId: z.uuid() }),
    example: { offerId: EXAMPLE_OFFER_ID },
    prepare: (b) => b,
  }),
  define({
    type: 'decline_offer',
    onGate: true,
    path: 'decline',
    summary: 'Decline the open housing offer, with a reason',
    body: z.object({ offerId: z.uuid(), reason }),
    example: { offerId: EXAMPLE_OFFER_ID, reason: 'Too far from the children’s school.' },
    prepare: async (b, p) => ({ offerId: b.offerId, reasonRef: await p.text('reason', b.reason) }),
  }),
  define({
    type: 'publish_agreement',
    onGate: true,
    path: 'publish',
    summary: 'Coordinator: publish version n+1 of the agreement (earlier signatures are void)',
    body: DocumentBody,
    example: { title: 'Sponsorship agreement', text: 'The sponsor group supports the household for twelve months.' },
    prepare: async (b, p) => ({ document: await storeDocument(p.sql, p.recordRow('agreement_documents', p.idFor('document')), { caseId: p.caseId }, b) }),
  }),
  define({
    type: 'sign',
    onGate: true,
    path: 'sign',
    summary: 'Sign the current version',
    body: z.object({ version: z.number().int().min(1).max(1_000_000) }),
    example: { version: 1 },
    prepare: (b) => b,
  }),
  define({
    type: 'request_changes',
    onGate: true,
    path: 'request-changes',
    summary: 'Ask for changes to the agreement',
    body: z.object({ comment: reason }),
    example: { comment: 'Please add the language course to article 2.' },
    prepare: async (b, p) => ({ commentRef: await p.text('comment', b.comment) }),
  }),
  define({
    type: 'submit_checkin',
    onGate: true,
    path: 'checkin',
    summary: 'Submit the next check-in report (the report text stays in PostgreSQL)',
    body: z.object({ reportIndex: z.number().int().min(0).max(100), report: z.string().trim().min(1).max(20_000) }),
    example: { reportIndex: 0, report: 'The family has settled in; the children started school.' },
    prepare: async (b, p) => {
      const reportRef = p.recordRow('checkin_reports', p.idFor('report'));
      await p.sql`
        INSERT INTO checkin_reports (id, case_id, person_id, body) VALUES (${reportRef}, ${p.caseId}, ${p.caller.personId}, ${b.report})
        ON CONFLICT (id) DO NOTHING`;
      return { reportIndex: b.reportIndex, reportRef };
    },
  }),
  define({
    type: 'propose_match',
    onGate: true,
    path: 'propose-match',
    summary: 'Coordinator: propose the case to a shortlist of organisations of the kind the match fills, in order (the first is asked now, the next after a decline or lapse); 422 names a candidate not of that kind',
    body: z.object({ candidates: z.array(z.uuid()).min(1).max(MAX_SHORTLIST) }),
    example: { candidates: ['3f1c2b7e-8d4a-4e6b-9c0d-1a2b3c4d5e6f', '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d'] },
    prepare: async (b, p) => {
      await checkCandidates(p.sql, p.caseId, p.gateId, b.candidates);
      return { candidates: b.candidates };
    },
  }),
  define({
    type: 'accept_match',
    onGate: true,
    path: 'accept-match',
    summary: 'The organisation the case is proposed to: take the case (it fills the party the match is for)',
    body: z.object({}),
    example: {},
    prepare: () => ({}),
  }),
  define({
    type: 'decline_match',
    onGate: true,
    path: 'decline-match',
    summary: 'The organisation the case is proposed to: decline it, with a reason (the next candidate is asked)',
    body: z.object({ reason }),
    example: { reason: 'We are already supporting two families this year.' },
    prepare: async (b, p) => ({ reasonRef: await p.text('reason', b.reason) }),
  }),
  define({
    type: 'nudge',
    onGate: false,
    path: 'nudge',
    summary: 'Coordinator: remind whoever a gate waits on now',
    body: z.object({ gateId: z.string().min(1).max(40) }),
    example: { gateId: 'housing' },
    prepare: (b) => b,
  }),
  define({
    type: 'extend',
    onGate: false,
    path: 'extend',
    summary: "Coordinator: move a gate's due date later (a date set during a hold stands as set)",
    body: z.object({ gateId: z.string().min(1).max(40), dueAt: z.iso.datetime({ offset: true }), reason }),
    example: { gateId: 'eligibility', dueAt: '2027-01-31T12:00:00Z', reason: 'Interview planned.' },
    prepare: async (b, p) => ({ gateId: b.gateId, dueAt: b.dueAt, reasonRef: await p.text('reason', b.reason) }),
  }),
  define({
    type: 'reassign',
    onGate: false,
    path: 'reassign',
    summary: 'Coordinator: give a gate to another organisation of the same kind (e.g. another municipality)',
    body: z.object({ gateId: z.string().min(1).max(40), organisationId: z.uuid(), reason }),
    example: { gateId: 'municipal-consent', organisationId: '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22', reason: 'The first municipality has no capacity.' },
    prepare: async (b, p) => {
      const [row] = await p.sql<{ kind: string; currentKind: string | null }[]>`
        SELECT o.kind, (
          SELECT a.kind FROM cases c, jsonb_array_elements(c.state->'gates') g JOIN organisations a ON a.id = (g->>'assignee')::uuid
          WHERE c.id = ${p.caseId} AND g->>'id' = ${b.gateId}) AS "currentKind"
        FROM organisations o WHERE o.id = ${b.organisationId}`;
      if (!row) throw invalidInput('organisationId', 'no organisation with this id');
      if (row.currentKind && row.currentKind !== row.kind) throw invalidInput('organisationId', `must be an organisation of kind ${row.currentKind}, like the one it replaces`);
      return { gateId: b.gateId, organisationId: b.organisationId, reasonRef: await p.text('reason', b.reason) };
    },
  }),
  define({
    type: 'hold',
    onGate: false,
    path: 'hold',
    summary: 'Coordinator: put the case on hold (reminders stop)',
    body: z.object({ reason }),
    example: { reason: 'Waiting for travel documents.' },
    prepare: async (b, p) => ({ reasonRef: await p.text('reason', b.reason) }),
  }),
  define({
    type: 'resume',
    onGate: false,
    path: 'resume',
    summary: 'Coordinator: resume a held case (deadlines move on by the time held)',
    body: z.object({}),
    example: {},
    prepare: () => ({}),
  }),
  define({
    type: 'withdraw',
    onGate: false,
    path: 'withdraw',
    summary: 'Coordinator: withdraw the case (its quota place is released)',
    body: z.object({ reason }),
    example: { reason: 'The family chose another route.' },
    prepare: async (b, p) => ({ reasonRef: await p.text('reason', b.reason) }),
  }),
] as const;

/** Compiles only while every action of the domain is declared above; the error names the one that is not. */
const _everyActionDeclared: { [T in Exclude<Type, (typeof caseActions)[number]['type']>]: `declare the action "${T}" here` } = {};

export type CaseActionType = Type;
export const caseActionOf = (type: CaseActionType) => caseActions.find((a) => a.type === type)!;
export const isGateAction = (type: CaseActionType) => caseActionOf(type).onGate;

/**
 * A preparation that writes nothing: the action as it would be sent, its texts standing in by
 * placeholder ids (the rules ask only whether a reason is given, never what it says). An action
 * whose `prepare` writes by itself cannot be rehearsed: its `sql` throws.
 */
class Rehearsal extends Preparation {
  constructor(caseId: string, caller: Caller) {
    super(
      (() => {
        throw new Error('a rehearsal writes nothing');
      }) as unknown as Sql,
      caseId,
      caller,
      'rehearsal',
    );
  }
  override text(): Promise<string> {
    return Promise.resolve(this.idFor('text'));
  }
  override optionalText(_kind: 'reason' | 'note', body: string | undefined): Promise<string | undefined> {
    return Promise.resolve(body === undefined ? undefined : this.idFor('text'));
  }
}

/**
 * Whether the case's workflow would refuse this action now (the refusal, as a 409 would carry
 * it), asked before a person confirms an action that cannot be undone. Undefined when it would
 * not, or when nobody can say within the live-read deadline: the action itself will tell.
 */
export async function wouldRefuse({ temporal }: Deps, caller: Caller, caseId: string, type: CaseActionType, body: unknown, gateId?: string): Promise<ProblemError | undefined> {
  try {
    const input = await (caseActionOf(type).prepare as (b: unknown, p: Preparation) => Promise<object> | object)(body, new Rehearsal(caseId, caller));
    const action = { type, ...input, ...(gateId ? { gateId } : {}), actor: actorOf(caller) } as CaseAction;
    const refusal = await temporal.withDeadline(Date.now() + LIVE_READ_DEADLINE_MS, () => temporal.workflow.getHandle(caseWorkflowId(caseId)).query(wouldRefuseQuery, action));
    return refusal ? storedRefusal({ status: 409, body: refusedBody(refusal) }) : undefined;
  } catch {
    return undefined;
  }
}

/** The stored answer as the caller gets it: the case state, or the refusal it got the first time. */
function replay(answer: StoredAnswer): CaseView {
  if (answer.status === 200) return answer.body as CaseView;
  throw storedRefusal(answer);
}

/**
 * Performs one action as `caller`. `body` must have passed the action's schema. Returns the new
 * case state; throws ProblemError 404 (not visible), 409 (refused, with the refusal) or 503
 * (outcome unknown, or a service down before anything was sent).
 */
export async function runCaseAction(
  { temporal, sql }: Deps,
  caller: Caller,
  caseId: string,
  type: CaseActionType,
  body: unknown,
  options: { gateId?: string; idempotencyKey?: string } = {},
): Promise<CaseView> {
  const action = caseActionOf(type);
  await visibleCase(sql, caller, caseId);
  const scope: RequestScope = requestScope(caller.personId, options.idempotencyKey, { caseId, type, gateId: options.gateId ?? null, body });
  const { answer: before } = await beginRequest(sql, scope);
  if (before) return replay(before);

  const preparation = new Preparation(sql, caseId, caller, scope.seed, options.gateId);
  const input = await (action.prepare as (b: unknown, p: Preparation) => Promise<object> | object)(body, preparation);
  const outcome = await sendUpdate<CaseView>(
    temporal,
    temporal.workflow.getHandle(caseWorkflowId(caseId)),
    caseUpdates[type],
    { ...input, ...(options.gateId ? { gateId: options.gateId } : {}), actor: actorOf(caller) },
    updateIdOf(scope),
  );
  switch (outcome.kind) {
    case 'applied':
      return replay(await finishRequest(sql, scope, { status: 200, body: outcome.result }));
    case 'refused':
    case 'gone': {
      const body = refusedBody(outcome.kind === 'refused' ? outcome : { code: 'case-closed' });
      await discardRows(sql, preparation.rows).catch(() => undefined);
      return replay(await finishRequest(sql, scope, { status: 409, body }));
    }
    case 'unknown':
      throw outcomeUnknown(Boolean(options.idempotencyKey));
  }
}
