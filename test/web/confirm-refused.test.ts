// Nobody confirms what will be refused: a confirm-first action on a stale page (a colleague already
// decided, the case was held since) shows the refusal at once, in the reader's words, instead of
// asking "are you sure?" — the workflow's own rules answer (a query; nothing enters history).
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { act, startCase, textRef, view, waitForCase } from '../support/cases.js';
import { createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;
const keyOf = (html: string, type: string) => new RegExp(`action="[^"]+/actions/${type}"[\\s\\S]*?name="_key" value="([^"]+)"`).exec(html)?.[1];

describe('a confirm page only for what would be done', () => {
  const h = useApi('web-confirm-refused');
  let m: Record<string, Member>;
  let coordinator: Visitor;
  const parties = () => Object.fromEntries(Object.entries(m).map(([slot, x]) => [slot, x.organisationId]));

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, template));
    coordinator = new Visitor(h.app);
    await signedIn(coordinator, m.coordinator!);
  });

  it('says at once that a colleague already decided, instead of asking to confirm a rejection', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: parties() });
    const stale = await (await coordinator.get(`/cases/${kase.caseId}`)).text();
    const _key = keyOf(stale, 'decide')!;
    expect(_key).toBeDefined();
    // A colleague approves meanwhile.
    await act(kase.handle, 'decide', { gateId: 'eligibility', outcome: 'approve', actor: m.coordinator!.actor });
    const before = await view(kase.handle);
    const response = await coordinator.post(`/cases/${kase.caseId}/actions/decide`, { _key, gateId: 'eligibility', outcome: 'reject', reason: 'Not eligible' });
    expect(response.status).toBe(409);
    const text = await textOf(response);
    expect(text).not.toContain('Please confirm');
    expect(text).toContain('That could not be done');
    expect(text).toContain('Eligibility decision');
    expect((await view(kase.handle)).version, 'nothing was applied').toBe(before.version);
  });

  it('still asks when the action would be taken, and the case is on hold: says so before asking', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: parties() });
    const page = await (await coordinator.get(`/cases/${kase.caseId}`)).text();
    const _key = keyOf(page, 'decide')!;
    const asks = await coordinator.post(`/cases/${kase.caseId}/actions/decide`, { _key, gateId: 'eligibility', outcome: 'reject', reason: 'Not eligible' });
    expect(asks.status).toBe(200);
    expect(await textOf(asks)).toContain('Please confirm');
    await act(kase.handle, 'hold', { actor: m.coordinator!.actor, reasonRef: textRef() });
    await waitForCase(kase.handle, (v) => v.held !== null);
    const held = await coordinator.post(`/cases/${kase.caseId}/actions/decide`, { _key, gateId: 'eligibility', outcome: 'reject', reason: 'Not eligible' });
    expect(held.status).toBe(409);
    expect(await textOf(held)).toContain('on hold');
  });
});
