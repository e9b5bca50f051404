// A step that was done and is open again, on the pages: a municipal consent whose validity ran out
// before the case stopped needing it reads "Expired: Municipal consent" on the coordinators' board
// and "Open again since …" on the case, in English and Dutch, over the real app and workflows.
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { act, startCase, waitForCase } from '../support/cases.js';
import { createParties, type Member } from '../support/fixtures.js';
import { consentThenVisa } from '../support/templates.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

// A consent valid for seconds, so that it runs out while the test waits on the visa.
const quickConsent = consentThenVisa('3 seconds');

describe('steps open again, on the pages', () => {
  const h = useApi('web-reopened');
  let m: Record<string, Member>;
  const coordinator = () => visitors.coordinator!;
  const visitors: Record<string, Visitor> = {};

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, quickConsent));
    for (const slot of ['coordinator', 'municipality']) {
      visitors[slot] = new Visitor(h.app);
      await signedIn(visitors[slot]!, m[slot]!);
    }
  });

  it('an expired consent is on the board as “Expired” and on the case as open again, in English and Dutch', async () => {
    const parties = Object.fromEntries(Object.entries(m).map(([slot, x]) => [slot, x.organisationId]));
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: quickConsent, parties });
    await waitForCase(kase.handle, (v) => v.gates.some((g) => g.id === 'municipal-consent'));
    await act(kase.handle, 'decide', { gateId: 'municipal-consent', actor: m.municipality!.actor, outcome: 'approve' });
    await waitForCase(kase.handle, (v) => v.gates.some((g) => g.id === 'municipal-consent' && g.reopened?.reason === 'expired'), 20_000);

    const board = async () => textOf(await coordinator().get('/board'));
    await expect.poll(board, { timeout: 10_000 }).toContain(`Expired: Municipal consent`);
    expect(await board()).toContain(kase.reference);
    const municipalityCase = await textOf(await visitors.municipality!.get(`/cases/${kase.caseId}`));
    expect(municipalityCase).toMatch(/Open again since .*: the earlier outcome expired before the case stopped needing it\./);
    expect(municipalityCase).toContain('Your turn');

    await coordinator().get('/language/nl?back=%2Fboard');
    try {
      const dutch = await board();
      expect(dutch).toContain('Opnieuw open');
      expect(dutch).toContain('Verlopen: Instemming van de gemeente');
      expect(await textOf(await coordinator().get(`/cases/${kase.caseId}`))).toMatch(/Opnieuw open sinds .*: de eerdere uitkomst is verlopen/);
    } finally {
      await coordinator().get('/language/en?back=%2Fboard');
    }
  });
});
