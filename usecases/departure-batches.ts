/**
 * Departure batches: a programme's coordinator groups the cases that are ready to travel (their
 * current stage has an open step done at a batch's departure) into a batch with a departure date,
 * confirms its departure and later its arrival once, and every case in it moves on — each case by
 * its own rules, so one that dropped out (held, withdrawn, its visa refused) never holds the others.
 * The API (api/departure-batches.ts) and the pages (web/departure-batches.tsx) call these alike.
 *
 * - Who: the programme's coordinating organisation reads its batches (a signatory gets 403, anyone
 *   else 404); its coordinators change them. Each case's parties see only their own case's batch
 *   (`caseDepartureBatch`), never the other cases in it: they are other households.
 * - Exactly once: every change takes an Idempotency-Key (a form's `_key`); the batch's id comes from
 *   it, and a confirmation reaches the batch's workflow with an update id derived from it.
 * - A case is in at most one planned batch (a unique index); a case of a planned batch that ends or
 *   is held meanwhile reads as dropped, and the departure's fan-out records the case's own refusal.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from '@hono/zod-openapi';
import { stepsDoneInBatch } from '../domain/pathway.js';
import type { Queryable, Sql } from '../infra/db.js';
import { isOutcomeUnknown, isWorkflowGone } from '../infra/temporal-errors.js';
import {
  cancelBatchUpdate,
  confirmArrivalUpdate,
  confirmDepartureUpdate,
  departureBatchWorkflowId,
  type BatchRefusal,
  type departureBatchWorkflow,
} from '../workflows/departure-batch.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { beginRequest, finishRequest, requestScope, updateIdOf } from './idempotency.js';
import { ProblemError } from './problem.js';
import { programmeNotFound } from './scope.js';
import { startOnce } from './start-workflow.js';
import { outcomeUnknown, RETRY_AFTER_SECONDS, UPDATE_DEADLINE_MS } from './updates.js';

export const BATCH_STATUSES = ['planned', 'departed', 'arrived', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const MEMBER_STATUSES = ['in', 'dropped', 'travelled', 'arrived'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
/** What a coordinator does to a batch as a whole. */
export const BATCH_ACTIONS = ['departure', 'arrival', 'cancel'] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];

/** Why a case may not join a batch now. */
export const NOT_READY_CODES = ['not-in-programme', 'case-not-active', 'case-on-hold', 'not-ready-to-travel', 'in-another-batch'] as const;
export type NotReadyCode = (typeof NOT_READY_CODES)[number];

/** At most this many cases are added at once, and listed as ready. */
export const MAX_BATCH_CASES = 200;

export const NewDepartureBatch = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ description: 'Your name for the batch, e.g. the flight ("March flight") — never a person\'s name' }),
    departureDate: z.iso.date().openapi({ description: 'The day the batch departs (YYYY-MM-DD), today or later; you are reminded on it if the departure is not confirmed' }),
  })
  .openapi('NewDepartureBatch', { example: { name: 'March flight', departureDate: '2027-03-12' } });
export type NewDepartureBatch = z.infer<typeof NewDepartureBatch>;

export const AddBatchCases = z
  .object({ caseIds: z.array(z.uuid()).min(1).max(MAX_BATCH_CASES).openapi({ description: 'Cases of the batch\'s programme that are ready to travel' }) })
  .openapi('AddBatchCases', { example: { caseIds: ['0b7d4e2a-6c1f-4a3b-8e59-7f2d1c0a9b64'] } });
export type AddBatchCases = z.infer<typeof AddBatchCases>;

export interface BatchSummary {
  id: string;
  programmeId: string;
  name: string;
  departureDate: string;
  status: BatchStatus;
  createdAt: string;
  departedAt: string | null;
  arrivedAt: string | null;
  cancelledAt: string | null;
  remindedAt: string | null;
  /** Cases by their state now (a case of a planned batch that ended or is held counts as dropped). */
  counts: Record<MemberStatus, number>;
  /** Cases still being sent their travel or arrival step. */
  pending: number;
}

