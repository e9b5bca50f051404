/** The timeline answers, shared by a case's and a programme's timeline routes (usecases/timeline.ts). */
import { z } from '@hono/zod-openapi';

const COORDINATOR = '0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01';
const PERSON = 'c4a1e7d2-9b3f-4e60-8d15-7f2a0b9c3e58';

export const TimelineQuery = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).openapi({ description: 'The `id` of the last event you have: the events after it' }),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const TimelineActorSchema = z
  .object({
    organisation: z.object({ id: z.uuid(), name: z.string() }),
    person: z.object({
      id: z.uuid(),
      name: z.string().nullable().openapi({ description: "The person's name: only for readers of the same organisation and for the coordinator of the case or programme, else null" }),
    }),
    onBehalfOf: z
      .array(z.object({ id: z.uuid(), name: z.string().nullable() }))
      .optional()
      .openapi({ description: 'Absent colleagues the person stood in for as their delegate when they acted (named by the same rule as `person`); absent otherwise' }),
  })
  .openapi('TimelineActor');

export const TimelineEventSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    actor: z.string().openapi({ description: 'The id of the person who acted, or `system`' }),
    by: TimelineActorSchema.nullable().openapi({ description: 'The actor named: their organisation (for every reader) and the person; null for `system`' }),
    gateId: z.string().nullable(),
    reason: z.string().nullable().openapi({ description: 'What the actor wrote with it (a reason or comment), if anything' }),
    reasonErasedAt: z.string().nullable().optional().openapi({ description: "When what the actor wrote was erased with the case's personal data (`reason` is then null)" }),
    data: z.record(z.string(), z.unknown()),
    at: z.string(),
  })
  .openapi('TimelineEvent', {
    example: {
      id: '42',
      kind: 'deadline_extended',
      actor: PERSON,
      by: { organisation: { id: COORDINATOR, name: 'Stichting Safe Routes' }, person: { id: PERSON, name: 'J. de Vries' } },
      gateId: 'eligibility',
      reason: 'Interview planned.',
      data: { gateId: 'eligibility', from: '2027-01-20T12:00:00.000Z', to: '2027-01-31T12:00:00Z' },
      at: '2027-01-12T08:30:00.000Z',
    },
  });

export const TimelinePageSchema = z
  .object({
    items: z.array(TimelineEventSchema),
    organisations: z.record(z.string(), z.string()).openapi({ description: "Organisation id → name, for every organisation the items name: actors', and ids in `data` (a reassignment's `from` and `to`, who has not signed)" }),
  })
  .openapi('Timeline', { example: { items: [], organisations: { [COORDINATOR]: 'Stichting Safe Routes' } } });
