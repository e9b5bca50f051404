/**
 * An example body for every case and programme action, for the API reference ("try it out" starts
 * from it). The action routes document the use cases' own body schemas (api/cases/actions.ts,
 * api/programmes/actions.ts), so the examples are attached to those very schema objects, as zod
 * metadata that the OpenAPI generator reads; the use cases do not change. A new action without an
 * example does not type-check; test/api/docs.test.ts checks every example against its schema.
 */
import { z } from '@hono/zod-openapi';
import { caseActionOf, type CaseActionType } from '../usecases/case-actions.js';
import { programmeActionOf, type ProgrammeActionType } from '../usecases/programme-actions.js';

const OFFER_ID = '9b2e4f6a-1c3d-4e5f-8a7b-0c1d2e3f4a5b';
const MUNICIPALITY = '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22';

const caseExamples: Record<CaseActionType, object> = {
  decide: { outcome: 'request_info', reason: 'Please send the registration certificate.' },
  complete: { note: 'Welcome pack delivered.' },
  offer_housing: { address: 'Oudegracht 1, 3511 AA Utrecht', rooms: 3, accessible: true, availableFrom: '2027-03-01', validUntil: '2027-02-15T12:00:00Z' },
  decline_housing_request: { reason: 'No family housing free before the summer.' },
  accept_offer: { offerId: OFFER_ID },
  decline_offer: { offerId: OFFER_ID, reason: 'Too far from the children’s school.' },
  publish_agreement: { title: 'Sponsorship agreement', text: 'The sponsor group supports the household for twelve months.' },
  sign: { version: 1 },
  request_changes: { comment: 'Please add the language course to article 2.' },
  submit_checkin: { reportIndex: 0, report: 'The family has settled in; the children started school.' },
  nudge: { gateId: 'housing' },
  extend: { gateId: 'eligibility', dueAt: '2027-01-31T12:00:00Z', reason: 'Interview planned.' },
  reassign: { gateId: 'municipal-consent', organisationId: MUNICIPALITY, reason: 'The first municipality has no capacity.' },
  hold: { reason: 'Waiting for travel documents.' },
  resume: {},
  withdraw: { reason: 'The family chose another route.' },
};

const programmeExamples: Record<ProgrammeActionType, object> = {
  publish_mou: { title: 'Memorandum of understanding', url: 'https://docs.example.org/mou-v2.pdf' },
  sign_mou: { version: 2 },
  request_mou_changes: { comment: 'Please name the contact person of each municipality.' },
  pause: { reason: 'The national agency reviews its procedures.' },
  resume: {},
  set_quota: { quota: 25 },
  close: { reason: 'The pilot ended.' },
};

/** Adds `example` to what the schema already says about itself (the generator reads zod's global registry). */
function attach(schema: z.ZodType, example: object) {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), example });
}

for (const [type, example] of Object.entries(caseExamples)) attach(caseActionOf(type as CaseActionType).body, example);
// The MoU and a case's agreement share one document schema: the programme's example is the one it shows.
for (const [type, example] of Object.entries(programmeExamples)) attach(programmeActionOf(type as ProgrammeActionType).body, example);