export interface BatchMember {
  caseId: string;
  reference: string;
  stage: string | null;
  status: MemberStatus;
  /** Why it dropped out: the case's refusal code (`case-on-hold`, `case-final`, `gate-not-open`…). */
  code: string | null;
  params: Record<string, unknown>;
  departure: 'pending' | 'done' | 'dropped' | null;
  arrival: 'pending' | 'done' | 'dropped' | null;
}

export type BatchDetail = BatchSummary & { cases: BatchMember[] };

export interface ReadyCase {
  caseId: string;
  reference: string;
  stage: string | null;
  gateId: string;
  dueAt: string;
}

const notFound = () => new ProblemError(404, 'Departure batch not found', 'No departure batch with this id is visible to you.');
const coordinatorsOnly = () => new ProblemError(403, 'Coordinators only', "Only the programme's coordinators read and plan its departure batches.");
const refused = (title: string, detail: string, code: string, params: Record<string, unknown> = {}, more: Record<string, unknown> = {}) =>
  new ProblemError(409, title, detail, { code, params, ...more });

/** The programme, if the caller's organisation coordinates it: a signatory gets 403, anyone else 404. */
async function coordinatedProgramme(sql: Queryable, caller: Caller, programmeId: string): Promise<{ template: unknown }> {
  const [row] = await sql<{ template: unknown; coordinator: string; signatory: boolean }[]>`
    SELECT template, coordinator_organisation_id AS coordinator, ${caller.organisationId}::uuid = ANY(mou_signatories) AS signatory FROM programmes WHERE id = ${programmeId}`;
  if (!row || (row.coordinator !== caller.organisationId && !row.signatory)) throw programmeNotFound();
  if (row.coordinator !== caller.organisationId) throw coordinatorsOnly();
  return row;
}

interface BatchRow {
  id: string;
  programmeId: string;
  organisationId: string;
  status: BatchStatus;
  departureDate: string;
  template: unknown;
}

/** A batch the caller's organisation coordinates (else 404: a batch is never another's to see). */
async function coordinatedBatch(sql: Queryable, caller: Caller, batchId: string): Promise<BatchRow> {
  const [row] = await sql<BatchRow[]>`
    SELECT b.id, b.programme_id AS "programmeId", b.organisation_id AS "organisationId", b.status, b.departure_date::text AS "departureDate", p.template
    FROM departure_batches b JOIN programmes p ON p.id = b.programme_id WHERE b.id = ${batchId} AND b.organisation_id = ${caller.organisationId}`;
  if (!row) throw notFound();
  return row;
}

const changing = (caller: Caller) => {
  if (caller.role !== 'coordinator') throw coordinatorsOnly();
};

/**
 * A member's state as it reads now: one still `in` a planned batch whose case ended, is held or
 * paused, or whose travel step is no longer open, reads as dropped with the code the case would
 * refuse its travel with. `gates`: the template's departure step ids.
 */
function effective(sql: Queryable, gates: string[]) {
  const live = sql`m.status = 'in' AND b.status = 'planned'`;
  return sql`
    CASE WHEN ${live} AND (c.status IN ('completed', 'rejected', 'withdrawn', 'waitlisted') OR c.on_hold IS NOT NULL
                           OR NOT EXISTS (SELECT 1 FROM open_gates g WHERE g.case_id = c.id AND g.gate_id = ANY(${gates}::text[])))
         THEN 'dropped' ELSE m.status END AS status,
    CASE WHEN ${live} AND c.status IN ('completed', 'rejected', 'withdrawn') THEN 'case-final'
         WHEN ${live} AND c.status = 'waitlisted' THEN 'case-waitlisted'
         WHEN ${live} AND c.on_hold = 'held' THEN 'case-on-hold'
         WHEN ${live} AND c.on_hold = 'paused' THEN 'programme-paused'
         WHEN ${live} AND NOT EXISTS (SELECT 1 FROM open_gates g WHERE g.case_id = c.id AND g.gate_id = ANY(${gates}::text[])) THEN 'gate-not-open'
         ELSE m.code END AS code`;
}

