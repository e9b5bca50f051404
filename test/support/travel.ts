/** Corridor cases of a programme driven to their travel stage, ready for a departure batch. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import type { ApiHarness } from './api.js';
import { act, document, view } from './cases.js';
import { createParties, type Member } from './fixtures.js';

export const corridor = builtInTemplates['humanitarian-corridor']!;

export interface Corridor {
  members: Record<string, Member>;
  parties: Record<string, string>;
  programmeId: string;
  /** Opens a case of the programme (as its coordinator, through the API); returns its id. */
  openCase(reference: string): Promise<string>;
  /** Takes every open step's happy path with the organisation it waits on, until the case reaches its travel stage. */
  toTravel(caseId: string): Promise<CaseView>;
}

/** A humanitarian-corridor programme with its MoU signed, its parties speaking `language`. */
export async function corridorProgramme(h: ApiHarness, name: string, language: 'en' | 'nl' = 'en'): Promise<Corridor> {
  const { members: m, parties } = await createParties(h.sql, corridor, language);
  async function ok(who: Member, path: string, body: unknown) {
    const response = await h.call(who, 'POST', path, body, { 'idempotency-key': randomUUID() });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  }
  const programme = await ok(m.coordinator!, '/v1/programmes', { name, pathway: 'humanitarian-corridor', quota: 10, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator, parties.host] });
  const programmeId = programme.id as string;
  await ok(m.coordinator!, `/v1/programmes/${programmeId}/agreement/publish`, { title: 'MoU', url: 'https://docs.example.test/mou' });
  await ok(m.coordinator!, `/v1/programmes/${programmeId}/agreement/sign`, { version: 1 });
  await ok(m.host!, `/v1/programmes/${programmeId}/agreement/sign`, { version: 1 });

  const byOrg = new Map(Object.values(m).map((x) => [x.organisationId, x.actor]));
  async function toTravel(caseId: string): Promise<CaseView> {
    const handle = h.client.workflow.getHandle(caseWorkflowId(caseId));
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const v = await view(handle);
      if (v.stage?.id === 'travel') return v;
      for (const gate of v.gates.filter((g) => g.status === 'open' && g.turn)) {
        const who = byOrg.get(gate.assignee)!;
        if (gate.kind === 'decision') await act(handle, 'decide', { gateId: gate.id, actor: who, outcome: 'approve' });
        if (gate.kind === 'housing') {
          const offerId = `offer-${randomUUID().slice(0, 8)}`;
          await act(handle, 'offer_housing', { gateId: gate.id, actor: who, offer: { offerId, rooms: 2, accessible: false, availableFrom: '2027-01-01', validUntil: new Date(Date.now() + 3_600_000).toISOString() } });
          await act(handle, 'accept_offer', { gateId: gate.id, actor: byOrg.get(gate.detail.respondent as string)!, offerId });
        }
        if (gate.kind === 'agreement') {
          const published = await act(handle, 'publish_agreement', { gateId: gate.id, actor: m.coordinator!.actor, document: document(1) });
          const version = published.gates.find((g) => g.id === gate.id)!.detail.version as number;
          for (const org of gate.detail.signatories as string[]) await act(handle, 'sign', { gateId: gate.id, actor: byOrg.get(org)!, version });
        }
      }
    }
    throw new Error(`case ${caseId} did not reach its travel stage`);
  }
  const openCase = async (reference: string) => (await ok(m.coordinator!, '/v1/cases', { reference, programmeId, parties, household: { principalName: 'P' } })).id as string;
  return { members: m, parties, programmeId, openCase, toTravel };
}
