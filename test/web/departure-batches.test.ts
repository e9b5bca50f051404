// Departure batches on the pages, in English and in Dutch: from the programme's page to its
// batches, planning one (an empty name comes back with an error summary), ticking the cases ready
// to travel (none ticked: an error summary), taking one out, confirming the departure through a
// confirm page — pressed twice, done once — and the line a case's parties read on its page.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseWorkflowId } from '../../workflows/contract.js';
import { useApi } from '../support/api.js';
import { view } from '../support/cases.js';
import { corridorProgramme, type Corridor } from '../support/travel.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const WORDS = {
  en: {
    link: 'Departure batches',
    none: 'No departure batch yet.',
    problem: 'There is a problem',
    nameError: 'Enter a name for the batch',
    created: 'The batch is planned.',
    ready: 'Add cases ready to travel',
    noneTicked: 'Tick at least one case to add',
    inBatch: 'In the batch',
    removed: 'The case is out of the batch.',
    confirm: 'Confirm the departure',
    travels: '1 case travels',
    yes: 'Yes, the batch departed',
    done: 'The departure is confirmed',
    travelled: 'Travelled',
    notOurs: 'it is not a case of this programme that you coordinate',
    notPlanned: 'Not done: the batch is no longer planned.',
    caseLine: (name: string) => `Travelled with departure batch ${name}, departed`,
    plannedLine: (name: string) => `In departure batch ${name}, departs`,
  },
  nl: {
    link: 'Vertrekgroepen',
    none: 'Nog geen vertrekgroep.',
    problem: 'Er is een probleem',
    nameError: 'Vul een naam in voor de groep',
    created: 'De groep is gepland.',
    ready: 'Casussen toevoegen die klaar zijn om te reizen',
    noneTicked: 'Vink minstens één casus aan om toe te voegen',
    inBatch: 'In de groep',
    removed: 'De casus is uit de groep gehaald.',
    confirm: 'Vertrek bevestigen',
    travels: '1 casus reist',
    yes: 'Ja, de groep is vertrokken',
    done: 'Het vertrek is bevestigd',
    travelled: 'Gereisd',
    notOurs: 'het is geen casus van dit programma die u coördineert',
    notPlanned: 'Niet gedaan: de groep is niet meer gepland.',
    caseLine: (name: string) => `Gereisd met vertrekgroep ${name}, vertrokken`,
    plannedLine: (name: string) => `In vertrekgroep ${name}, vertrekt`,
  },
};