type SummaryRow = Omit<BatchSummary, 'counts' | 'pending'> & { template: unknown };

async function summaries(sql: Queryable, where: { programmeId: string } | { batchId: string }): Promise<(BatchSummary & { template: unknown })[]> {
  const rows = await sql<SummaryRow[]>`
    SELECT b.id, b.programme_id AS "programmeId", b.name, b.departure_date::text AS "departureDate", b.status, b.created_at AS "createdAt",
           b.departed_at AS "departedAt", b.arrived_at AS "arrivedAt", b.cancelled_at AS "cancelledAt", b.reminded_at AS "remindedAt", p.template
    FROM departure_batches b JOIN programmes p ON p.id = b.programme_id
    WHERE ${'batchId' in where ? sql`b.id = ${where.batchId}` : sql`b.programme_id = ${where.programmeId}`}
    ORDER BY b.departure_date, b.created_at, b.id`;
  if (rows.length === 0) return [];
  const gates = stepsDoneInBatch(rows[0]!.template, 'departure');
  const counted = await sql<{ batchId: string; status: MemberStatus; pending: boolean }[]>`
    SELECT m.batch_id AS "batchId", ${effective(sql, gates)}, (m.departure = 'pending' OR m.arrival = 'pending') AS pending
    FROM departure_batch_members m JOIN departure_batches b ON b.id = m.batch_id JOIN cases c ON c.id = m.case_id
    WHERE m.batch_id = ANY(${rows.map((r) => r.id)}::uuid[])`;
  return rows.map((r) => {
    const mine = counted.filter((m) => m.batchId === r.id);
    const counts = Object.fromEntries(MEMBER_STATUSES.map((s) => [s, mine.filter((m) => m.status === s).length])) as Record<MemberStatus, number>;
    const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
    return { ...r, createdAt: iso(r.createdAt)!, departedAt: iso(r.departedAt), arrivedAt: iso(r.arrivedAt), cancelledAt: iso(r.cancelledAt), remindedAt: iso(r.remindedAt), counts, pending: mine.filter((m) => m.pending).length };
  });
}

const withoutTemplate = <T extends { template: unknown }>({ template: _t, ...rest }: T): Omit<T, 'template'> => rest;

/** `GET /v1/programmes/{id}/departure-batches`: the programme's batches, soonest departure first. */
export async function listBatches(sql: Sql, caller: Caller, programmeId: string): Promise<BatchSummary[]> {
  await coordinatedProgramme(sql, caller, programmeId);
  return (await summaries(sql, { programmeId })).map(withoutTemplate);
}

/** `GET /v1/departure-batches/{id}`: the batch and each of its cases with its state and result. */
export async function readBatch(sql: Sql, caller: Caller, batchId: string): Promise<BatchDetail> {
  await coordinatedBatch(sql, caller, batchId);
  const [summary] = await summaries(sql, { batchId });
  if (!summary) throw notFound();
  const gates = stepsDoneInBatch(summary.template, 'departure');
  const cases = await sql<(BatchMember & { params: Record<string, unknown> | null })[]>`
    SELECT m.case_id AS "caseId", c.reference, c.stage_title AS stage, ${effective(sql, gates)}, m.params, m.departure, m.arrival
    FROM departure_batch_members m JOIN departure_batches b ON b.id = m.batch_id JOIN cases c ON c.id = m.case_id
    WHERE m.batch_id = ${batchId} ORDER BY c.reference, m.case_id`;
  return { ...withoutTemplate(summary), cases: cases.map((m) => ({ ...m, params: m.code && m.params ? m.params : {} })) };
}

