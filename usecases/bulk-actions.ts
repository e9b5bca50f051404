/**
 * Bulk actions: a coordinator nudges, extends, reassigns, holds or resumes many cases at once —
 * the cases ticked on the list, or every case matching a filter of the list. The API
 * (`/v1/bulk-actions`) and the pages (web/bulk.tsx) start them here alike, and read them in
 * usecases/bulk-results.ts.
 *
 * - Who: only a coordinator starts one, and only their organisation reads it afterwards. Every
 *   case chosen must be visible to the caller's organisation (an id that is not is a 400, as if it
 *   did not exist); a visible case the organisation does not coordinate is recorded at once as
 *   refused (`coordinator-only`), nothing sent. Each case's workflow checks again, by its own rules.
 * - Exactly once: the bulk action's id comes from the Idempotency-Key (a form's `_key`), so a
 *   retried request starts nothing twice; each item is sent to its case with an update id derived
 *   from the bulk action and the case (activities/bulk.ts), so each applies once at most.
 * - Texts: the reason is stored in PostgreSQL once as typed and once per case (a case refers to a
 *   text of its own); the workflows carry ids only.
 * - Which step: for nudge, extend and reassign, `gateId` names one step for every case; without
 *   it, each case's open step due first (the list's "next step"), chosen when its item is carried out.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import type { Sql } from '../infra/db.js';
import { BULK_ACTIONS, bulkActionWorkflowId, type BulkActionType } from '../workflows/contract.js';
import type { bulkActionWorkflow } from '../workflows/bulk.js';
import type { Caller } from './caller.js';
import { CaseListQuery, listCases } from './case-list.js';
import type { Deps } from './deps.js';
import { beginRequest, finishRequest, requestScope } from './idempotency.js';
import { invalidInput, ProblemError } from './problem.js';
import { startOnce } from './start-workflow.js';
import { derivedId } from './texts.js';
import { RETRY_AFTER_SECONDS } from './updates.js';

/** Cases listed one by one in one bulk action: a page of the list ticked ten times over. */
export const MAX_LISTED_CASES = 1_000;
/** Cases a filter may reach: beyond this, narrow the filter (or send several bulk actions). */
export const MAX_FILTERED_CASES = 5_000;

/** The filters of the case list (`GET /v1/cases`), as its query string spells them; never a page of it. */
export const BulkFilter = CaseListQuery.omit({ cursor: true, limit: true }).strict();

const reason = z.string().trim().min(1).max(2000);

export const NewBulkAction = z
  .object({
    action: z.enum(BULK_ACTIONS).openapi({ description: 'What to do with every case: the same as the single action on one case' }),
    caseIds: z.array(z.uuid()).min(1).max(MAX_LISTED_CASES).optional().openapi({ description: `The cases, one by one (at most ${MAX_LISTED_CASES}); or give \`filter\`` }),
    filter: z
      .record(z.string().max(40), z.string().max(400))
      .optional()
      .openapi({ description: `Every case the case list (\`GET /v1/cases\`) shows with these filters, as its query string spells them (\`cursor\`, \`limit\` excluded; at most ${MAX_FILTERED_CASES} cases); or give \`caseIds\`` }),
    gateId: z.string().min(1).max(40).optional().openapi({ description: 'nudge, extend, reassign: this step of every case; without it, each case\'s open step due first' }),
    dueAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'extend: the new due date (later than each step\'s current one)' }),
    organisationId: z.uuid().optional().openapi({ description: 'reassign: the organisation to give the step to, of the same kind as the one it waits on now' }),
    reason: reason.optional().openapi({ description: 'extend, reassign, hold: why (kept in PostgreSQL; every case shows it as a single action\'s reason)' }),
  })
  .openapi('NewBulkAction', { example: { action: 'extend', filter: { stuck: 'true', stage: 'housing' }, dueAt: '2027-03-31T12:00:00Z', reason: 'The housing market is slow this spring.' } });
export type NewBulkAction = z.infer<typeof NewBulkAction>;

const NEEDS: Record<BulkActionType, (keyof NewBulkAction)[]> = { nudge: [], extend: ['dueAt', 'reason'], reassign: ['organisationId', 'reason'], hold: ['reason'], resume: [] };
const GATED = new Set<BulkActionType>(['nudge', 'extend', 'reassign']);

/** A case chosen, in the order chosen, and whether the caller's organisation coordinates it. */
export interface ChosenCase {
  id: string;
  reference: string;
  coordinated: boolean;
}

/** The selection as the caller chose it: cases listed by id, or a filter of the case list. */
export type Selection = { caseIds: string[] } | { filter: Record<string, string> };

export const coordinatorsOnly = () => new ProblemError(403, 'Coordinators only', 'Bulk actions are for coordinators.');

