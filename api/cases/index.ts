import { createHash, randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CaseView } from '../../domain/case-view.js';
import { caseStateQuery, caseWorkflowId } from '../../workflows/contract.js';
import type { caseWorkflow } from '../../workflows/case.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { visibleCase } from '../scope.js';
import { validationHook } from '../validation.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { checkParties, resolveTemplate } from './pathway.js';
import { createCaseRoute, getCaseRoute, listCasesRoute, timelineRoute } from './routes.js';

export function caseRoutes({ temporal, sql, taskQueue }: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  async function liveState(id: string): Promise<CaseView | null> {
    try {
      return await temporal.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  app.openapi(createCaseRoute, async (c) => {
    const body = c.req.valid('json');
    const caller = c.get('caller');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const result = await sql.begin(async (tx) => {
      if (idempotencyKey) {
        // Serialises two requests with the same key: the second waits, then finds the first's case.
        await tx`SELECT pg_advisory_xact_lock(hashtext(${caller.personId + idempotencyKey}))`;
        const [seen] = await tx<{ caseId: string; requestHash: string }[]>`
          SELECT case_id AS "caseId", request_hash AS "requestHash" FROM idempotency_keys WHERE person_id = ${caller.personId} AND key = ${idempotencyKey}`;
        if (seen && seen.requestHash !== requestHash) throw new ProblemError(409, 'Idempotency-Key reused', 'This Idempotency-Key was used before with a different request.');
        if (seen) return { id: seen.caseId, created: false };
      }
      const template = await resolveTemplate(tx, caller, body);
      await checkParties(tx, template, body.parties);
      const mine = template.parties.filter((p) => body.parties[p.id] === caller.organisationId && (p.kind === 'coordinator' || p.kind === 'sponsor_group'));
      if (mine.length === 0) throw new ProblemError(403, 'Not your case to open', 'Cases are opened by their coordinator or their sponsor group.');
      const id = randomUUID();
      const sponsor = template.parties.find((p) => p.kind === 'sponsor_group');
      const coordinator = template.parties.find((p) => p.kind === 'coordinator')!;
      await tx`
        INSERT INTO cases (id, reference, sponsor_organisation_id, coordinator_organisation_id, programme_id, pathway_id)
        VALUES (${id}, ${body.reference}, ${sponsor ? body.parties[sponsor.id]! : null}, ${body.parties[coordinator.id]!}, ${body.programmeId ?? null}, ${template.id})`;
      await tx`INSERT INTO case_parties ${tx(Object.entries(body.parties).map(([slot, organisation_id]) => ({ case_id: id, slot, organisation_id })))}`;
      await tx`
        INSERT INTO case_households (case_id, principal_name, members, needs)
        VALUES (${id}, ${body.household.principalName}, ${tx.json(body.household.members)}, ${body.household.needs})`;
      if (idempotencyKey) await tx`INSERT INTO idempotency_keys (person_id, key, request_hash, case_id) VALUES (${caller.personId}, ${idempotencyKey}, ${requestHash}, ${id})`;
      // Started inside the transaction: if Temporal refuses, the rows roll back and nothing is half-made.
      await temporal.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        workflowId: caseWorkflowId(id),
        taskQueue,
        args: [{ case: { caseId: id, reference: body.reference, programmeId: body.programmeId, template, parties: body.parties } }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return { id, created: true };
    });
    c.header('Location', `/v1/cases/${result.id}`);
    const { reference } = await visibleCase(sql, caller, result.id);
    return c.json({ id: result.id, reference, workflowId: caseWorkflowId(result.id), state: result.created ? null : await liveState(result.id) }, result.created ? 201 : 200);
  });

  app.openapi(getCaseRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { reference } = await visibleCase(sql, c.get('caller'), id);
    return c.json({ id, reference, workflowId: caseWorkflowId(id), state: await liveState(id) }, 200);
  });

  app.openapi(listCasesRoute, async (c) => {
    const q = c.req.valid('query');
    const org = c.get('caller').organisationId;
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await sql<{ id: string; reference: string; programmeId: string | null; pathwayId: string | null; status: string; stage: string | null; stuck: boolean; waitingOn: string[]; nextDueAt: Date | null; updatedAt: Date; createdAt: string }[]>`
      SELECT c.id, c.reference, c.programme_id AS "programmeId", c.pathway_id AS "pathwayId", c.status, c.stage, c.stuck,
             c.waiting_on AS "waitingOn", c.next_due_at AS "nextDueAt", c.updated_at AS "updatedAt", c.created_at::text AS "createdAt"
      FROM cases c
      WHERE EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.organisation_id = ${org})
        ${q.status ? sql`AND c.status = ${q.status}` : sql``}
        ${q.stage ? sql`AND c.stage = ${q.stage}` : sql``}
        ${q.programmeId ? sql`AND c.programme_id = ${q.programmeId}` : sql``}
        ${q.stuck ? sql`AND c.stuck = ${q.stuck === 'true'}` : sql``}
        ${q.waitingOnMe === 'true' ? sql`AND ${org}::uuid = ANY(c.waiting_on)` : sql``}
        ${after ? sql`AND (c.created_at, c.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``}
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT ${q.limit + 1}`;
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map(({ createdAt: _c, nextDueAt, updatedAt, ...r }) => ({ ...r, nextDueAt: nextDueAt?.toISOString() ?? null, updatedAt: updatedAt.toISOString() })),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      },
      200,
    );
  });

  app.openapi(timelineRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { after, limit } = c.req.valid('query');
    await visibleCase(sql, c.get('caller'), id);
    const rows = await sql<{ id: string; kind: string; actor: string; reason: string | null; data: Record<string, unknown>; at: Date }[]>`
      SELECT e.id::text AS id, e.kind, e.actor, e.reason, e.data, e.at FROM case_events e WHERE e.case_id = ${id} AND e.id > ${after} ORDER BY e.id LIMIT ${limit}`;
    return c.json({ items: rows.map((r) => ({ ...r, gateId: (r.data.gateId as string | undefined) ?? null, at: r.at.toISOString() })) }, 200);
  });

  return app;
}