/** `GET /v1/programmes/{id}/departure-batches/ready`: the programme's cases ready to travel and in no planned batch. */
export async function readyCases(sql: Sql, caller: Caller, programmeId: string): Promise<ReadyCase[]> {
  const { template } = await coordinatedProgramme(sql, caller, programmeId);
  const gates = stepsDoneInBatch(template, 'departure');
  const rows = await sql<(Omit<ReadyCase, 'dueAt'> & { dueAt: Date })[]>`
    SELECT c.id AS "caseId", c.reference, c.stage_title AS stage, g.gate_id AS "gateId", g.due_at AS "dueAt"
    FROM cases c JOIN open_gates g ON g.case_id = c.id AND g.first_party AND g.gate_id = ANY(${gates}::text[])
    WHERE c.programme_id = ${programmeId} AND c.coordinator_organisation_id = ${caller.organisationId} AND c.status = 'active' AND c.on_hold IS NULL
      AND NOT EXISTS (SELECT 1 FROM departure_batch_members m WHERE m.case_id = c.id AND m.in_planned_batch)
    ORDER BY g.due_at, c.reference, c.id LIMIT ${MAX_BATCH_CASES}`;
  return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt).toISOString() }));
}

/** When the batch's workflow reminds: noon (UTC) of the departure day. */
const departsAt = (day: string) => `${day}T12:00:00.000Z`;