/** The filter as the list reads it, or a 400 naming each filter it would refuse. */
function checkedFilter(filter: Record<string, string>): Record<string, string> {
  const filters = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== ''));
  const parsed = BulkFilter.safeParse(filters);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: ['filter', ...i.path.map(String), ...('keys' in i ? i.keys : [])].join('.'), message: i.message }));
    throw new ProblemError(400, 'Invalid input', `${errors.length} field(s) are invalid`, { errors });
  }
  return Object.fromEntries(Object.entries(filters).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The cases a selection chooses, each checked: visible to the caller's organisation (else 400),
 * and coordinated by it or not. A filter is read through the case list itself, page by page, so
 * it chooses exactly the cases the list shows.
 */
export async function chosenCases(sql: Sql, caller: Caller, selection: Selection): Promise<ChosenCase[]> {
  let ids: string[];
  if ('caseIds' in selection) {
    ids = [...new Set(selection.caseIds.map((id) => id.toLowerCase()))];
  } else {
    const filter = checkedFilter(selection.filter);
    ids = [];
    let cursor: string | undefined;
    do {
      const page = await listCases(sql, caller, CaseListQuery.parse({ ...filter, limit: 100, ...(cursor ? { cursor } : {}) }));
      ids.push(...page.items.map((i) => i.id));
      if (ids.length > MAX_FILTERED_CASES) throw invalidInput('filter', `matches more than ${MAX_FILTERED_CASES} cases; narrow it, or send several bulk actions`);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  if (ids.length === 0) return [];
  const rows = await sql<{ id: string; reference: string; coordinator: string | null }[]>`
    SELECT c.id, c.reference, c.coordinator_organisation_id AS coordinator FROM cases c
    WHERE c.id = ANY(${ids}::uuid[]) AND EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.organisation_id = ${caller.organisationId})`;
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = 'caseIds' in selection ? selection.caseIds.flatMap((id, i) => (found.has(id.toLowerCase()) ? [] : [i])) : [];
  if (missing.length) {
    const errors = missing.slice(0, 20).map((i) => ({ field: `caseIds.${i}`, message: 'no case with this id is visible to you' }));
    throw new ProblemError(400, 'Invalid input', `${missing.length} case(s) are not visible to you`, { errors });
  }
  return ids.flatMap((id) => {
    const r = found.get(id);
    return r ? [{ id, reference: r.reference, coordinated: r.coordinator === caller.organisationId }] : [];
  });
}

/** The checks of the request's shape that the schema cannot make: a selection, the fields the action needs. */
function selectionOf(body: NewBulkAction): Selection {
  if ((body.caseIds === undefined) === (body.filter === undefined)) throw invalidInput('caseIds', 'give either caseIds or filter');
  for (const field of NEEDS[body.action]) if (body[field] === undefined) throw invalidInput(field, `required to ${body.action}`);
  if (body.gateId !== undefined && !GATED.has(body.action)) throw invalidInput('gateId', `${body.action} acts on the whole case, not on a step`);
  return body.caseIds ? { caseIds: body.caseIds } : { filter: body.filter! };
}

/**
 * The checks that depend on the time and the database, made only for a request not answered
 * before: a retry gets its first answer even after the date it asked for has passed.
 */
async function checkNow(sql: Sql, body: NewBulkAction): Promise<void> {
  if (body.action === 'extend' && Date.parse(body.dueAt!) <= Date.now()) throw invalidInput('dueAt', 'must be in the future');
  if (body.action === 'reassign') {
    const [org] = await sql<{ kind: string }[]>`SELECT kind FROM organisations WHERE id = ${body.organisationId!}`;
    if (!org) throw invalidInput('organisationId', 'no organisation with this id');
    if (org.kind === 'coordinator') throw invalidInput('organisationId', 'a step is never given to a coordinating organisation');
  }
}

export interface BulkStarted {
  id: string;
  action: BulkActionType;
  /** Cases chosen; `refusedAtOnce` of them are not coordinated by the caller's organisation. */
  total: number;
  refusedAtOnce: number;
  status: 'running' | 'done';
  workflowId: string;
}

/** Starts the workflow of a bulk action whose rows exist; throws WorkflowExecutionAlreadyStartedError if it ran or runs. */
function startBulkWorkflowOnce(temporal: Client, taskQueue: string, id: string) {
  return temporal.workflow.start<typeof bulkActionWorkflow>('bulkActionWorkflow', {
    workflowId: bulkActionWorkflowId(id),
    taskQueue,
    args: [{ bulkId: id }],
    // A bulk action runs once: a retry, running or after it finished, finds it and starts nothing.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

/** Starts (or finds started) the workflow of a bulk action whose rows exist. */
const startBulkWorkflow = (deps: Deps & { taskQueue: string }, id: string): Promise<'started' | 'unknown'> => startOnce(() => startBulkWorkflowOnce(deps.temporal, deps.taskQueue, id));

/**
 * For the worker's watchdog: starts the workflows of bulk actions recorded `olderThanMs` ago or
 * longer whose start never reached Temporal (the request answered 503 and was not sent again).
 * Returns the ids it started.
 */
export async function startForgottenBulkActions(deps: Deps & { taskQueue: string }, olderThanMs: number): Promise<string[]> {
  const rows = await deps.sql<{ id: string }[]>`
    SELECT id FROM bulk_actions WHERE status = 'running' AND created_at < now() - ${olderThanMs} * interval '1 millisecond' ORDER BY created_at LIMIT 100`;
  const started: string[] = [];
  for (const { id } of rows) {
    try {
      await startBulkWorkflowOnce(deps.temporal, deps.taskQueue, id);
      started.push(id);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return started;
}

/**
 * `POST /v1/bulk-actions` and the pages' confirmed bulk form: records the bulk action and its
 * items, then starts its workflow, and answers 202 at once. Started once per Idempotency-Key.
 */
export async function startBulkAction(deps: Deps & { taskQueue: string }, caller: Caller, body: NewBulkAction, key: string | undefined): Promise<{ status: 202; body: BulkStarted }> {
  const { sql } = deps;
  if (caller.role !== 'coordinator') throw coordinatorsOnly();
  const selection = selectionOf(body);
  const scope = requestScope(caller.personId, key, { route: 'bulk-action', body });
  const begun = await beginRequest(sql, scope, randomUUID());
  if (begun.answer) return begun.answer as { status: 202; body: BulkStarted };
  const id = begun.resourceId ?? randomUUID();

  const [known] = await sql<{ total: number }[]>`SELECT total FROM bulk_actions WHERE id = ${id}`;
  let total = known?.total ?? 0;
  if (!known) {
    await checkNow(sql, body);
    const cases = await chosenCases(sql, caller, selection);
    if (cases.length === 0) throw invalidInput('filter' in selection ? 'filter' : 'caseIds', 'chooses no case');
    total = cases.length;
    const params = { ...(body.gateId ? { gateId: body.gateId } : {}), ...(body.dueAt ? { dueAt: body.dueAt } : {}), ...(body.organisationId ? { organisationId: body.organisationId } : {}) };
    const reasonOf = (caseId: string | null) => derivedId(`${scope.seed}:bulk-reason:${caseId ?? 'typed'}`);
    await sql.begin(async (tx) => {
      const typed = body.reason === undefined ? null : reasonOf(null);
      if (typed) await tx`INSERT INTO texts (id, person_id, kind, body) VALUES (${typed}, ${caller.personId}, 'reason', ${body.reason!}) ON CONFLICT (id) DO NOTHING`;
      const [inserted] = await tx`
        INSERT INTO bulk_actions (id, organisation_id, person_id, action, params, reason_ref, selection, filter, total)
        VALUES (${id}, ${caller.organisationId}, ${caller.personId}, ${body.action}, ${tx.json(params)}, ${typed}, ${'caseIds' in selection ? 'cases' : 'filter'},
                ${'filter' in selection ? tx.json(checkedFilter(selection.filter)) : null}, ${total})
        ON CONFLICT (id) DO NOTHING RETURNING id`;
      if (!inserted) return; // another attempt of the same request recorded it first
      const texts = typed ? cases.filter((c) => c.coordinated).map((c) => ({ id: reasonOf(c.id), case_id: c.id, person_id: caller.personId, kind: 'reason', body: body.reason! })) : [];
      for (let i = 0; i < texts.length; i += 1_000) await tx`INSERT INTO texts ${tx(texts.slice(i, i + 1_000))} ON CONFLICT (id) DO NOTHING`;
      const items = cases.map((c, position) => ({
        bulk_id: id,
        case_id: c.id,
        position,
        gate_id: body.gateId ?? null,
        reason_ref: typed && c.coordinated ? reasonOf(c.id) : null,
        // Refused at once, nothing sent: the caller's organisation does not coordinate this case.
        status: c.coordinated ? 'pending' : 'refused',
        code: c.coordinated ? null : 'coordinator-only',
        params: c.coordinated ? null : tx.json({ action: body.action }),
        finished_at: c.coordinated ? null : new Date(),
      }));
      for (let i = 0; i < items.length; i += 1_000) await tx`INSERT INTO bulk_action_items ${tx(items.slice(i, i + 1_000))}`;
    });
  }
  if ((await startBulkWorkflow(deps, id)) === 'unknown') {
    throw new ProblemError(
      503,
      'Temporal is unavailable',
      key
        ? 'The bulk action is recorded but could not be started yet. Send the same request again with the same Idempotency-Key (it is started once); SafeRoutes also starts it by itself within a minute or two.'
        : 'The bulk action is recorded but could not be started yet; SafeRoutes starts it by itself within a minute or two. Send requests with an Idempotency-Key so that a retry cannot start a second one.',
      { bulkId: id },
      RETRY_AFTER_SECONDS,
    );
  }
  // As recorded, by this attempt or by another of the same request.
  const [row] = await sql<{ refused: number; total: number }[]>`
    SELECT b.total, (SELECT count(*)::int FROM bulk_action_items i WHERE i.bulk_id = b.id AND i.code = 'coordinator-only') AS refused
    FROM bulk_actions b WHERE b.id = ${id}`;
  const started: BulkStarted = { id, action: body.action, total: row?.total ?? total, refusedAtOnce: row?.refused ?? 0, status: 'running', workflowId: bulkActionWorkflowId(id) };
  return (await finishRequest(sql, scope, { status: 202, body: started })) as { status: 202; body: BulkStarted };
}