describe('departure batches on the pages', () => {
  const h = useApi('web-departure-batches');
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const programmes: Record<'en' | 'nl', { corridor: Corridor; cases: string[] }> = {} as never;
  const keyOf = (html: string, action: string) => new RegExp(`action="${action}"[\\s\\S]*?name="_key" value="([^"]+)"`).exec(html)?.[1];

  beforeAll(async () => {
    for (const lang of ['en', 'nl'] as const) {
      const corridor = await corridorProgramme(h, `Web ${lang} ${tag}`, lang);
      const cases = [await corridor.openCase(`WB-${tag}-${lang}-1`), await corridor.openCase(`WB-${tag}-${lang}-2`)];
      await Promise.all(cases.map(corridor.toTravel));
      programmes[lang] = { corridor, cases };
    }
    // Both cases' travel steps are projected, so they read as ready.
    for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 250))) {
      const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM open_gates WHERE gate_id = 'travel' AND reference LIKE ${`WB-${tag}-%`}`;
      if (row!.n === 4) break;
      if (Date.now() > deadline) throw new Error(`only ${row!.n} of 4 travel steps projected`);
    }
  });

  for (const lang of ['en', 'nl'] as const) {
    it(`plans a batch, adds and takes out cases and confirms its departure, in ${lang === 'en' ? 'English' : 'Dutch'}`, async () => {
      const w = WORDS[lang];
      const { corridor, cases } = programmes[lang];
      const coordinator = new Visitor(h.app);
      await signedIn(coordinator, corridor.members.coordinator!);
      const programmePage = await (await coordinator.get(`/programmes/${corridor.programmeId}`)).text();
      const listPath = `/programmes/${corridor.programmeId}/departure-batches`;
      expect(programmePage).toContain(`href="${listPath}"`);
      const list = await coordinator.get(listPath);
      expect(list.status).toBe(200);
      const listHtml = await list.text();
      expect(listHtml).toContain(w.none);

      // An empty name: 400, the error summary linking to the field, what was typed kept.
      const empty = await coordinator.post(listPath, { _key: randomUUID(), name: ' ', departureDate: '2099-05-01' });
      expect(empty.status).toBe(400);
      const emptyHtml = await empty.text();
      expect(emptyHtml).toContain('class="error-summary"');
      expect(emptyHtml).toContain(w.problem);
      expect(emptyHtml).toContain(`<a href="#batch-name">${w.nameError}</a>`);
      expect(emptyHtml).toContain('aria-invalid="true"');
      expect(emptyHtml).toContain('value="2099-05-01"');
      // A date that is no date: 400 too, never a 500.
      expect((await coordinator.post(listPath, { _key: randomUUID(), name: 'X', departureDate: 'morgen' })).status).toBe(400);

      const key = keyOf(listHtml, listPath)!;
      const created = await coordinator.post(listPath, { _key: key, name: `Flight ${lang}`, departureDate: '2099-05-01' });
      expect(created.status).toBe(303);
      const batchPath = created.headers.get('location')!;
      expect(batchPath).toMatch(/^\/departure-batches\/[0-9a-f-]{36}$/);
      // The same form sent again: the same batch.
      expect((await coordinator.post(listPath, { _key: key, name: `Flight ${lang}`, departureDate: '2099-05-01' })).headers.get('location')).toBe(batchPath);

      const batchHtml = await (await coordinator.get(batchPath)).text();
      expect(batchHtml).toContain(w.created);
      expect(batchHtml).toContain(w.ready);
      for (const id of cases) expect(batchHtml).toContain(`name="caseId" value="${id}"`);
      const addPath = `${batchPath}/cases`;
      const none = await coordinator.post(addPath, { _key: randomUUID() });
      expect(none.status).toBe(400);
      expect(await none.text()).toContain(`<a href="#batch-cases">${w.noneTicked}</a>`);
      // A case that may not join (not one of this programme's): 409, the summary saying which and why.
      const stranger = randomUUID();
      const refused = await coordinator.post(addPath, { _key: randomUUID(), caseId: stranger });
      expect(refused.status).toBe(409);
      const refusedHtml = await refused.text();
      expect(refusedHtml).toContain(w.problem);
      expect(refusedHtml).toContain(`<a href="#batch-cases">${stranger}: ${w.notOurs}</a>`);
      for (const id of cases) expect((await coordinator.post(addPath, { _key: randomUUID(), caseId: id })).status).toBe(303);
      const withCases = await textOf(await coordinator.get(batchPath));
      expect(withCases).toContain(`WB-${tag}-${lang}-1 `);
      expect(withCases).toContain(w.inBatch);

      // A party of the case reads that it is in the batch, on its case page; not the batch itself.
      const host = new Visitor(h.app);
      await signedIn(host, corridor.members.host!);
      expect(await textOf(await host.get(`/cases/${cases[0]}`))).toContain(w.plannedLine(`Flight ${lang}`));
      expect((await host.get(batchPath)).status).toBe(404);

      // The second case is taken out again.
      const removed = await coordinator.post(`${batchPath}/cases/${cases[1]}/remove`, { _key: randomUUID() });
      expect(removed.status).toBe(303);
      const afterRemove = await textOf(await coordinator.get(batchPath));
      expect(afterRemove).toContain(w.removed);
      expect(afterRemove).not.toContain(`WB-${tag}-${lang}-2 ${w.inBatch}`);

      const confirmPage = await coordinator.get(`${batchPath}/confirm/departure`);
      const confirmHtml = await confirmPage.text();
      expect(confirmHtml).toContain(w.travels);
      expect(confirmHtml).toContain(w.yes);
      const confirmKey = keyOf(confirmHtml, `${batchPath}/confirm/departure`)!;
      const confirmed = await coordinator.post(`${batchPath}/confirm/departure`, { _key: confirmKey });
      expect(confirmed.status).toBe(303);
      expect(await textOf(await coordinator.get(batchPath))).toContain(w.done);
      // "Yes" pressed twice: the same answer, done once.
      expect((await coordinator.post(`${batchPath}/confirm/departure`, { _key: confirmKey })).status).toBe(303);
      // Asked again later (a page left open): not offered, the batch page says why.
      const late = await coordinator.get(`${batchPath}/confirm/departure`);
      expect(late.status).toBe(303);
      expect(await textOf(await coordinator.get(late.headers.get('location')!))).toContain(w.notPlanned);
      await expect.poll(async () => (await view(h.client.workflow.getHandle(caseWorkflowId(cases[0]!)))).stage?.id, { timeout: 30_000 }).toBe('arrival');
      expect((await view(h.client.workflow.getHandle(caseWorkflowId(cases[1]!)))).stage?.id, 'the case taken out stays').toBe('travel');
      await expect.poll(async () => textOf(await coordinator.get(batchPath)), { timeout: 30_000 }).toContain(`WB-${tag}-${lang}-1`);
      await expect.poll(async () => (await textOf(await coordinator.get(batchPath))).includes(w.travelled), { timeout: 30_000 }).toBe(true);
      expect(await textOf(await host.get(`/cases/${cases[0]}`))).toContain(w.caseLine(`Flight ${lang}`));
    });
  }
});