/** Starts (or finds started) the batch's workflow, and notes that it did; 'unknown' when Temporal could not be reached. */
async function startBatchWorkflow(deps: Deps & { taskQueue: string }, batch: { id: string; organisationId: string; departureDate: string }): Promise<'started' | 'unknown'> {
  const started = await startOnce(() =>
    deps.temporal.workflow.start<typeof departureBatchWorkflow>('departureBatchWorkflow', {
      workflowId: departureBatchWorkflowId(batch.id),
      taskQueue: deps.taskQueue,
      args: [{ batchId: batch.id, coordinatorOrg: batch.organisationId, departsAt: departsAt(batch.departureDate) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }),
  );
  if (started === 'started') await deps.sql`UPDATE departure_batches SET workflow_started = true WHERE id = ${batch.id} AND NOT workflow_started`;
  return started;
}

/**
 * For the worker's watchdog: starts the workflows of planned batches recorded `olderThanMs` ago or
 * longer whose start never reached Temporal (so their reminder is set). Returns the ids it started.
 */
export async function startForgottenBatches(deps: Deps & { taskQueue: string }, olderThanMs: number): Promise<string[]> {
  const rows = await deps.sql<{ id: string; organisationId: string; departureDate: string }[]>`
    SELECT id, organisation_id AS "organisationId", departure_date::text AS "departureDate" FROM departure_batches
    WHERE NOT workflow_started AND status = 'planned' AND created_at < now() - ${olderThanMs} * interval '1 millisecond' ORDER BY created_at LIMIT 100`;
  const started: string[] = [];
  for (const batch of rows) if ((await startBatchWorkflow(deps, batch)) === 'started') started.push(batch.id);
  return started;
}

const today = () => new Date().toISOString().slice(0, 10);

/** `POST /v1/programmes/{id}/departure-batches`: a planned batch, and its workflow started. Once per key. */
export async function createBatch(deps: Deps & { taskQueue: string }, caller: Caller, programmeId: string, body: NewDepartureBatch, key: string | undefined): Promise<{ status: 201; body: BatchDetail }> {
  const { sql } = deps;
  await coordinatedProgramme(sql, caller, programmeId);
  changing(caller);
  const scope = requestScope(caller.personId, key, { route: 'departure-batch', programmeId, body });
  const begun = await beginRequest(sql, scope, randomUUID());
  if (begun.answer) return begun.answer as { status: 201; body: BatchDetail };
  const id = begun.resourceId ?? randomUUID();
  const [known] = await sql`SELECT 1 FROM departure_batches WHERE id = ${id}`;
  if (!known) {
    // Checked only for a request not answered before: a retry gets its first answer after the day passed.
    if (body.departureDate < today()) throw new ProblemError(400, 'Invalid input', 'departureDate must be today or later', { errors: [{ field: 'departureDate', message: 'must be today or later' }] });
    await sql`
      INSERT INTO departure_batches (id, programme_id, organisation_id, name, departure_date, created_by)
      VALUES (${id}, ${programmeId}, ${caller.organisationId}, ${body.name}, ${body.departureDate}, ${caller.personId}) ON CONFLICT (id) DO NOTHING`;
  }
  if ((await startBatchWorkflow(deps, { id, organisationId: caller.organisationId, departureDate: body.departureDate })) === 'unknown') {
    throw new ProblemError(503, 'Temporal is unavailable', 'The batch is recorded but its reminder could not be set yet. Send the same request again with the same Idempotency-Key.', { batchId: id }, RETRY_AFTER_SECONDS);
  }
  return (await finishRequest(sql, scope, { status: 201, body: await readBatch(sql, caller, id) })) as { status: 201; body: BatchDetail };
}

/** Why each of `caseIds` may not join a batch of this programme now (empty: all may). */
interface NotReady {
  caseId: string;
  code: NotReadyCode;
  params: Record<string, unknown>;
}

async function notReady(sql: Queryable, caller: Caller, batch: BatchRow, caseIds: string[]): Promise<NotReady[]> {
  const gates = stepsDoneInBatch(batch.template, 'departure');
  const rows = await sql<{ caseId: string; reference: string; programmeId: string | null; coordinator: string | null; status: string; onHold: string | null; ready: boolean; otherBatch: string | null }[]>`
    SELECT c.id AS "caseId", c.reference, c.programme_id AS "programmeId", c.coordinator_organisation_id AS coordinator, c.status, c.on_hold AS "onHold",
           EXISTS (SELECT 1 FROM open_gates g WHERE g.case_id = c.id AND g.gate_id = ANY(${gates}::text[])) AS ready,
           (SELECT m.batch_id FROM departure_batch_members m WHERE m.case_id = c.id AND m.in_planned_batch AND m.batch_id <> ${batch.id}) AS "otherBatch"
    FROM cases c WHERE c.id = ANY(${caseIds}::uuid[])`;
  const found = new Map(rows.map((r) => [r.caseId, r]));
  return caseIds.flatMap((caseId): NotReady[] => {
    const r = found.get(caseId);
    if (!r || r.programmeId !== batch.programmeId || r.coordinator !== caller.organisationId) return [{ caseId, code: 'not-in-programme', params: {} }];
    const params = { reference: r.reference };
    if (r.status !== 'active') return [{ caseId, code: 'case-not-active', params: { ...params, status: r.status } }];
    if (r.onHold) return [{ caseId, code: 'case-on-hold', params: { ...params, onHold: r.onHold } }];
    if (!r.ready) return [{ caseId, code: 'not-ready-to-travel', params }];
    if (r.otherBatch) return [{ caseId, code: 'in-another-batch', params: { ...params, batchId: r.otherBatch } }];
    return [];
  });
}

const NOT_READY_TEXT: Record<NotReadyCode, string> = {
  'not-in-programme': "is not a case of the batch's programme that you coordinate",
  'case-not-active': 'is not active',
  'case-on-hold': 'is on hold',
  'not-ready-to-travel': 'is not ready to travel: its current stage has no open travel step',
  'in-another-batch': 'is in another planned batch',
};

const notPlanned = (status: BatchStatus) => refused('Batch not planned', `the batch is ${status}: its cases can no longer change`, 'batch-not-planned', { status });

/** Answers a changing request once per key: the stored answer to a retry, else `run`'s, recorded. */
async function once<T>(sql: Sql, caller: Caller, key: string | undefined, request: unknown, run: (updateId: string) => Promise<T>): Promise<T> {
  const scope = requestScope(caller.personId, key, request);
  const begun = await beginRequest(sql, scope);
  if (begun.answer) return begun.answer.body as T;
  const body = await run(updateIdOf(scope));
  return (await finishRequest(sql, scope, { status: 200, body })).body as T;
}

/** `POST /v1/departure-batches/{id}/cases`: adds cases ready to travel; any that is not: 409 naming each and why, none added. */
export async function addCases(deps: Deps, caller: Caller, batchId: string, body: AddBatchCases, key: string | undefined): Promise<BatchDetail> {
  const { sql } = deps;
  const batch = await coordinatedBatch(sql, caller, batchId);
  changing(caller);
  const caseIds = [...new Set(body.caseIds.map((id) => id.toLowerCase()))];
  return once(sql, caller, key, { route: 'departure-batch-cases', batchId, caseIds }, async () => {
    await sql.begin(async (tx) => {
      const [locked] = await tx<{ status: BatchStatus }[]>`SELECT status FROM departure_batches WHERE id = ${batchId} FOR UPDATE`;
      if (locked!.status !== 'planned') throw notPlanned(locked!.status);
      // Cases already in this batch stay as they are: adding them again changes nothing.
      const existing = new Set((await tx<{ caseId: string }[]>`SELECT case_id AS "caseId" FROM departure_batch_members WHERE batch_id = ${batchId} AND case_id = ANY(${caseIds}::uuid[])`).map((r) => r.caseId));
      const fresh = caseIds.filter((id) => !existing.has(id));
      const refusals = await notReady(tx, caller, batch, fresh);
      if (refusals.length > 0) {
        const first = refusals[0]!;
        const what = (first.params.reference as string | undefined) ?? first.caseId;
        throw refused('Not ready to travel', `case ${what} ${NOT_READY_TEXT[first.code]}${refusals.length > 1 ? ` (and ${refusals.length - 1} more)` : ''}`, first.code, first.params, { cases: refusals });
      }
      const rows = fresh.map((caseId) => ({ batch_id: batchId, case_id: caseId, added_by: caller.personId }));
      try {
        if (rows.length) await tx`INSERT INTO departure_batch_members ${tx(rows)} ON CONFLICT (batch_id, case_id) DO NOTHING`;
      } catch (error) {
        // Another batch took one of them meanwhile.
        if ((error as { code?: string }).code === '23505') throw refused('Not ready to travel', 'a case is in another planned batch', 'in-another-batch');
        throw error;
      }
    });
    return readBatch(sql, caller, batchId);
  });
}

/** `DELETE /v1/departure-batches/{id}/cases/{caseId}`: takes a case out of a planned batch. */
export async function removeCase(deps: Deps, caller: Caller, batchId: string, caseId: string, key: string | undefined): Promise<BatchDetail> {
  const { sql } = deps;
  await coordinatedBatch(sql, caller, batchId);
  changing(caller);
  return once(sql, caller, key, { route: 'departure-batch-remove', batchId, caseId }, async () => {
    await sql.begin(async (tx) => {
      const [locked] = await tx<{ status: BatchStatus }[]>`SELECT status FROM departure_batches WHERE id = ${batchId} FOR UPDATE`;
      if (locked!.status !== 'planned') throw notPlanned(locked!.status);
      await tx`DELETE FROM departure_batch_members WHERE batch_id = ${batchId} AND case_id = ${caseId}`;
    });
    return readBatch(sql, caller, batchId);
  });
}

const UPDATES = { departure: confirmDepartureUpdate, arrival: confirmArrivalUpdate, cancel: cancelBatchUpdate } as const;

const REFUSAL_TEXT: Record<BatchRefusal['code'], string> = {
  'batch-not-planned': 'the batch is not planned any more',
  'batch-not-departed': 'the batch has not departed',
  'batch-coordinator-only': "only the batch's coordinator may do this",
};

function batchRefusalOf(error: unknown): BatchRefusal | undefined {
  if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'BatchRefused')) return undefined;
  return error.cause.details?.[0] as BatchRefusal;
}

