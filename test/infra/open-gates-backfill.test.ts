// Upgrading a running installation: migration 007 fills the lists' new rows from the states cases
// already projected, the same rows the projection activity writes — so the board and the inboxes
// are whole from the first request after the upgrade, not only once each case moves again.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { caseOnHold, nextStepOf, openGateRows } from '../../activities/open-gates.js';
import { caseView } from '../../domain/case-view.js';
import { connectDb } from '../../infra/db.js';
import { projectRoot } from '../../infra/paths.js';
import { act, makeCase, ORG, T0, text } from '../domain/helpers.js';

const migrations = readdirSync(join(projectRoot, 'migrations')).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
const migration = (file: string) => readFileSync(join(projectRoot, 'migrations', file), 'utf8');

const withoutTodo = (step: ReturnType<typeof nextStepOf>) => {
  if (!step) return step;
  const { todo: _todo, ...rest } = step;
  return rest;
};

describe('migration 007 on a database with projected cases', () => {
  it('writes the open gates and list columns the projection would', async () => {
    const admin = connectDb(inject('databaseUrl'), { max: 1 });
    const name = `backfill_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    const sql = connectDb(url.toString(), { max: 1 });
    try {
      for (const file of migrations.filter((f) => f < '007')) await sql.unsafe(migration(file));
      for (const [slot, id] of Object.entries(ORG)) {
        await sql`INSERT INTO organisations (id, name, kind) VALUES (${id}, ${slot}, ${slot === 'coordinator' ? 'coordinator' : slot === 'sponsor' ? 'sponsor_group' : slot === 'municipality' ? 'municipality' : 'national_agency'})`;
      }
      // Two cases as the projection of migration 006 left them: one moving, one held in its second stage.
      const moving = makeCase().s;
      const held = makeCase().s;
      held.caseId = randomUUID();
      moving.caseId = randomUUID();
      act(held, { type: 'decide', gateId: 'eligibility', outcome: 'approve', actor: { personId: 'p', organisationId: ORG.coordinator, role: 'coordinator' } }, T0 + 1000);
      act(held, { type: 'hold', actor: { personId: 'p', organisationId: ORG.coordinator, role: 'coordinator' }, reasonRef: text() }, T0 + 2000);
      const views = [caseView(moving, T0 + 3000), caseView(held, T0 + 3000)];
      for (const v of views) {
        await sql`
          INSERT INTO cases (id, reference, coordinator_organisation_id, status, stage, pathway_id, waiting_on, next_due_at, state, state_version)
          VALUES (${v.caseId}, ${v.reference}, ${ORG.coordinator}, ${v.status}, ${v.stage?.id ?? null}, ${v.pathway.id}, ${v.waitingOn}, ${v.nextDueAt}, ${sql.json(v as never)}, ${v.version})`;
      }

      await sql.unsafe(migration('007_open_gates.sql'));

      for (const v of views) {
        // What the projection of migration 007's time wrote: the turn's columns came with 012, a step open again with 021.
        const expected = openGateRows(v, ORG.coordinator)
          .map(({ todo: _todo, todo_params: _params, reopened: _reopened, reopened_at: _reopenedAt, ...r }) => ({ ...r, opened_at: new Date(r.opened_at), due_at: new Date(r.due_at) }))
          .sort((a, b) => a.gate_id.localeCompare(b.gate_id) || Number(b.first_party) - Number(a.first_party));
        const rows = await sql`SELECT * FROM open_gates WHERE case_id = ${v.caseId} ORDER BY gate_id, first_party DESC`;
        expect(rows.map((r) => ({ ...r }))).toEqual(expected);
        const [c] = await sql`SELECT stage_title, stage_index, stage_count, pathway_name, on_hold, next_step FROM cases WHERE id = ${v.caseId}`;
        expect(c).toEqual({ stage_title: v.stage!.title, stage_index: v.stage!.index, stage_count: v.stage!.of, pathway_name: v.pathway.name, on_hold: caseOnHold(v), next_step: withoutTodo(nextStepOf(v)) });
      }
      expect((await sql`SELECT count(*)::int AS n FROM open_gates`)[0]!.n).toBeGreaterThanOrEqual(3);
    } finally {
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
