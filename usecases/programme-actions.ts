/**
 * Actions on a programme — MoU versions and signatures, pause and resume, quota, close — declared
 * once and performed the same way for the API and the pages, with the same guarantees as case
 * actions: texts first, then the update, a 409 with the reason when refused, a 503 that says
 * whether a retry is safe.
 */
// zod with OpenAPI metadata: the API documents these very schemas.
import { writeProgrammeState } from '../activities/projection.js';
import { z } from '@hono/zod-openapi';
import type { ProgrammeAction, ProgrammeView } from '../domain/programme-model.js';
import { programmeUpdates, programmeWorkflowId } from '../workflows/contract.js';
import { actorOf, type Caller } from './caller.js';
import type { Deps } from './deps.js';
import { DocumentBody, storeDocument } from './documents.js';
import { beginRequest, finishRequest, requestScope, updateIdOf, type StoredAnswer } from './idempotency.js';
import { visibleProgramme } from './scope.js';
import { derivedId, discardRows, storeText, type StoredRow } from './texts.js';
import { refusedBody, storedRefusal } from './refused-answer.js';
import { outcomeUnknown, sendUpdate } from './updates.js';

export type ProgrammeActionType = ProgrammeAction['type'];

interface Prepared {
  input: object;
  rows: StoredRow[];
}

type Prepare = (body: any, ctx: { deps: Deps; programmeId: string; caller: Caller; seed: string }) => Promise<Prepared> | Prepared;

const reason = z.string().trim().min(1).max(2000);

/** Stores one text of the request and passes its id as `field`. */
const withText =
  (kind: 'reason' | 'comment', from: string, field: string): Prepare =>
  async (b, { deps, programmeId, caller, seed }) => {
    const id = derivedId(`${seed}:${kind}`);
    await storeText(deps.sql, id, { programmeId, personId: caller.personId }, kind, b[from]);
    return { input: { [field]: id }, rows: [{ table: 'texts', id }] };
  };

const asIs: Prepare = (b) => ({ input: b, rows: [] });

interface ProgrammeActionDefinition {
  type: ProgrammeActionType;
  /** Its address under the programme's in the API: `/v1/programmes/{id}/<path>`. */
  path: string;
  /** What it does, in one line, as the API documents it. */
  summary: string;
  /** People also do it with a form on the programme page; the others are done through the API only. */
  onPages: boolean;
  body: z.ZodType;
  /** A body the API reference shows and "try it out" starts from (test/api/docs.test.ts checks it against `body`). */
  example: object;
  prepare: Prepare;
}

/**
 * Every action on a programme, once: the API's route (api/programmes/actions.ts), the pages' form
 * handler (web/actions.ts) and its texts (web/i18n/) follow from these; the update is the contract's.
 */
export const programmeActions = [
  {
    type: 'publish_mou',
    path: 'agreement/publish',
    summary: 'Coordinator: publish version n+1 of the MoU (earlier signatures are void)',
    onPages: false,
    body: DocumentBody,
    example: { title: 'Memorandum of understanding', url: 'https://docs.example.org/mou-v2.pdf' },
    prepare: async (b, { deps, programmeId, seed }) => {
      const id = derivedId(`${seed}:document`);
      return { input: { document: await storeDocument(deps.sql, id, { programmeId }, b) }, rows: [{ table: 'agreement_documents', id }] };
    },
  },
  {
    type: 'sign_mou',
    path: 'agreement/sign',
    summary: 'Sign the current MoU version',
    onPages: true,
    body: z.object({ version: z.number().int().min(1).max(1_000_000) }),
    example: { version: 2 },
    prepare: asIs,
  },
  {
    type: 'request_mou_changes',
    path: 'agreement/request-changes',
    summary: 'Ask for changes to the MoU',
    onPages: true,
    body: z.object({ comment: reason }),
    example: { comment: 'Please name the contact person of each municipality.' },
    prepare: withText('comment', 'comment', 'commentRef'),
  },
  {
    type: 'pause',
    path: 'pause',
    summary: 'Pause the programme: every open case holds at its next gate, reminders stop',
    onPages: true,
    body: z.object({ reason }),
    example: { reason: 'The national agency reviews its procedures.' },
    prepare: withText('reason', 'reason', 'reasonRef'),
  },
  { type: 'resume', path: 'resume', summary: 'Resume the programme and its cases', onPages: true, body: z.object({}), example: {}, prepare: asIs },
  {
    type: 'set_quota',
    path: 'quota',
    summary: 'Change the quota (not below the places used or reserved)',
    onPages: false,
    body: z.object({ quota: z.number().int().min(0).max(100_000) }),
    example: { quota: 25 },
    prepare: asIs,
  },
  {
    type: 'close',
    path: 'close',
    summary: 'Close the programme (when no case is open)',
    onPages: false,
    body: z.object({ reason }),
    example: { reason: 'The pilot ended.' },
    prepare: withText('reason', 'reason', 'reasonRef'),
  },
] as const satisfies readonly ProgrammeActionDefinition[];

/** Compiles only while every programme action of the domain is declared above; the error names the one that is not. */
const _everyActionDeclared: { [T in Exclude<ProgrammeActionType, (typeof programmeActions)[number]['type']>]: `declare the action "${T}" here` } = {};

/** The programme actions the programme page offers forms for. */
export type ProgrammePageActionType = Extract<(typeof programmeActions)[number], { onPages: true }>['type'];

export const programmeActionOf = (type: ProgrammeActionType): ProgrammeActionDefinition => programmeActions.find((a) => a.type === type)!;

function replay(answer: StoredAnswer): ProgrammeView {
  if (answer.status === 200) return answer.body as ProgrammeView;
  throw storedRefusal(answer);
}

/** Performs one programme action as `caller`; `body` must have passed the action's schema. */
export async function runProgrammeAction(deps: Deps, caller: Caller, programmeId: string, type: ProgrammeActionType, body: unknown, idempotencyKey?: string): Promise<ProgrammeView> {
  const action = programmeActionOf(type);
  await visibleProgramme(deps.sql, caller, programmeId);
  const scope = requestScope(caller.personId, idempotencyKey, { programmeId, type, body });
  const { answer: before } = await beginRequest(deps.sql, scope);
  if (before) return replay(before);
  const { input, rows } = await action.prepare(body, { deps, programmeId, caller, seed: scope.seed });
  const outcome = await sendUpdate<ProgrammeView>(
    deps.temporal,
    deps.temporal.workflow.getHandle(programmeWorkflowId(programmeId)),
    programmeUpdates[type],
    { ...input, actor: actorOf(caller) },
    updateIdOf(scope),
  );
  switch (outcome.kind) {
    case 'applied':
      // Read your own writes: the lists and the intake check see the new state now, not after the
      // workflow's projection (which would write the same; if this write fails, it still will).
      await writeProgrammeState(deps.sql, outcome.result).catch(() => undefined);
      return replay(await finishRequest(deps.sql, scope, { status: 200, body: outcome.result }));
    case 'refused':
    case 'gone': {
      await discardRows(deps.sql, rows).catch(() => undefined);
      const body = refusedBody(outcome.kind === 'refused' ? outcome : { code: 'programme-closed' });
      return replay(await finishRequest(deps.sql, scope, { status: 409, body }));
    }
    case 'unknown':
      throw outcomeUnknown(Boolean(idempotencyKey));
  }
}