/**
 * `POST /v1/departure-batches/{id}/confirm-departure`, `…/confirm-arrival`, `…/cancel`: the batch's
 * workflow is told once (the update id derives from the key) and answers at once; it then completes
 * each case's step in the background — the batch's `pending` says how many are still to go.
 */
export async function actOnBatch(deps: Deps & { taskQueue: string }, caller: Caller, batchId: string, action: BatchAction, key: string | undefined): Promise<BatchDetail> {
  const { sql, temporal } = deps;
  const batch = await coordinatedBatch(sql, caller, batchId);
  changing(caller);
  return once(sql, caller, key, { route: `departure-batch-${action}`, batchId }, async (updateId) => {
    if (batch.status === 'planned' && (await startBatchWorkflow(deps, batch)) === 'unknown') throw outcomeUnknown(!!key);
    const outcome = await send(temporal, batchId, action, { personId: caller.personId, organisationId: caller.organisationId }, updateId);
    if (outcome === 'unknown') throw outcomeUnknown(!!key);
    if (outcome === 'gone') {
      const [row] = await sql<{ status: BatchStatus }[]>`SELECT status FROM departure_batches WHERE id = ${batchId}`;
      throw refused('Action refused', `the batch is ${row!.status}`, action === 'arrival' ? 'batch-not-departed' : 'batch-not-planned', { phase: row!.status });
    }
    if (outcome !== 'applied') {
      const { code, ...params } = outcome;
      throw refused('Action refused', REFUSAL_TEXT[code], code, params);
    }
    return readBatch(sql, caller, batchId);
  });
}

