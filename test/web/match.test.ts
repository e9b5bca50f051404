// The match step on the case page, in English and Dutch, without a browser: the coordinator's
// shortlist form (refused input answered 400 with the error summary, never a 500), the proposals so
// far, the candidate's answer through the confirm page, and who sees the case when.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../domain/organisation.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { MESSAGES } from '../../web/i18n/index.js';
import { useApi } from '../support/api.js';
import { act, startCase, view, waitForCase } from '../support/cases.js';
import { createOrganisation, createParties } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['matched-sponsorship']!;

describe('the match step on the case page', () => {
  const h = useApi('web-match');

  for (const lang of ['en', 'nl'] as Language[]) {
    it(`proposes, declines with a reason and accepts, in ${lang === 'en' ? 'English' : 'Dutch'}`, async () => {
      const t = MESSAGES[lang];
      const { members, parties } = await createParties(h.sql, template, lang);
      delete parties.sponsor;
      const a = await createOrganisation(h.sql, 'sponsor_group', lang, `kandidaat-a-${lang}`);
      const b = await createOrganisation(h.sql, 'sponsor_group', lang, `kandidaat-b-${lang}`);
      const names = new Map((await h.sql<{ id: string; name: string }[]>`SELECT id, name FROM organisations`).map((o) => [o.id, o.name]));
      const { caseId, handle } = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties });
      await waitForCase(handle, (v) => v.stage?.id === 'eligibility');
      await act(handle, 'decide', { gateId: 'eligibility', actor: members.coordinator!.actor, outcome: 'approve' });
      await waitForCase(handle, (v) => v.stage?.id === 'matching');
      const page = `/cases/${caseId}`;
      const actions = (type: string) => `${page}/actions/${type}`;

      const coordinator = new Visitor(h.app);
      await signedIn(coordinator, members.coordinator!);
      const before = await coordinator.get(page);
      expect(before.status).toBe(200);
      const html = await before.text();
      expect(html).toMatch(new RegExp(`^<!doctype html><html lang="${lang}">`));
      const shown = await textOf(new Response(html));
      expect(shown).toContain(t.match.shortlistTitle);
      expect(shown).toContain(t.match.noProposals);
      expect(shown).toContain(t.todo.proposeMatch);
      // The shortlist offers sponsor groups only, the kind the match fills.
      expect(html).toContain(`value="${a.organisationId}"`);
      expect(html).not.toContain(`<option value="${members.municipality!.organisationId}"`);

      // Nothing chosen: 400 with the error summary leading to the first choice.
      const empty = await coordinator.post(actions('propose_match'), { _key: randomUUID(), gateId: 'sponsor-match', 'candidate-1': '' });
      expect(empty.status).toBe(400);
      const emptyHtml = await empty.text();
      expect(emptyHtml).toContain('class="error-summary"');
      expect(emptyHtml).toContain('href="#sponsor-match-candidate-1"');
      expect(emptyHtml).toContain(t.formErrors.title);
      // A forged choice of the wrong kind: the use case's 422, a form to fix (400), never a 500.
      const wrong = await coordinator.post(actions('propose_match'), { _key: randomUUID(), gateId: 'sponsor-match', 'candidate-1': members.municipality!.organisationId });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('href="#sponsor-match-candidate-1"');
      expect((await view(handle)).gates[0]!.detail.proposals).toEqual([]);

      // A, then B, in that order (the numbers say the order, not the fields' order in the form).
      const proposed = await coordinator.post(actions('propose_match'), { _key: randomUUID(), gateId: 'sponsor-match', 'candidate-2': b.organisationId, 'candidate-1': a.organisationId });
      expect(proposed.status).toBe(303);
      const afterPropose = await textOf(await coordinator.get(page));
      expect(afterPropose).toContain(t.done.propose_match);
      expect(afterPropose).toContain(t.match.status.open!);
      expect(afterPropose).toContain(t.match.stillToAsk(names.get(b.organisationId)!));

      // A sees the case while asked: what it needs to decide, without the principal's name.
      const visitorA = new Visitor(h.app);
      await signedIn(visitorA, a);
      await expect.poll(async () => (await visitorA.get(page)).status).toBe(200);
      const asA = await textOf(await visitorA.get(page));
      expect(asA).toContain(t.household.levelNote.candidate!);
      expect(asA).not.toContain('Test Principal');
      expect(asA).toContain(t.match.accept);
      expect(asA).not.toContain(names.get(b.organisationId)!);
      expect(await textOf(await visitorA.get('/inbox'))).toContain(t.todo.answerMatch);

      // A decline needs a reason: 400, the summary leads to it.
      const noReason = await visitorA.post(actions('decline_match'), { _key: randomUUID(), gateId: 'sponsor-match', reason: '' });
      expect(noReason.status).toBe(400);
      expect(await noReason.text()).toContain('href="#sponsor-match-decline-match"');
      // Asked first, then done once.
      const key = randomUUID();
      const asks = await visitorA.post(actions('decline_match'), { _key: key, gateId: 'sponsor-match', reason: 'Geen plek / no room' });
      expect(asks.status).toBe(200);
      const confirm = await textOf(asks);
      expect(confirm).toContain(t.confirm.title);
      expect(confirm).toContain(t.confirm.what.decline_match as string);
      expect(confirm).toContain(t.confirm.yes.decline_match);
      const declined = await visitorA.post(actions('decline_match'), { _key: key, gateId: 'sponsor-match', reason: 'Geen plek / no room', confirmed: '1' });
      expect(declined.status).toBe(303);
      await waitForCase(handle, (v) => v.proposedTo.sponsor === b.organisationId);
      // A no longer sees the case.
      await expect.poll(async () => (await visitorA.get(page)).status).toBe(404);
      // The coordinator sees who declined, and why.
      const asCoordinator = await textOf(await coordinator.get(page));
      expect(asCoordinator).toContain(t.match.status.declined!);
      expect(asCoordinator).toContain(t.match.reason('Geen plek / no room'));

      // B takes the case, through the confirm page, and is its sponsor group from then on.
      const visitorB = new Visitor(h.app);
      await signedIn(visitorB, b);
      await expect.poll(async () => (await visitorB.get(page)).status).toBe(200);
      const asB = await textOf(await visitorB.get(page));
      expect(asB).not.toContain('Geen plek');
      const acceptKey = randomUUID();
      const asksB = await visitorB.post(actions('accept_match'), { _key: acceptKey, gateId: 'sponsor-match' });
      expect(asksB.status).toBe(200);
      expect(await textOf(asksB)).toContain(t.confirm.yes.accept_match);
      expect((await visitorB.post(actions('accept_match'), { _key: acceptKey, gateId: 'sponsor-match', confirmed: '1' })).status).toBe(303);
      const taken = await waitForCase(handle, (v) => v.parties.sponsor === b.organisationId);
      expect(taken.stage!.id).toBe('commitment');
      await expect.poll(async () => textOf(await visitorB.get(page))).toContain('Test Principal');
      // The case list copes with the slot that was empty until now.
      expect((await coordinator.get('/cases')).status).toBe(200);
    });
  }
});