async function send(temporal: Client, batchId: string, action: BatchAction, actor: { personId: string; organisationId: string }, updateId: string): Promise<'applied' | 'gone' | 'unknown' | BatchRefusal> {
  const handle = temporal.workflow.getHandle(departureBatchWorkflowId(batchId));
  try {
    await temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(UPDATES[action], { args: [actor], updateId }));
    return 'applied';
  } catch (error) {
    const refusal = batchRefusalOf(error);
    if (refusal) return refusal;
    if (isWorkflowGone(error)) return 'gone';
    if (isOutcomeUnknown(error)) return 'unknown';
    throw error;
  }
}

/** The batch a case is in or travelled with, as its parties see it: its name, date and state — nothing of the other cases. */
export interface CaseDepartureBatch {
  id: string;
  name: string;
  departureDate: string;
  status: BatchStatus;
  /** This case's own state in it. */
  caseStatus: MemberStatus;
}

/**
 * For every party of the case (the caller's visibility of the case is checked by the caller of
 * this, as `readCase` does): the batch the case is in now, or last travelled with; null when none.
 */
export async function caseDepartureBatch(sql: Queryable, caseId: string): Promise<CaseDepartureBatch | null> {
  const [row] = await sql<CaseDepartureBatch[]>`
    SELECT b.id, b.name, b.departure_date::text AS "departureDate", b.status, m.status AS "caseStatus"
    FROM departure_batch_members m JOIN departure_batches b ON b.id = m.batch_id JOIN cases c ON c.id = m.case_id
    WHERE m.case_id = ${caseId} AND b.status <> 'cancelled' AND m.status <> 'dropped'
      -- Ended or held while its batch is planned: it reads as dropped, as on the batch's page.
      AND NOT (b.status = 'planned' AND (c.status IN ('completed', 'rejected', 'withdrawn', 'waitlisted') OR c.on_hold IS NOT NULL))
    ORDER BY m.added_at DESC LIMIT 1`;
  return row ?? null;
}
